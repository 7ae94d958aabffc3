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

/** A task completed (已办): the engine's history row, its problem and what was submitted with it. */
export interface DoneRow {
  task_id: string;
  activity_id: string;
  activity_name: string | null;
  definition_key: string;
  business_key: string | null;
  assignee: string;
  started_at: Date;
  ended_at: Date;
  submitted: Record<string, unknown> | null;
  person_name: string | null;
  unit_code: string | null;
  unit_name: string | null;
  problem_id: string | null;
  problem_code: string | null;
  problem_title: string | null;
  light: string | null;
  status: string | null;
  lead_unit: string | null;
  deadline: string | null;
  total: string;
}

/** A document copied to the reader (抄送): a supervision action on a problem it shares, or a published 月通报. */
export interface CopyRow {
  kind: 'action' | 'bulletin';
  id: string;
  type: string;
  title: string;
  document_no: string | null;
  issued_at: Date;
  to_unit: string | null;
  to_unit_name: string | null;
  problem_id: string | null;
  problem_code: string | null;
  problem_title: string | null;
  light: string | null;
  total: string;
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

  /**
   * The tasks completed by these accounts (by username; a unit's: every account of the unit), newest first,
   * with what was submitted (the trail's entry of the step) and the problem.
   */
  async done(who: { username?: string; unit?: string }, offset: number, limit: number): Promise<DoneRow[]> {
    const by = who.unit ? `h.assignee IN (SELECT username FROM account WHERE unit_code = $1)` : `h.assignee = $1`;
    return this.db.query(
      `SELECT h.task_id, h.activity_id, h.activity_name, i.definition_key, i.business_key, h.assignee, h.started_at, h.ended_at,
              ae.submitted, pe.name AS person_name, ac.unit_code, u.name AS unit_name,
              p.id AS problem_id, p.code AS problem_code, p.title AS problem_title, p.light, p.status, p.lead_unit, p.deadline,
              count(*) OVER () AS total
         FROM engine_history h
         JOIN engine_instance i ON i.id = h.instance_id
         LEFT JOIN problem p ON p.code = i.business_key
         LEFT JOIN account ac ON ac.username = h.assignee
         LEFT JOIN org_person pe ON pe.id = ac.person_id
         LEFT JOIN org_unit u ON u.code = ac.unit_code
         LEFT JOIN LATERAL (
           SELECT a.details -> 'submitted' AS submitted FROM audit_entry a
            WHERE a.entity_type = 'task' AND a.entity_id = h.task_id::text AND a.action = 'task.ended' LIMIT 1
         ) ae ON true
        WHERE h.task_id IS NOT NULL AND h.ended_at IS NOT NULL AND NOT h.canceled AND ${by}
        ORDER BY h.ended_at DESC, h.id DESC OFFSET ${offset} LIMIT ${limit}`,
      [who.unit ?? who.username],
    );
  }

  /**
   * What is copied to the reader, newest first: for a unit, the supervision actions (督办单, 通报, 约谈 …)
   * addressed to another unit on a problem the unit shares (配合单位); for leaders and inspectors, every
   * document the ladder issues (督办单, 通报, 约谈, 专项督察, 问责: 抄送市领导); for everyone, the published 月通报.
   */
  async copies(reader: { unit: string } | 'leaders' | null, offset: number, limit: number): Promise<CopyRow[]> {
    const select = `SELECT 'action' AS kind, a.id::text AS id, a.type, a.title, a.document_no, a.issued_at, a.unit_code AS to_unit,
                u.name AS to_unit_name, p.id AS problem_id, p.code AS problem_code, p.title AS problem_title, p.light
           FROM supervision_action a JOIN problem p ON p.id = a.problem_id LEFT JOIN org_unit u ON u.code = a.unit_code`;
    const unit = reader && reader !== 'leaders' ? reader.unit : null;
    const actions = unit
      ? `${select}
          WHERE $1::text = ANY(p.responsible_units) AND a.unit_code <> $1::text AND a.type <> 'extension'
         UNION ALL `
      : reader === 'leaders'
        ? `${select}
          WHERE a.type IN ('notice', 'bulletin', 'interview', 'inspection', 'accountability')
         UNION ALL `
        : '';
    return this.db.query(
      `SELECT c.*, count(*) OVER () AS total FROM (
         ${actions}SELECT 'bulletin' AS kind, b.month AS id, 'bulletin' AS type, b.month AS title, b.document_no, b.published_at AS issued_at,
                NULL AS to_unit, NULL AS to_unit_name, NULL::uuid AS problem_id, NULL AS problem_code, NULL AS problem_title, NULL AS light
           FROM bulletin b
       ) c ORDER BY c.issued_at DESC, c.id DESC OFFSET ${offset} LIMIT ${limit}`,
      unit ? [unit] : [],
    );
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
