import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { subtreeArray } from '../../org/office-scope.js';
import type { Queryable } from '../../engine/definition.service.js';
import { chinaDate } from '../../problems/rules/china-date.js';

export const ACTION_TYPES = [
  'reminder',
  'urge',
  'notice',
  'bulletin',
  'interview',
  'inspection',
  'accountability',
  'extension',
  'document',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const ACTION_LABELS: Record<ActionType, string> = {
  reminder: '提醒',
  urge: '催报催办',
  notice: '督办单',
  bulletin: '通报',
  interview: '约谈',
  inspection: '专项督察',
  accountability: '追责',
  extension: '延期',
  document: '督办文书',
};

/** 督办〔2026〕12号: numbered per type and year; reminders are no document and get no number. */
const DOCUMENT_PREFIX: Partial<Record<ActionType, string>> = {
  urge: '催办',
  notice: '督办',
  bulletin: '通报',
  interview: '约谈',
  inspection: '督察',
  accountability: '问责',
  extension: '延期',
};

export interface ActionRow {
  id: string;
  problem_id: string;
  problem_code?: string;
  unit_code: string;
  person_id: string | null;
  type: ActionType;
  status: string;
  title: string;
  body: Record<string, unknown>;
  deadline: string | null;
  issued_at: Date;
  closed_at: Date | null;
  process_instance_id: string | null;
  document_no: string | null;
}

export interface NewAction {
  problemId: string;
  unitCode: string;
  personId?: string | null;
  type: ActionType;
  status: string;
  title: string;
  body: Record<string, unknown>;
  deadline?: string | null;
  processInstanceId?: string | null;
  /** The number prefix of a `document` (a kind a rung of the BPMN names, e.g. 挂牌); one sequence per prefix and year. */
  documentPrefix?: string;
  /** A number already given (one 督办单 per unit and cycle, one row per problem it lists). */
  documentNo?: string;
  /** Idempotency: a second issue with the same key answers the first action (handlers run again after a crash). */
  dedupeKey: string;
  closedAt?: Date | null;
}

export interface ActionFilter {
  problemId?: string;
  unit?: string;
  /** Addressed to this unit or a unit below it. */
  within?: string;
  /** On the problems whose responsible leader (责任领导) is this account. */
  leader?: string;
  type?: ActionType;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const COLS = `a.id, a.problem_id, p.code AS problem_code, a.unit_code, a.person_id, a.type, a.status, a.title, a.body, a.deadline::text AS deadline,
  a.issued_at, a.closed_at, a.process_instance_id, a.document_no`;

/** `supervision_action` and `accountability_record`; `q` is the step's transaction when there is one. */
@Injectable()
export class ActionsRepository {
  constructor(private readonly db: DataSource) {}

  /** Records an action once per dedupe key, numbering its document; answers the stored action. */
  async issue(q: Queryable, a: NewAction, at: Date): Promise<ActionRow> {
    const existing = await this.findByDedupe(q, a.dedupeKey);
    if (existing) return existing;
    const documentNo = a.documentNo ?? (await this.documentNo(q, a.type, at, a.documentPrefix));
    const id = randomUUID();
    await q.query(
      `INSERT INTO supervision_action (id, problem_id, unit_code, person_id, type, status, title, body, deadline, issued_at, closed_at, process_instance_id, document_no, dedupe_key)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10,$11,$12,$13,$14)`,
      [
        id,
        a.problemId,
        a.unitCode,
        a.personId ?? null,
        a.type,
        a.status,
        a.title,
        JSON.stringify(a.body),
        a.deadline ?? null,
        at,
        a.closedAt ?? null,
        a.processInstanceId ?? null,
        documentNo,
        a.dedupeKey,
      ],
    );
    return (await this.find(q, id))!;
  }

  /** Status, body fields merged in, deadline, closing time. */
  async update(
    q: Queryable,
    id: string,
    u: { status?: string; body?: Record<string, unknown>; deadline?: string | null; closedAt?: Date | null },
  ): Promise<void> {
    await q.query(
      `UPDATE supervision_action SET status = COALESCE($2, status), body = body || $3::jsonb,
         deadline = CASE WHEN $4::boolean THEN $5::date ELSE deadline END, closed_at = COALESCE($6, closed_at) WHERE id = $1`,
      [
        id,
        u.status ?? null,
        JSON.stringify(u.body ?? {}),
        u.deadline !== undefined,
        u.deadline ?? null,
        u.closedAt ?? null,
      ],
    );
  }

  async find(q: Queryable, id: string): Promise<ActionRow | null> {
    const [row] = await q.query(
      `SELECT ${COLS} FROM supervision_action a JOIN problem p ON p.id = a.problem_id WHERE a.id = $1`,
      [id],
    );
    return row ?? null;
  }

  async findByDedupe(q: Queryable, key: string): Promise<ActionRow | null> {
    const [row] = await q.query(
      `SELECT ${COLS} FROM supervision_action a JOIN problem p ON p.id = a.problem_id WHERE a.dedupe_key = $1`,
      [key],
    );
    return row ?? null;
  }

  /** The action a process (an interview, an inspection, an extension) keeps its record in. */
  async findByInstance(q: Queryable, instanceId: string, type: ActionType): Promise<ActionRow | null> {
    const [row] = await q.query(
      `SELECT ${COLS} FROM supervision_action a JOIN problem p ON p.id = a.problem_id WHERE a.process_instance_id = $1 AND a.type = $2 ORDER BY a.issued_at LIMIT 1`,
      [instanceId, type],
    );
    return row ?? null;
  }

  /** The ladder's actions taken for one deadline of a problem, with their status. */
  async ladderActions(
    q: Queryable,
    problemId: string,
    ladderDeadline: string,
  ): Promise<{ type: ActionType; status: string }[]> {
    return q.query(
      `SELECT type, status FROM supervision_action WHERE problem_id = $1 AND body->>'ladderDeadline' = $2 ORDER BY issued_at, seq`,
      [problemId, ladderDeadline],
    );
  }

  /** The latest 督办单 of a problem issued since `since` (a second one in the same week cites it). */
  async recentNotice(
    q: Queryable,
    problemId: string,
    since: Date,
  ): Promise<{ documentNo: string; issuedAt: Date; source: string | null } | null> {
    const [row] = await q.query(
      `SELECT document_no, issued_at, body->>'source' AS source FROM supervision_action
       WHERE problem_id = $1 AND type = 'notice' AND issued_at >= $2 AND document_no IS NOT NULL ORDER BY issued_at DESC, seq DESC LIMIT 1`,
      [problemId, since],
    );
    return row ? { documentNo: row.document_no, issuedAt: new Date(row.issued_at), source: row.source ?? null } : null;
  }

  async list(f: ActionFilter, q: Queryable = this.db): Promise<{ rows: ActionRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    if (f.problemId) where.push(`a.problem_id = ${p(f.problemId)}`);
    if (f.unit) where.push(`a.unit_code = ${p(f.unit)}`);
    if (f.within) where.push(`a.unit_code = ANY(${subtreeArray(p(f.within))})`);
    if (f.leader) where.push(`a.problem_id IN (SELECT id FROM problem WHERE responsible_leader = ${p(f.leader)})`);
    if (f.type) where.push(`a.type = ${p(f.type)}`);
    // China dates, both ends included.
    if (f.from) where.push(`a.issued_at >= (${p(f.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
    if (f.to) where.push(`a.issued_at < ((${p(f.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
    const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM supervision_action a ${sql}`, params);
    const rows = await q.query(
      `SELECT ${COLS} FROM supervision_action a JOIN problem p ON p.id = a.problem_id ${sql} ORDER BY a.issued_at DESC, a.seq DESC LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
      params,
    );
    return { rows, total: n };
  }

  /** The next number of a document type in the China year of `at`; null for types that are no document. */
  async documentNo(q: Queryable, type: ActionType, at: Date, documentPrefix?: string): Promise<string | null> {
    const prefix = type === 'document' ? documentPrefix : DOCUMENT_PREFIX[type];
    if (!prefix) return null;
    const year = Number(chinaDate(at.getTime()).slice(0, 4));
    const [row] = await q.query(
      `INSERT INTO supervision_document_seq (type, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (type, year) DO UPDATE SET last = supervision_document_seq.last + 1 RETURNING last`,
      [type === 'document' ? `document:${prefix}` : type, year],
    );
    return `${prefix}〔${year}〕${row.last}号`;
  }

  async insertRecord(
    q: Queryable,
    r: {
      problemId: string;
      unitCode: string;
      personId: string | null;
      personName: string | null;
      measure: string;
      reason: string | null;
      decidedAt: Date;
      actionId: string;
      processInstanceId: string;
    },
  ): Promise<void> {
    await q.query(
      `INSERT INTO accountability_record (id, problem_id, unit_code, person_id, person_name, measure, reason, decided_at, action_id, process_instance_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [
        randomUUID(),
        r.problemId,
        r.unitCode,
        r.personId,
        r.personName,
        r.measure,
        r.reason,
        r.decidedAt,
        r.actionId,
        r.processInstanceId,
      ],
    );
  }

  async records(q: Queryable, filter: { actionId?: string; problemId?: string }): Promise<any[]> {
    return q.query(
      `SELECT id, problem_id, unit_code, person_id, person_name, measure, reason, decided_at, action_id, process_instance_id FROM accountability_record
       WHERE ($1::uuid IS NULL OR action_id = $1) AND ($2::uuid IS NULL OR problem_id = $2) ORDER BY decided_at, person_name`,
      [filter.actionId ?? null, filter.problemId ?? null],
    );
  }

  /** A person of the unit by name (the ledger keeps the responsible person's name). */
  async personId(q: Queryable, unitCode: string, name: string | null): Promise<string | null> {
    if (!name) return null;
    const [row] = await q.query(
      `SELECT id FROM org_person WHERE unit_code = $1 AND name = $2 ORDER BY created_at LIMIT 1`,
      [unitCode, name],
    );
    return row?.id ?? null;
  }

  async unitName(q: Queryable, code: string): Promise<string> {
    const [row] = await q.query(`SELECT name FROM org_unit WHERE code = $1`, [code]);
    return row?.name ?? code;
  }
}
