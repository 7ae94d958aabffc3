import { Injectable, Logger } from '@nestjs/common';
import { CalendarService } from '../../calendar/calendar.service.js';
import { isOverdueLiteral, literalExpireAt, occurrenceOf } from '../../calendar/workday-rules.js';
import { DefinitionService, type Queryable } from '../../engine/definition.service.js';
import { TimerDriver } from '../../engine/timers/timer-driver.js';
import { SETTING_KEYS, type SupervisionSettings } from '../settings/supervision-settings.js';
import { timerOf } from './ladder-model.js';
import { substituteVariables } from './ladder-rules.js';
import { LADDER } from './ladder-processes.js';

export interface RecomputedTimer {
  timerId: string;
  instanceId: string;
  problemCode: string | null;
  activityId: string;
  spec: { before: string | null; after: string };
  expireAt: { before: string; after: string };
}

export interface ThresholdChange {
  /** The settings that changed. */
  changed: string[];
  /** Running ladders whose variables now hold the new values. */
  ladders: number;
  /** Running processes whose tasks are chased (逾期催办), when the chase's interval changed: they take it too. */
  chased: number;
  /** Their open rung and chase timers, recomputed. */
  timers: RecomputedTimer[];
}

/**
 * The chase setting a running process takes (`overdue(…, ${chaseEvery}, …)`). The count (`chaseTimes`) is
 * not: the chases a running series has left are the engine's, on its timer; a new count applies to the tasks
 * that fall late afterwards.
 */
export const CHASE_KEYS: readonly string[] = ['chaseEvery'];

const iso = (v: Date | number) => new Date(v).toISOString();

/**
 * A change of the ladder's thresholds applies to running ladders too: their variables take the new values and
 * their open rung timers (`workdays(${…bulletinAfter}, deadline)`) are recomputed, in the settings'
 * transaction, logged. A rung already taken stays taken; a rung whose new day is past fires at once.
 * So does a change of the chase's interval or count for every running process with a task being chased: its
 * pending chase keeps its place in the series (the first counts from the task's due date, a later one from the
 * chase before, now at the new interval).
 */
@Injectable()
export class LadderThresholds {
  private readonly logger = new Logger('supervision');

  constructor(
    private readonly definitions: DefinitionService,
    private readonly calendar: CalendarService,
    private readonly driver: TimerDriver,
  ) {}

