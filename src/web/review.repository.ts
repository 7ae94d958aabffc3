import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { problemInUnits, subtreeArray } from '../org/office-scope.js';

export interface ReviewFilter {
  unit?: string;
  /** Problems of this unit's subtree (an office of a lower level's). */
  within?: string;
  category?: string;
}

export interface StepCountRow {
  /** null: the totals over the process (each problem once). */
  activity_id: string | null;
  count: number;
  overdue: number;
  near_due: number;
  red: number;
}

export interface StepProblemRow {
  instance_id: string;
  business_key: string | null;
  due: Date | null;
  id: string | null;
  code: string | null;
  title: string | null;
  lead_unit: string | null;
  lead_unit_name: string | null;
  light: string | null;
  status: string | null;
  deadline: string | null;
  total: string;
}

const DAY = 86_400_000;
/** Deltas of the time per step read before a read folds them into the rollup (in the background). */
const FOLD_AT = 2_000;

/** `p` is the problem joined on the business key; adds the filter's conditions and their parameters. */
function problemConditions(f: ReviewFilter, params: unknown[]): string[] {
  const out: string[] = [];
  if (f.unit) {
    params.push(f.unit);
    out.push(`(p.lead_unit = $${params.length} OR $${params.length} = ANY(p.responsible_units))`);
  }
  if (f.category) {
    params.push(f.category);
    out.push(`p.category = $${params.length}`);
  }
  if (f.within) {
    params.push(f.within);
    out.push(problemInUnits(subtreeArray(`$${params.length}`), 'p'));
  }
  return out;
}

/**
 * The review's aggregates, in SQL: a problem stands at a step when its process has an open task there (a
 * multi-instance step counts the problem once, due at its earliest task), waits on a timer there, or waits
 * there for a called process; the time spent at a step is the
 * average of the ended, not cancelled, history rows of that activity over every version of the process.
 */
@Injectable()
export class ReviewRepository {
  constructor(private readonly db: DataSource) {}

  /** The newest version of every process key (a file may hold several processes). */
  async latestDefinitions(): Promise<{ id: string; key: string; name: string | null; version: number }[]> {
    return this.db.query(
      `SELECT DISTINCT ON (k.key) d.id, k.key, d.name, d.version
       FROM engine_definition d CROSS JOIN LATERAL unnest(d.process_keys) AS k(key)
       ORDER BY k.key, d.version DESC, d.created_at DESC`,
    );
  }

  /**
   * Problems per step, each counted once however many tasks it has there, and once in the totals however
   * many steps it stands at: its open user tasks, the timers it waits on (not a task's boundary timers) and
   * the call activities waiting for their called process. A row with `activity_id` null is the totals.
   */
  async stepCounts(processKey: string, f: ReviewFilter, now: Date): Promise<StepCountRow[]> {
    const params: unknown[] = [processKey, now, new Date(now.getTime() + 3 * DAY)];
    const cond = problemConditions(f, params);
    const join = cond.length
      ? `JOIN problem p ON p.code = w.bk AND ${cond.join(' AND ')}`
      : 'LEFT JOIN problem p ON p.code = w.bk';
    return this.db.query(
      `WITH waits AS (
         SELECT t.activity_id, coalesce(t.business_key, t.instance_id::text) AS k, t.business_key AS bk, t.due_at AS due
         FROM engine_task t WHERE t.definition_key = $1
         UNION ALL
         SELECT tm.activity_id, coalesce(i.business_key, i.id::text), i.business_key, NULL::timestamptz
         FROM engine_timer tm JOIN engine_instance i ON i.id = tm.instance_id
         WHERE i.definition_key = $1 AND i.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM engine_history h WHERE h.instance_id = tm.instance_id AND h.activity_id = tm.activity_id
                             AND h.ended_at IS NULL AND h.activity_type = 'bpmn:BoundaryEvent')
         UNION ALL
         SELECT h.activity_id, coalesce(i.business_key, i.id::text), i.business_key, NULL::timestamptz
         FROM engine_instance i JOIN engine_history h ON h.instance_id = i.id AND h.ended_at IS NULL AND h.activity_type = 'bpmn:CallActivity'
         WHERE i.definition_key = $1 AND i.status = 'active'
       ),
       per AS (
         SELECT w.activity_id, w.k, min(w.due) AS due, bool_or(coalesce(p.light = 'red', false)) AS red
         FROM waits w ${join}
         GROUP BY w.activity_id, w.k
       )
       SELECT activity_id, count(DISTINCT k)::int AS count,
              count(DISTINCT k) FILTER (WHERE due < $2)::int AS overdue,
              count(DISTINCT k) FILTER (WHERE due >= $2 AND due <= $3)::int AS near_due,
              count(DISTINCT k) FILTER (WHERE red)::int AS red
       FROM per
       GROUP BY GROUPING SETS ((activity_id), ())`,
      params,
    );
  }

