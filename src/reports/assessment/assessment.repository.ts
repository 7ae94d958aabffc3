import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../../engine/definition.service.js';
import type { ScoreAction, ScoreProblem, ScoreReport } from './assessment-rules.js';
import { WEIGHT_KEYS } from './assessment-weights.js';

interface ProblemRow {
  id: string;
  code: string;
  title: string;
  lead_unit: string;
  deadline: string;
  created_at: Date;
  signed_off_at: Date | null;
  rebound_at: Date | null;
  effective_at: Date | null;
}

interface ActionRow {
  id: string;
  type: ScoreAction['type'];
  unit_code: string;
  problem_id: string;
  code: string;
  title: string;
  document_no: string | null;
  issued_at: Date;
}

interface ReportRow {
  month: string;
  unit_code: string;
  problem_ids: string[];
  reported: string[];
}

const ms = (d: Date | null) => (d ? new Date(d).getTime() : null);

/** What the annual score is counted from: the ledger's dates, the supervision actions, the monthly reports. */
@Injectable()
export class AssessmentRepository {
  constructor(private readonly db: DataSource) {}

  async problems(cutoff: Date, q: Queryable = this.db): Promise<ScoreProblem[]> {
    const rows: ProblemRow[] = await q.query(
      `SELECT id, code, title, lead_unit, deadline::text AS deadline, created_at, signed_off_at, effective_at,
         CASE WHEN status = 'rebounded' THEN rechecked_at END AS rebound_at
       FROM problem WHERE created_at < $1`,
      [cutoff],
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      title: r.title,
      leadUnit: r.lead_unit,
      deadline: r.deadline,
      assignedAt: new Date(r.created_at).getTime(),
      signedOffAt: ms(r.signed_off_at),
      reboundAt: ms(r.rebound_at),
      effectiveAt: ms(r.effective_at),
    }));
  }

  /** 通报, 约谈 and 追责 issued in [from, to). */
  async actions(from: Date, to: Date, q: Queryable = this.db): Promise<ScoreAction[]> {
    const rows: ActionRow[] = await q.query(
      `SELECT a.id, a.type, a.unit_code, a.problem_id, p.code, a.title, a.document_no, a.issued_at
       FROM supervision_action a JOIN problem p ON p.id = a.problem_id
       WHERE a.type IN ('bulletin', 'interview', 'accountability') AND a.issued_at >= $1 AND a.issued_at < $2`,
      [from, to],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      unit: r.unit_code,
      problemId: r.problem_id,
      problemCode: r.code,
      title: r.title,
      documentNo: r.document_no,
      issuedAt: new Date(r.issued_at).getTime(),
    }));
  }

  /** The months' report requests, each with the problems reported on before the month's end (`ends`, same order). */
  async reports(months: string[], ends: Date[], q: Queryable = this.db): Promise<ScoreReport[]> {
    if (!months.length) return [];
    const rows: ReportRow[] = await q.query(
      `SELECT r.month, r.unit_code, r.problem_ids::text[] AS problem_ids,
         ARRAY(SELECT p.problem_id FROM problem_progress p
               WHERE p.month = r.month AND p.unit_code = r.unit_code AND p.reported_at < m.ends)::text[] AS reported
       FROM monthly_report_request r JOIN unnest($1::text[], $2::timestamptz[]) AS m(month, ends) ON m.month = r.month
       WHERE r.requested_at < m.ends ORDER BY r.month, r.unit_code`,
      [months, ends],
    );
    return rows.map((r) => ({ month: r.month, unit: r.unit_code, problemIds: r.problem_ids, reportedIds: r.reported }));
  }

  /** The China-time year of the first problem assigned, or null with none. */
  async firstYear(q: Queryable = this.db): Promise<number | null> {
    const [row]: { year: number | null }[] = await q.query(
      `SELECT extract(year FROM min(created_at) AT TIME ZONE 'Asia/Shanghai')::int AS year FROM problem`,
    );
    return row?.year ?? null;
  }

  async unitNames(q: Queryable = this.db): Promise<Map<string, string>> {
    const rows: { code: string; name: string }[] = await q.query(`SELECT code, name FROM org_unit`);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** The tree's root (the city), whose office issues the assessment. */
  async cityName(q: Queryable = this.db): Promise<string | null> {
    const [row]: { name: string }[] = await q.query(
      `SELECT name FROM org_unit WHERE parent_code IS NULL ORDER BY code LIMIT 1`,
    );
    return row?.name ?? null;
  }

  async weightRows(q: Queryable = this.db): Promise<{ key: string; value: unknown }[]> {
    return q.query(`SELECT key, value FROM supervision_setting WHERE key = ANY($1)`, [WEIGHT_KEYS]);
  }

  async putWeight(key: string, value: number, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO supervision_setting (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [key, JSON.stringify(value), at],
    );
  }
}
