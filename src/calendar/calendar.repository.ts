import { Injectable } from '@nestjs/common';
import type { CalendarDayEntry, DayKind } from './workday-rules.js';

/** A DataSource or a transaction's EntityManager. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface YearRow {
  year: number;
  source: 'chinese-days' | 'office';
  updatedAt: Date;
  note: string | null;
  holidays: number;
  workdays: number;
}

export interface ChangeRow {
  id: number;
  year: number;
  note: string | null;
  changedAt: Date;
  timersMoved: number;
  tasksMoved: number;
  details: unknown;
}

export interface MovedItem {
  kind: 'timer' | 'task';
  id: string;
  instanceId: string;
  activityId: string;
  spec: string;
  before: string | null;
  after: string | null;
}

/** SQL of the calendar tables; every method takes the connection or transaction to run on. */
@Injectable()
export class CalendarRepository {
  /** Serializes calendar writers across nodes for the rest of the transaction. */
  async lock(q: Queryable): Promise<void> {
    await q.query(`LOCK TABLE calendar_year IN SHARE ROW EXCLUSIVE MODE`);
  }

  /** Changes whenever a year is added or replaced, on any node. */
  async stamp(q: Queryable): Promise<string> {
    const [r] = await q.query(
      `SELECT count(*)::int AS n, max(updated_at) AS u, (SELECT max(id) FROM calendar_change_log)::text AS c FROM calendar_year`,
    );
    return `${r.n}|${r.u ? new Date(r.u).getTime() : ''}|${r.c ?? ''}`;
  }

  async loadAll(q: Queryable): Promise<{ years: number[]; days: CalendarDayEntry[] }> {
    const years: { year: number }[] = await q.query(`SELECT year FROM calendar_year ORDER BY year`);
    const days: { date: string; kind: DayKind; name: string | null }[] = await q.query(
      `SELECT date::text AS date, kind, name FROM calendar_day ORDER BY date`,
    );
    return { years: years.map((y) => Number(y.year)), days };
  }

  async listYears(q: Queryable): Promise<YearRow[]> {
    const rows = await q.query(
      `SELECT y.year, y.source, y.updated_at, y.note,
              count(d.date) FILTER (WHERE d.kind = 'holiday')::int AS holidays,
              count(d.date) FILTER (WHERE d.kind = 'workday')::int AS workdays
         FROM calendar_year y LEFT JOIN calendar_day d ON d.year = y.year
        GROUP BY y.year ORDER BY y.year`,
    );
    return rows.map((r: any) => ({
      year: Number(r.year),
      source: r.source,
      updatedAt: r.updated_at,
      note: r.note,
      holidays: r.holidays,
      workdays: r.workdays,
    }));
  }

  async getYear(
    q: Queryable,
    year: number,
  ): Promise<{ year: number; source: string; updatedAt: Date; note: string | null; days: CalendarDayEntry[] } | null> {
    const [y] = await q.query(`SELECT year, source, updated_at, note FROM calendar_year WHERE year = $1`, [year]);
    if (!y) return null;
    const days = await q.query(
      `SELECT date::text AS date, kind, name FROM calendar_day WHERE year = $1 ORDER BY date`,
      [year],
    );
    return { year: Number(y.year), source: y.source, updatedAt: y.updated_at, note: y.note, days };
  }

  /** Replace a year's listed days (delete + insert) and stamp the year row. */
  async replaceYear(
    q: Queryable,
    year: number,
    source: 'chinese-days' | 'office',
    days: CalendarDayEntry[],
    note: string | null,
    at: Date,
  ): Promise<void> {
    await q.query(
      `INSERT INTO calendar_year (year, source, updated_at, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, updated_at = EXCLUDED.updated_at, note = EXCLUDED.note`,
      [year, source, at, note],
    );
    await q.query(`DELETE FROM calendar_day WHERE year = $1`, [year]);
    if (days.length) {
      await q.query(
        `INSERT INTO calendar_day (date, kind, name, year) SELECT d::date, k, n, $4::int FROM unnest($1::text[], $2::text[], $3::text[]) AS t(d, k, n)`,
        [days.map((d) => d.date), days.map((d) => d.kind), days.map((d) => d.name), year],
      );
    }
  }

  /** Timers whose spec is a working-day literal or a chase (`overdue(…)`), locked for the change. */
  async workdayTimers(
    q: Queryable,
  ): Promise<
    { id: string; instance_id: string; activity_id: string; spec: string; expire_at: Date; created_at: Date }[]
  > {
    return q.query(
      `SELECT id, instance_id, activity_id, spec, expire_at, created_at FROM engine_timer
        WHERE spec ~* '^\\s*(workdays|overdue)\\s*\\(' ORDER BY id FOR UPDATE`,
    );
  }

  /** Open tasks whose due date is a working-day literal, locked for the change. */
  async workdayTasks(
    q: Queryable,
  ): Promise<
    { id: string; instance_id: string; activity_id: string; due_spec: string; due_at: Date | null; created_at: Date }[]
  > {
    return q.query(
      `SELECT id, instance_id, activity_id, due_spec, due_at, created_at FROM engine_task
        WHERE due_spec ~* '^\\s*workdays\\s*\\(' ORDER BY id FOR UPDATE`,
    );
  }

  async moveTimer(q: Queryable, id: string, expireAt: Date): Promise<void> {
    await q.query(`UPDATE engine_timer SET expire_at = $2 WHERE id = $1`, [id, expireAt]);
  }

  async moveTask(q: Queryable, id: string, dueAt: Date): Promise<void> {
    await q.query(`UPDATE engine_task SET due_at = $2 WHERE id = $1`, [id, dueAt]);
  }

  async logChange(q: Queryable, row: Omit<ChangeRow, 'id'>): Promise<number> {
    const [r] = await q.query(
      `INSERT INTO calendar_change_log (year, note, changed_at, timers_moved, tasks_moved, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [row.year, row.note, row.changedAt, row.timersMoved, row.tasksMoved, JSON.stringify(row.details)],
    );
    return Number(r.id);
  }

  async changes(q: Queryable, opts: { year?: number; limit: number }): Promise<ChangeRow[]> {
    const rows = await q.query(
      `SELECT id, year, note, changed_at, timers_moved, tasks_moved, details FROM calendar_change_log
        WHERE ($1::int IS NULL OR year = $1) ORDER BY id DESC LIMIT $2`,
      [opts.year ?? null, opts.limit],
    );
    return rows.map((r: any) => ({
      id: Number(r.id),
      year: r.year,
      note: r.note,
      changedAt: r.changed_at,
      timersMoved: r.timers_moved,
      tasksMoved: r.tasks_moved,
      details: r.details,
    }));
  }

  /** Records the first computation into a provisional year; true when this call was the first (tell the office). */
  async noteProvisionalUse(q: Queryable, year: number, at: Date): Promise<boolean> {
    const rows: { year: number }[] = await q.query(
      `INSERT INTO calendar_provisional_use (year, first_used_at) VALUES ($1, $2) ON CONFLICT (year) DO NOTHING RETURNING year`,
      [year, at],
    );
    return rows.length > 0;
  }

  async provisionalUses(q: Queryable): Promise<{ year: number; firstUsedAt: Date }[]> {
    const rows: { year: number; first_used_at: Date }[] = await q.query(
      `SELECT year, first_used_at FROM calendar_provisional_use ORDER BY year`,
    );
    return rows.map((r) => ({ year: r.year, firstUsedAt: r.first_used_at }));
  }
}
