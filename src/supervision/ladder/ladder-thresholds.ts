import { Injectable, Logger } from '@nestjs/common';
import { CalendarService } from '../../calendar/calendar.service.js';
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
  /** Their open rung timers, recomputed. */
  timers: RecomputedTimer[];
}

const iso = (v: Date | number) => new Date(v).toISOString();

/**
 * A change of the ladder's thresholds applies to running ladders too: their variables take the new values and
 * their open rung timers (`workdays(${…bulletinAfter}, deadline)`) are recomputed, in the settings'
 * transaction, logged. A rung already taken stays taken; a rung whose new day is past fires at once.
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
    const out: ThresholdChange = { changed, ladders: 0, timers: [] };
    if (!changed.length) return out;
    const patch = Object.fromEntries(changed.map((k) => [k, after[k]]));
    const ladders: {
      id: string;
      definition_id: string;
      business_key: string | null;
      variables: Record<string, unknown>;
      state: unknown;
    }[] = await m.query(
      `SELECT id, definition_id, business_key, variables, state FROM engine_instance WHERE definition_key = $1 AND status = 'active' ORDER BY id FOR UPDATE`,
      [LADDER],
    );
    for (const l of ladders) {
      const vars = { ...(l.variables ?? {}), ...patch };
      await m.query(`UPDATE engine_instance SET variables = variables || $2::jsonb, state = $3 WHERE id = $1`, [
        l.id,
        JSON.stringify(patch),
        JSON.stringify(replaceVariables(l.state, patch)),
      ]);
      out.ladders++;
      const ctx = (await this.definitions.context(l.definition_id, m)) as { getActivityById(id: string): unknown };
      const timers: { id: string; activity_id: string; spec: string | null; expire_at: Date }[] = await m.query(
        `SELECT id, activity_id, spec, expire_at FROM engine_timer WHERE instance_id = $1`,
        [l.id],
      );
      for (const t of timers) {
        const expr = timerOf(ctx.getActivityById(t.activity_id));
        const spec = expr ? substituteVariables(expr, vars) : null;
        if (!spec || spec === t.spec) continue;
        let expireAt: number;
        try {
          const literal = this.calendar.resolveLiteral(spec, now);
          if (!literal) continue;
          expireAt = literal.expireAt;
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
      `督办设置变更（${changed.join('、')}）：${out.ladders}个运行中的督办升级流程按新设置重新计算，${out.timers.length}个定时器改期`,
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
