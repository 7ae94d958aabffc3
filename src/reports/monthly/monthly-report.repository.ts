import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../../engine/definition.service.js';
import { OPEN_STATUSES } from '../../problems/problem-status.js';

export interface RequestRow {
  month: string;
  unit_code: string;
  problem_ids: string[];
  instance_id: string;
  requested_at: Date;
  due_at: Date | null;
  chased_at: Date | null;
}

export interface ReportProblem {
  id: string;
  code: string;
  title: string;
  deadline: string;
  status: string;
  light: string;
  signed_off_at: Date | null;
  reported: boolean;
}

/** 月调度: who was asked for the month's progress report on which problems, and who has not answered. */
@Injectable()
export class MonthlyReportRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Units with problems still being rectified, each with those problems (code order): the lead units for the
   * problems they lead, and each co-unit for the problems whose part (分工) it is still carrying out — its own
   * line in the month's report.
   */
  async openProblemsByLeadUnit(q: Queryable = this.db): Promise<{ unit: string; ids: string[] }[]> {
    const rows: { unit: string; ids: string[] }[] = await q.query(
      `SELECT unit, array_agg(id ORDER BY code)::text[] AS ids FROM (
         SELECT lead_unit AS unit, id, code FROM problem WHERE status = ANY($1)
         UNION
         SELECT pp.unit_code, p.id, p.code FROM problem_part pp JOIN problem p ON p.id = pp.problem_id
         WHERE pp.status = 'open' AND p.status = ANY($1)
       ) x GROUP BY unit ORDER BY unit`,
      [OPEN_STATUSES],
    );
    return rows.map((r) => ({ unit: r.unit, ids: r.ids }));
  }

  /** A request per unit and month, once: a re-run handler finds the rows of its first run. */
  async insertRequests(
    month: string,
    instanceId: string,
    units: { unit: string; ids: string[] }[],
    at: Date,
    q: Queryable = this.db,
  ): Promise<void> {
    if (!units.length) return;
    await q.query(
      `INSERT INTO monthly_report_request (month, unit_code, problem_ids, instance_id, requested_at)
       SELECT $1, x.unit, string_to_array(x.ids, ',')::uuid[], $2, $3 FROM unnest($4::text[], $5::text[]) AS x(unit, ids)
       ON CONFLICT (month, unit_code) DO NOTHING`,
      [month, instanceId, at, units.map((u) => u.unit), units.map((u) => u.ids.join(','))],
    );
  }

  async requests(month: string, q: Queryable = this.db): Promise<RequestRow[]> {
    return q.query(
      `SELECT month, unit_code, problem_ids::text[] AS problem_ids, instance_id, requested_at, due_at, chased_at FROM monthly_report_request WHERE month = $1 ORDER BY unit_code`,
      [month],
    );
  }

  async request(month: string, unit: string, q: Queryable = this.db): Promise<RequestRow | null> {
    const [row] = await q.query(
      `SELECT month, unit_code, problem_ids::text[] AS problem_ids, instance_id, requested_at, due_at, chased_at FROM monthly_report_request WHERE month = $1 AND unit_code = $2`,
      [month, unit],
    );
    return row ?? null;
  }

  async setDue(month: string, unit: string, dueAt: Date | null, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE monthly_report_request SET due_at = $3 WHERE month = $1 AND unit_code = $2`, [
      month,
      unit,
      dueAt,
    ]);
  }

  /** The request's problems, each with whether the unit has reported on it this month. */
  async problemsOf(req: RequestRow, q: Queryable = this.db): Promise<ReportProblem[]> {
    return q.query(
      `SELECT p.id, p.code, p.title, p.deadline::text AS deadline, p.status, p.light, p.signed_off_at,
         EXISTS (SELECT 1 FROM problem_progress g WHERE g.problem_id = p.id AND g.month = $2 AND g.unit_code = $3) AS reported
       FROM problem p WHERE p.id = ANY($1::uuid[]) ORDER BY p.code`,
      [req.problem_ids, req.month, req.unit_code],
    );
  }

  /** 催报: problems of the month's requests not reported on and not signed off. */
  async missing(month: string, q: Queryable = this.db): Promise<{ unit: string; problemId: string; code: string }[]> {
    const rows: { unit_code: string; id: string; code: string }[] = await q.query(
      `SELECT r.unit_code, p.id, p.code FROM monthly_report_request r JOIN problem p ON p.id = ANY(r.problem_ids)
       WHERE r.month = $1 AND p.signed_off_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM problem_progress g WHERE g.problem_id = p.id AND g.month = r.month AND g.unit_code = r.unit_code)
       ORDER BY r.unit_code, p.code`,
      [month],
    );
    return rows.map((r) => ({ unit: r.unit_code, problemId: r.id, code: r.code }));
  }

  async markChased(month: string, units: string[], at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE monthly_report_request SET chased_at = COALESCE(chased_at, $3) WHERE month = $1 AND unit_code = ANY($2)`,
      [month, units, at],
    );
  }

  async tableExists(name: string, q: Queryable = this.db): Promise<boolean> {
    const [row] = await q.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [name]);
    return Boolean(row?.present);
  }
}
