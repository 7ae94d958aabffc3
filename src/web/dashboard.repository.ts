import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPEN_STATUSES } from '../problems/problem-status.js';
import { problemInUnits, subtreeArray } from '../org/office-scope.js';

const CN = (col: string) => `(${col} AT TIME ZONE 'Asia/Shanghai')`;

/** The ledger, or with `param` a unit's code the problems of its subtree (an office of a lower level's). */
const LEDGER = (param: string) =>
  `(SELECT * FROM problem WHERE ${param}::text IS NULL OR ${problemInUnits(subtreeArray(param))})`;

/** The dashboard's aggregates over the ledger, each one GROUP BY; `today` is the China date. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly db: DataSource) {}

  async byStatus(within: string | null = null): Promise<{ status: string; n: number }[]> {
    return this.db.query(`SELECT status, count(*)::int AS n FROM ${LEDGER('$1')} problem GROUP BY status`, [within]);
  }

  /** Lights of the problems still being rectified (a closed problem's last light says nothing now). */
  async openLights(within: string | null = null): Promise<{ light: string; n: number }[]> {
    return this.db.query(
      `SELECT light, count(*)::int AS n FROM ${LEDGER('$2')} problem WHERE status = ANY($1) GROUP BY light`,
      [OPEN_STATUSES, within],
    );
  }

  async byUnit(
    today: string,
    within: string | null = null,
  ): Promise<
    {
      unit: string;
      name: string;
      total: number;
      closed: number;
      effective: number;
      due: number;
      on_time: number;
      overdue: number;
    }[]
  > {
    return this.db.query(
      `SELECT p.lead_unit AS unit, coalesce(u.name, p.lead_unit) AS name, count(*)::int AS total,
              count(*) FILTER (WHERE p.signed_off_at IS NOT NULL)::int AS closed,
              count(*) FILTER (WHERE p.signed_off_at IS NOT NULL AND p.effective_at IS NOT NULL)::int AS effective,
              count(*) FILTER (WHERE p.deadline < $1::date)::int AS due,
              count(*) FILTER (WHERE p.deadline < $1::date AND ${CN('p.signed_off_at')}::date <= p.deadline)::int AS on_time,
              count(*) FILTER (WHERE p.deadline < $1::date AND p.signed_off_at IS NULL)::int AS overdue
       FROM ${LEDGER('$2')} p LEFT JOIN org_unit u ON u.code = p.lead_unit
       GROUP BY p.lead_unit, u.name`,
      [today, within],
    );
  }

  /** The co-units' parts (分工) started on the ledger's problems, per unit: how many, due, done on time, late (not done). */
  async partsByUnit(
    today: string,
    within: string | null = null,
  ): Promise<{ unit: string; name: string; parts: number; due: number; on_time: number; late: number }[]> {
    return this.db.query(
      `SELECT pp.unit_code AS unit, coalesce(u.name, pp.unit_code) AS name, count(*)::int AS parts,
              count(*) FILTER (WHERE pp.deadline < $1::date)::int AS due,
              count(*) FILTER (WHERE pp.deadline < $1::date AND ${CN('pp.done_at')}::date <= pp.deadline)::int AS on_time,
              count(*) FILTER (WHERE pp.deadline < $1::date AND pp.done_at IS NULL)::int AS late
       FROM problem_part pp JOIN ${LEDGER('$2')} p ON p.id = pp.problem_id LEFT JOIN org_unit u ON u.code = pp.unit_code
       WHERE pp.started_at IS NOT NULL GROUP BY pp.unit_code, u.name`,
      [today, within],
    );
  }

  async byCategory(
    today: string,
    within: string | null = null,
  ): Promise<{ category: string; total: number; closed: number; overdue: number }[]> {
    return this.db.query(
      `SELECT category, count(*)::int AS total, count(*) FILTER (WHERE signed_off_at IS NOT NULL)::int AS closed,
              count(*) FILTER (WHERE deadline < $1::date AND signed_off_at IS NULL)::int AS overdue
       FROM ${LEDGER('$2')} problem GROUP BY category ORDER BY total DESC, category`,
      [today, within],
    );
  }

  /**
   * Per month (China time): problems assigned, signed off, and fallen overdue — deadline in that month, already
   * past, and not signed off by it.
   */
  /** The latest month anything happened in the ledger (assigned, signed off, a deadline passed), up to today. */
  async lastActiveMonth(today: string, within: string | null = null): Promise<string | null> {
    const [row]: { month: string | null }[] = await this.db.query(
      `SELECT to_char(greatest(max(${CN('created_at')})::date, max(${CN('signed_off_at')})::date, max(deadline) FILTER (WHERE deadline <= $1::date)), 'YYYY-MM') AS month
       FROM ${LEDGER('$2')} problem`,
      [today, within],
    );
    return row?.month ?? null;
  }

  /** Month by month from `from` to `until` (default today); overdue as of today. */
  async trend(
    from: string,
    today: string,
    until = today,
    within: string | null = null,
  ): Promise<{ month: string; assigned: number; closed: number; overdue: number }[]> {
    return this.db.query(
      `WITH months AS (SELECT to_char(d, 'YYYY-MM') AS month FROM generate_series($1::date, $3::date, interval '1 month') AS d),
            a AS (SELECT to_char(${CN('created_at')}, 'YYYY-MM') AS month, count(*)::int AS n FROM ${LEDGER('$4')} problem GROUP BY 1),
            c AS (SELECT to_char(${CN('signed_off_at')}, 'YYYY-MM') AS month, count(*)::int AS n FROM ${LEDGER('$4')} problem WHERE signed_off_at IS NOT NULL GROUP BY 1),
            o AS (SELECT to_char(deadline, 'YYYY-MM') AS month, count(*)::int AS n FROM ${LEDGER('$4')} problem
                  WHERE deadline < $2::date AND (signed_off_at IS NULL OR ${CN('signed_off_at')}::date > deadline) GROUP BY 1)
       SELECT months.month, coalesce(a.n, 0) AS assigned, coalesce(c.n, 0) AS closed, coalesce(o.n, 0) AS overdue
       FROM months LEFT JOIN a USING (month) LEFT JOIN c USING (month) LEFT JOIN o USING (month)
       ORDER BY months.month`,
      [`${from}-01`, today, until, within],
    );
  }
}
