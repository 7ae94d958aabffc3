import type { HandlerContext } from '../engine/runtime/step-context.js';
import type { Queryable } from '../engine/definition.service.js';
import { OPEN_STATUSES } from '../problems/problem-status.js';
import type { ProblemRow, ProblemsRepository } from '../problems/problems.repository.js';
import { DEFAULT_SETTINGS, SETTING_KEYS, type SupervisionSettings } from './settings/supervision-settings.js';

/** The step's transaction: supervision handlers write their rows there, or not at all. */
export function stepTx(ctx: HandlerContext): Queryable {
  if (!ctx.tx) throw new Error(`${ctx.activityId}: the handler needs the step's transaction`);
  return ctx.tx as Queryable;
}

/** The problem a supervision process is about (`problemId`, set when the ladder or the process started). */
export async function problemOf(ctx: HandlerContext, problems: ProblemsRepository): Promise<ProblemRow> {
  const id = ctx.variables.problemId;
  const p = typeof id === 'string' ? await problems.findById(id, stepTx(ctx)) : null;
  if (!p) throw new Error(`${ctx.activityId}: problem ${String(id)} not found`);
  return p;
}

export function isOpen(p: Pick<ProblemRow, 'status'>): boolean {
  return OPEN_STATUSES.includes(p.status);
}

/** The thresholds the ladder started with (process variables), each falling back to the default. */
export function settingsOf(vars: Record<string, unknown>): SupervisionSettings {
  const out = { ...DEFAULT_SETTINGS };
  for (const k of SETTING_KEYS) {
    const v = Number(vars[k]);
    if (vars[k] !== undefined && vars[k] !== null && Number.isInteger(v)) out[k] = v;
  }
  return out;
}

export function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** A link the pages open for a problem. */
export function problemLink(p: ProblemRow): string {
  return `/problems/${encodeURIComponent(p.code)}`;
}

/** When a case the ladder opened is dated: the ladder's office time (a working day, from 09:00), else now. */
export function issuedAt(ctx: HandlerContext): Date {
  const at = Date.parse(String(ctx.variables.ladderIssuedAt ?? ''));
  return new Date(isNaN(at) || at < ctx.now ? ctx.now : at);
}

/** The rungs the ladder passed over before opening this case (a problem that arrived late). */
export function ladderSkipped(vars: Record<string, unknown>): { skipped?: string[] } {
  const s = Array.isArray(vars.ladderSkipped)
    ? vars.ladderSkipped.filter((x): x is string => typeof x === 'string')
    : [];
  return s.length ? { skipped: s } : {};
}

export function skippedText(vars: Record<string, unknown>): string {
  const s = ladderSkipped(vars).skipped;
  return s ? `该问题交办时已超过${s.join('、')}的时点，不再逐级补发，直接采取本级措施。` : '';
}