  async apply(
    m: Queryable,
    before: SupervisionSettings,
    after: SupervisionSettings,
    now: number,
  ): Promise<ThresholdChange> {
    const changed = SETTING_KEYS.filter((k) => before[k] !== after[k]);
    const out: ThresholdChange = { changed, ladders: 0, chased: 0, timers: [] };
    if (!changed.length) return out;
    const ladderPatch = Object.fromEntries(changed.map((k) => [k, after[k]]));
    const chasePatch = Object.fromEntries(changed.filter((k) => CHASE_KEYS.includes(k)).map((k) => [k, after[k]]));
    const instances: {
      id: string;
      definition_id: string;
      definition_key: string;
      business_key: string | null;
      variables: Record<string, unknown>;
      state: unknown;
    }[] = await m.query(
      `SELECT id, definition_id, definition_key, business_key, variables, state FROM engine_instance i
        WHERE status = 'active' AND (definition_key = $1 OR ($2 AND EXISTS (
          SELECT 1 FROM engine_timer t WHERE t.instance_id = i.id AND t.spec ~* '^\\s*overdue\\s*\\(')))
        ORDER BY id FOR UPDATE`,
      [LADDER, Object.keys(chasePatch).length > 0],
    );
    for (const l of instances) {
      const isLadder = l.definition_key === LADDER;
      // A process other than the ladder takes the chase's settings only, and only those it holds.
      const patch = isLadder
        ? ladderPatch
        : Object.fromEntries(Object.entries(chasePatch).filter(([k]) => k in (l.variables ?? {})));
      if (!Object.keys(patch).length) continue;
      const vars = { ...(l.variables ?? {}), ...patch };
      await m.query(`UPDATE engine_instance SET variables = variables || $2::jsonb, state = $3 WHERE id = $1`, [
        l.id,
        JSON.stringify(patch),
        JSON.stringify(replaceVariables(l.state, patch)),
      ]);
      if (isLadder) out.ladders++;
      else out.chased++;
      const ctx = (await this.definitions.context(l.definition_id, m)) as { getActivityById(id: string): unknown };
      const timers: { id: string; activity_id: string; spec: string | null; expire_at: Date; created_at: Date }[] =
        await m.query(`SELECT id, activity_id, spec, expire_at, created_at FROM engine_timer WHERE instance_id = $1`, [
          l.id,
        ]);
      for (const t of timers) {
        const expr = timerOf(ctx.getActivityById(t.activity_id));
        const spec = expr ? substituteVariables(expr, vars) : null;
        if (!spec || spec === t.spec) continue;
        let expireAt: number;
        try {
          if (isOverdueLiteral(spec)) {
            // Where the pending chase stands in its series, from what its old settings gave it.
            const calendar = this.calendar.current;
            const createdAt = new Date(t.created_at).getTime();
            const repeating = t.spec
              ? occurrenceOf(calendar, t.spec, createdAt, new Date(t.expire_at).getTime())
              : null;
            if (repeating === null) {
              this.logger.warn(
                `督办设置变更：${l.business_key ?? l.id} 的 ${t.activity_id} 到期时间已人工调整或无法按原设置复算，保持原时间`,
              );
              continue;
            }
            const at = literalExpireAt(calendar, spec, createdAt, repeating);
            if (at === null) continue;
            expireAt = at;
          } else {
            const literal = this.calendar.resolveLiteral(spec, now);
            if (!literal) continue;
            expireAt = literal.expireAt;
          }
        } catch (e) {
          this.logger.warn(
            `督办设置变更：${l.business_key ?? l.id} 的 ${t.activity_id} 无法按新设置计算（${(e as Error).message}），保持原时间`,
          );
          continue;
        }
        await m.query(`UPDATE engine_timer SET spec = $2, expire_at = $3 WHERE id = $1`, [
          t.id,
          spec,
          new Date(expireAt),
        ]);
        out.timers.push({
          timerId: t.id,
          instanceId: l.id,
          problemCode: l.business_key,
          activityId: t.activity_id,
          spec: { before: t.spec, after: spec },
          expireAt: { before: iso(t.expire_at), after: iso(expireAt) },
        });
      }
    }
    this.logger.log(
      `督办设置变更（${changed.join('、')}）：${out.ladders}个运行中的督办升级流程${out.chased ? `、${out.chased}个有逾期催办的流程` : ''}按新设置重新计算，${out.timers.length}个定时器改期`,
    );
    return out;
  }

  /** After the commit: the queue delivers the moved timers at their new time (the reconciler would, later). */
  async reschedule(change: ThresholdChange): Promise<void> {
    if (!change.timers.length) return;
    try {
      await this.driver.unschedule(change.timers.map((t) => t.timerId));
      await this.driver.schedule(
        change.timers.map((t) => ({ id: t.timerId, instanceId: t.instanceId, expireAt: Date.parse(t.expireAt.after) })),
      );
    } catch (e) {
      // The reconciler schedules from the table again; the rows hold the new due times.
      this.logger.warn(`督办设置变更：改期的定时器重新排程失败（${(e as Error).message}）`);
    }
  }
}

/** The given variables in every variables scope of a stored engine state that holds them. */
export function replaceVariables(state: unknown, patch: Record<string, unknown>): unknown {
  const keys = Object.keys(patch);
  const walk = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 40) return;
    if (Array.isArray(node)) return node.forEach((x) => walk(x, depth + 1));
    const obj = node as Record<string, unknown>;
    const vars = obj.variables;
    if (vars && typeof vars === 'object' && !Array.isArray(vars)) {
      for (const k of keys) if (k in (vars as Record<string, unknown>)) (vars as Record<string, unknown>)[k] = patch[k];
    }
    for (const v of Object.values(obj)) walk(v, depth + 1);
  };
  walk(state, 0);
  return state;
}
