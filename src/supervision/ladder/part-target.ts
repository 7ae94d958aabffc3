import type { Queryable } from '../../engine/definition.service.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import type { ProblemRow } from '../../problems/problems.repository.js';

/** A part's ladder is keyed `problem code:unit code` (a problem's own ladder by the code alone). */
export const PART_KEY_SEPARATOR = ':';

export function partLadderKey(code: string, unit: string): string {
  return `${code}${PART_KEY_SEPARATOR}${unit}`;
}

export function splitPartKey(key: string): [string, string] {
  const i = key.lastIndexOf(PART_KEY_SEPARATOR);
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The part a ladder (or a case it opened) runs for: its co-unit, deadline and state. */
export interface PartTarget {
  id: string;
  unit: string;
  deadline: string;
  status: string;
  measures: string;
}

export async function partTargetOf(ctx: HandlerContext, tx: Queryable): Promise<PartTarget | null> {
  const id = ctx.variables.partId;
  if (typeof id !== 'string' || !id) return null;
  const [row]: { id: string; unit_code: string; deadline: string; status: string; measures: string }[] = await tx.query(
    `SELECT id, unit_code, deadline::text AS deadline, status, measures FROM problem_part WHERE id = $1`,
    [id],
  );
  if (!row) throw new Error(`${ctx.activityId}: part ${id} not found`);
  return { id: row.id, unit: row.unit_code, deadline: row.deadline, status: row.status, measures: row.measures };
}

/**
 * The problem as a part's rung sees it: addressed to the co-unit, due on the part's deadline (the ledger's
 * responsible person is the lead's, not the co-unit's).
 */
export function asPart(p: ProblemRow, part: PartTarget): ProblemRow {
  return { ...p, lead_unit: part.unit, deadline: part.deadline, responsible_person: null };
}

/** The problem as a case opened by a part's ladder sees it (the co-unit, the part's deadline); else as it is. */
export function caseTarget(p: ProblemRow, vars: Record<string, unknown>): ProblemRow {
  if (typeof vars.targetUnit !== 'string' || !vars.targetUnit) return p;
  const deadline = typeof vars.ladderDeadline === 'string' ? vars.ladderDeadline : p.deadline;
  return { ...p, lead_unit: vars.targetUnit, deadline, responsible_person: null };
}
