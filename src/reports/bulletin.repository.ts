import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returned } from '../common/sql.js';
import { subtreeArray } from '../org/office-scope.js';
import type { Queryable } from '../engine/definition.service.js';
import type { BulletinView } from './bulletin-view.js';
import type { PartFact, ProblemFact, ReportFact } from './rules/bulletin-rules.js';

export interface PublishedRow {
  month: string;
  document_no: string;
  as_of: Date;
  published_at: Date;
  published_by: string;
  snapshot: BulletinView;
}

/** What a bulletin is computed from (dates of the ledger and of the monthly reports) and the frozen snapshots. */
@Injectable()
export class BulletinRepository {
  constructor(private readonly db: DataSource) {}

  /** Every problem assigned before the cut-off, with the dates the bulletin counts from. */
  async problemFacts(cutoff: Date, q: Queryable = this.db): Promise<ProblemFact[]> {
    const rows: any[] = await q.query(
      `SELECT id, code, title, lead_unit, responsible_units, deadline::text AS deadline, created_at, signed_off_at, effective_at
       FROM problem WHERE created_at < $1`,
      [cutoff],
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      title: r.title,
      leadUnit: r.lead_unit,
      responsibleUnits: r.responsible_units ?? [],
      deadline: r.deadline,
      assignedAt: new Date(r.created_at).getTime(),
      signedOffAt: r.signed_off_at ? new Date(r.signed_off_at).getTime() : null,
      effectiveAt: r.effective_at ? new Date(r.effective_at).getTime() : null,
    }));
  }

  /** Every co-unit's part started before the cut-off (分工), with its deadline and completion. */
  async partFacts(cutoff: Date, q: Queryable = this.db): Promise<PartFact[]> {
    const rows: { problem_id: string; unit_code: string; deadline: string; started_at: Date; done_at: Date | null }[] =
      await q.query(
        `SELECT problem_id, unit_code, deadline::text AS deadline, started_at, done_at FROM problem_part
         WHERE started_at < $1 ORDER BY problem_id, unit_code`,
        [cutoff],
      );
    return rows.map((r) => ({
      problemId: r.problem_id,
      unit: r.unit_code,
      deadline: r.deadline,
      startedAt: new Date(r.started_at).getTime(),
      doneAt: r.done_at ? new Date(r.done_at).getTime() : null,
    }));
  }

  /** The month's report requests made before the cut-off, each with the problems reported on before it. */
  async reportFacts(month: string, cutoff: Date, q: Queryable = this.db): Promise<ReportFact[]> {
    const rows: { unit_code: string; problem_ids: string[]; reported: string[] }[] = await q.query(
      `SELECT r.unit_code, r.problem_ids,
         ARRAY(SELECT p.problem_id FROM problem_progress p WHERE p.month = r.month AND p.unit_code = r.unit_code AND p.reported_at < $2)::text[] AS reported
       FROM monthly_report_request r WHERE r.month = $1 AND r.requested_at < $2 ORDER BY r.unit_code`,
      [month, cutoff],
    );
    return rows.map((r) => ({ unit: r.unit_code, problemIds: r.problem_ids, reportedIds: r.reported }));
  }

  async unitNames(q: Queryable = this.db): Promise<{ names: Map<string, string>; city: string | null }> {
    const rows: { code: string; name: string; parent_code: string | null; level: string | null }[] = await q.query(
      `SELECT code, name, parent_code, level FROM org_unit ORDER BY code`,
    );
    return {
      names: new Map(rows.map((r) => [r.code, r.name])),
      // Under a province's office (levels), the city is the unit at the city's level; else the top of the tree.
      city: (rows.find((r) => r.level === 'city') ?? rows.find((r) => r.parent_code === null))?.name ?? null,
    };
  }

  /** The unit `code` and every unit below it, with the unit's own name (null when there is no such unit). */
  async subtree(code: string, q: Queryable = this.db): Promise<{ name: string; codes: Set<string> } | null> {
    const [row]: { name: string | null; codes: string[] }[] = await q.query(
      `SELECT (SELECT name FROM org_unit WHERE code = $1) AS name, ${subtreeArray('$1')} AS codes`,
      [code],
    );
    return row?.name ? { name: row.name, codes: new Set(row.codes) } : null;
  }

  async find(month: string, q: Queryable = this.db): Promise<PublishedRow | null> {
    const [row] = await q.query(
      `SELECT month, document_no, as_of, published_at, published_by, snapshot FROM bulletin WHERE month = $1`,
      [month],
    );
    return row ?? null;
  }

  async list(q: Queryable = this.db): Promise<Omit<PublishedRow, 'snapshot'>[]> {
    return q.query(`SELECT month, document_no, as_of, published_at, published_by FROM bulletin ORDER BY month DESC`);
  }

  async countIssuedIn(year: number, q: Queryable = this.db): Promise<number> {
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM bulletin WHERE document_no LIKE $1`, [
      `%〔${year}〕%`,
    ]);
    return n;
  }

  /** Inserts unless the month is already published; answers whether it did. */
  async insert(row: PublishedRow, q: Queryable = this.db): Promise<boolean> {
    const res = await q.query(
      `INSERT INTO bulletin (month, document_no, as_of, published_at, published_by, snapshot) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (month) DO NOTHING RETURNING month`,
      [row.month, row.document_no, row.as_of, row.published_at, row.published_by, JSON.stringify(row.snapshot)],
    );
    return returned(res).length > 0;
  }
}