  async averageMillis(
    processKey: string,
    f: ReviewFilter,
  ): Promise<{ activity_id: string; avg_ms: number; ended: number }[]> {
    // Every version's id first: as a subquery the planner guesses one row in a hundred and loops over the history.
    const [{ ids }] = await this.db.query(
      `SELECT coalesce(array_agg(id), '{}') AS ids FROM engine_definition WHERE $1 = ANY(process_keys)`,
      [processKey],
    );
    const params: unknown[] = [ids];
    const cond = problemConditions(f, params);
    if (!cond.length) return this.unfilteredAverages(ids);
    const join = `JOIN engine_instance i ON i.id = h.instance_id JOIN problem p ON p.code = i.business_key AND ${cond.join(' AND ')}`;
    return this.db.query(
      `SELECT h.activity_id, (avg(extract(epoch FROM h.ended_at - h.started_at)) * 1000)::float8 AS avg_ms, count(*)::int AS ended
       FROM engine_history h ${join}
       WHERE h.definition_id = ANY($1::text[]) AND h.ended_at IS NOT NULL AND NOT h.canceled
       GROUP BY h.activity_id`,
      params,
    );
  }

  /** Every problem's: the per-activity rollup plus the deltas not folded into it yet (see engine_activity_time). */
  private async unfilteredAverages(ids: string[]): Promise<{ activity_id: string; avg_ms: number; ended: number }[]> {
    const rows: { activity_id: string; avg_ms: number; ended: number; deltas: number }[] = await this.db.query(
      `SELECT activity_id, (sum(total_ms) / sum(ended))::float8 AS avg_ms, sum(ended)::int AS ended, sum(deltas)::int AS deltas
       FROM (SELECT activity_id, ended, total_ms, 0 AS deltas FROM engine_activity_time WHERE definition_id = ANY($1::text[])
             UNION ALL
             SELECT activity_id, ended, total_ms, 1 FROM engine_activity_time_delta WHERE definition_id = ANY($1::text[])) x
       GROUP BY activity_id HAVING sum(ended) > 0`,
      [ids],
    );
    if (rows.reduce((n, r) => n + r.deltas, 0) >= FOLD_AT) void this.foldActivityTime().catch(() => undefined);
    return rows.map(({ activity_id, avg_ms, ended }) => ({ activity_id, avg_ms, ended }));
  }

  /** Folds the deltas into the rollup in one transaction; one node at a time, the others skip. */
  async foldActivityTime(): Promise<number> {
    return this.db.transaction(async (m) => {
      const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('duban:activity-time')) AS locked`);
      if (!locked) return 0;
      const res = await m.query(
        `WITH moved AS (DELETE FROM engine_activity_time_delta RETURNING definition_id, activity_id, ended, total_ms),
              agg AS (SELECT definition_id, activity_id, sum(ended) AS ended, sum(total_ms) AS total_ms, count(*) AS n FROM moved GROUP BY 1, 2),
              up AS (INSERT INTO engine_activity_time (definition_id, activity_id, ended, total_ms)
                     SELECT definition_id, activity_id, ended, total_ms FROM agg ORDER BY 1, 2
                     ON CONFLICT (definition_id, activity_id) DO UPDATE
                       SET ended = engine_activity_time.ended + EXCLUDED.ended, total_ms = engine_activity_time.total_ms + EXCLUDED.total_ms)
         SELECT coalesce(sum(n), 0)::int AS folded FROM agg`,
      );
      return res[0]?.folded ?? 0;
    });
  }

  async stepProblems(
    processKey: string,
    activityId: string,
    f: ReviewFilter,
    offset: number,
    limit: number,
  ): Promise<StepProblemRow[]> {
    const params: unknown[] = [processKey, activityId];
    const cond = problemConditions(f, params);
    return this.db.query(
      `SELECT x.instance_id, x.business_key, x.due, p.id, p.code, p.title, p.lead_unit, u.name AS lead_unit_name, p.light, p.status,
              p.deadline::text AS deadline, count(*) OVER () AS total
       FROM (SELECT t.instance_id, t.business_key, min(t.due_at) AS due FROM engine_task t
             WHERE t.definition_key = $1 AND t.activity_id = $2 GROUP BY t.instance_id, t.business_key) x
       ${cond.length ? 'JOIN' : 'LEFT JOIN'} problem p ON p.code = x.business_key ${cond.length ? `AND ${cond.join(' AND ')}` : ''}
       LEFT JOIN org_unit u ON u.code = p.lead_unit
       ORDER BY x.due ASC NULLS LAST, p.code, x.instance_id
       OFFSET ${offset} LIMIT ${limit}`,
      params,
    );
  }
}
