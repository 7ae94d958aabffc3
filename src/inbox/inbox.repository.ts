import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { problemInUnits, subtreeArray } from '../org/office-scope.js';

export interface HandoverCandidateRow {
  id: string;
  username: string;
  person_name: string | null;
  unit_code: string | null;
  unit_name: string | null;
}

export interface InboxFilter {
  username: string;
  groups: string[];
  allUnits: boolean;
  unit?: string;
  overdue?: boolean;
  dueBefore?: Date;
  process?: string;
  problem?: string;
  /** An office of a lower level: only tasks of no problem, or of a problem of this unit's subtree. */
  within?: string | null;
  now: Date;
}

const SORTS: Record<string, string> = {
  due: 't.due_at ASC NULLS LAST, t.created_at',
  '-due': 't.due_at DESC NULLS LAST, t.created_at',
  created: 't.created_at',
  '-created': 't.created_at DESC',
  priority: 't.priority DESC, t.due_at ASC NULLS LAST',
};

/** The inbox's reads: one query for the page, one for the badges, both on the task table's indexes. */
@Injectable()
export class InboxRepository {
  constructor(private readonly db: DataSource) {}

  private where(f: InboxFilter, params: unknown[]): string {
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const mine =
      f.allUnits && f.unit
        ? `(t.candidate_groups && ARRAY[${p(f.unit)}]::text[])`
        : `(t.assignee = ${p(f.username)} OR (t.assignee IS NULL AND t.candidate_groups && ${p(f.groups)}::text[]))`;
    const parts = [mine];
    if (f.process) parts.push(`t.definition_key = ${p(f.process)}`);
    if (f.problem) parts.push(`t.business_key = ${p(f.problem)}`);
    if (f.unit && !f.allUnits) parts.push(`t.candidate_groups && ARRAY[${p(f.unit)}]::text[]`);
    if (f.within) {
      const units = problemInUnits(subtreeArray(p(f.within)), 'p0');
      parts.push(`NOT EXISTS (SELECT 1 FROM problem p0 WHERE p0.code = t.business_key AND NOT ${units})`);
    }
    return parts.join(' AND ');
  }

  async page(f: InboxFilter, sort: string, offset: number, limit: number): Promise<{ rows: any[]; total: number }> {
    const params: unknown[] = [];
    let where = this.where(f, params);
    if (f.overdue) {
      params.push(f.now);
      where += ` AND t.due_at < $${params.length}`;
    }
    if (f.dueBefore) {
      params.push(f.dueBefore);
      where += ` AND t.due_at <= $${params.length}`;
    }
    const rows = await this.db.query(
      `SELECT t.id, t.name, t.activity_id, t.definition_key, t.business_key, t.instance_id, t.assignee, t.candidate_groups, t.due_at, t.created_at,
              t.priority, t.form_key, p.id AS problem_id, p.code AS problem_code, p.title AS problem_title, p.light, p.status, p.lead_unit, p.deadline,
              count(*) OVER () AS total
       FROM engine_task t LEFT JOIN problem p ON p.code = t.business_key
       WHERE ${where} ORDER BY ${SORTS[sort] ?? SORTS.due} OFFSET ${offset} LIMIT ${limit}`,
      params,
    );
    return { rows, total: rows.length ? Number(rows[0].total) : 0 };
  }

  async counts(
    f: InboxFilter,
    soon: Date,
  ): Promise<{ all: number; overdue: number; dueSoon: number; byProcess: Record<string, number> }> {
    const params: unknown[] = [];
    const where = this.where(f, params);
    params.push(f.now, soon);
    const rows: { definition_key: string; n: number; overdue: number; soon: number }[] = await this.db.query(
      `SELECT t.definition_key, count(*)::int AS n,
              count(*) FILTER (WHERE t.due_at < $${params.length - 1})::int AS overdue,
              count(*) FILTER (WHERE t.due_at <= $${params.length})::int AS soon
       FROM engine_task t WHERE ${where} GROUP BY t.definition_key`,
      params,
    );
    return {
      all: rows.reduce((a, r) => a + r.n, 0),
      overdue: rows.reduce((a, r) => a + r.overdue, 0),
      dueSoon: rows.reduce((a, r) => a + r.soon, 0),
      byProcess: Object.fromEntries(rows.map((r) => [r.definition_key, r.n])),
    };
  }

  async accountOf(
    username: string,
  ): Promise<{ username: string; unit_code: string | null; role: string; disabled: boolean } | null> {
    const [row] = await this.db
      .query(`SELECT username, unit_code, role, disabled FROM account WHERE username = $1`, [username])
      .catch(() => []);
    return row ?? null;
  }

  /**
   * Active accounts of these groups (a unit account's group is its unit, the others' their role), but `self`:
   * whom a task can be handed over to (转办), with the person's name.
   */
  async colleagues(groups: string[], self: string): Promise<HandoverCandidateRow[]> {
    if (!groups.length) return [];
    return this.db.query(
      `SELECT a.id, a.username, p.name AS person_name, a.unit_code, u.name AS unit_name
         FROM account a LEFT JOIN org_person p ON p.id = a.person_id LEFT JOIN org_unit u ON u.code = a.unit_code
        WHERE NOT a.disabled AND a.username <> $2
          AND ((a.role = 'unit' AND a.unit_code = ANY($1::text[])) OR (a.role <> 'unit' AND a.role = ANY($1::text[])))
        ORDER BY p.name NULLS LAST, a.username LIMIT 200`,
      [groups, self],
    );
  }

  /** A task id that existed and was completed (its activity row keeps the id). */
  async wasTask(id: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
    const [row] = await this.db.query(`SELECT 1 FROM engine_history WHERE task_id = $1 LIMIT 1`, [id]);
    return Boolean(row);
  }

  async problemByCode(code: string): Promise<any | null> {
    const [row] = await this.db.query(`SELECT * FROM problem WHERE code = $1`, [code]);
    return row ?? null;
  }
}
