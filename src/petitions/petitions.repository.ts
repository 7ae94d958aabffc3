import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { returned } from '../common/sql.js';
import type { Queryable } from '../engine/definition.service.js';
import type { CellError } from '../problems/import/import-columns.js';
import { JobTable } from '../problems/import/import-runner.js';
import type { PetitionDraft, Verdict } from './rules/petition-rules.js';

export type BatchStatus = 'queued' | 'running' | 'done' | 'failed';
export type PetitionStatus = 'assigned' | 'investigating' | 'handling' | 'reviewing' | 'closed' | 'duplicate';

export interface BatchRow {
  id: string;
  code: string;
  title: string;
  received_on: string;
  assign_days: number;
  close_by: string;
  status: BatchStatus;
  rows: number;
  done: number;
  message: string | null;
  errors: CellError[];
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
  published_at: Date | null;
  published_by: string | null;
}

export interface ClaimedBatch extends BatchRow {
  drafts: PetitionDraft[];
  created_by_user: AuthUser | null;
}

/** A complaint as the office sees it (complainant data included: never for the public answers). */
export interface PetitionRow {
  id: string;
  batch_id: string;
  code: string;
  row_no: number | null;
  summary: string;
  district: string;
  pollution_type: string;
  unit_code: string;
  complainant_name: string | null;
  complainant_phone: string | null;
  complainant_address: string | null;
  duplicate_of: string | null;
  duplicate_of_code: string | null;
  status: PetitionStatus;
  verdict: Verdict | null;
  investigation: string | null;
  evidence: string | null;
  handling: string | null;
  accountability: string | null;
  ordered_rectify: boolean;
  case_filed: boolean;
  fine_wan: string;
  detained: number;
  interviewed: number;
  accountable_people: number;
  lasting_harm: boolean;
  returned_count: number;
  review_comment: string | null;
  problem_id: string | null;
  problem_code: string | null;
  process_instance_id: string | null;
  assigned_on: string;
  signed_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  chases: number;
  /** The office's open 审核 task of it, if it waits there. */
  review_task_id: string | null;
}

/** What the public page shows of a complaint: no complainant field is ever selected. */
export interface PublicPetitionRow {
  code: string;
  district: string;
  pollution_type: string;
  verdict: Verdict | null;
  handling: string | null;
  accountability: string | null;
  status: PetitionStatus;
  duplicate_of_code: string | null;
}

/** Counts of one set of complaints, by whatever it is grouped by (batch, district, pollution type). */
export interface CountRow {
  group: string | null;
  received: number;
  assigned: number;
  closed: number;
  true_: number;
  partly: number;
  untrue: number;
  ordered_rectify: number;
  case_filed: number;
  fine_wan: string;
  detained: number;
  interviewed: number;
  accountable_people: number;
  duplicates: number;
  chased: number;
  to_ledger: number;
}

export interface PetitionFilter {
  district?: string;
  pollutionType?: string;
  status?: PetitionStatus;
  verdict?: Verdict;
  unit?: string;
  q?: string;
  limit: number;
  offset: number;
}

const BATCH_COLS = `id, code, title, to_char(received_on, 'YYYY-MM-DD') AS received_on, assign_days,
  to_char(close_by, 'YYYY-MM-DD') AS close_by, status, rows, done, message, errors, created_by, created_by_name,
  created_at, started_at, finished_at, attempts, published_at, published_by`;

const PETITION_COLS = `p.id, p.batch_id, p.code, p.row_no, p.summary, p.district, p.pollution_type, p.unit_code,
  p.complainant_name, p.complainant_phone, p.complainant_address, p.duplicate_of, d.code AS duplicate_of_code,
  p.status, p.verdict, p.investigation, p.evidence, p.handling, p.accountability, p.ordered_rectify, p.case_filed,
  p.fine_wan, p.detained, p.interviewed, p.accountable_people, p.lasting_harm, p.returned_count, p.review_comment,
  p.problem_id, pr.code AS problem_code, p.process_instance_id, to_char(p.assigned_on, 'YYYY-MM-DD') AS assigned_on,
  p.signed_at, p.closed_at, p.created_at,
  (SELECT count(*)::int FROM petition_chase c WHERE c.petition_id = p.id) AS chases,
  (SELECT t.id FROM engine_task t WHERE t.instance_id = p.process_instance_id AND t.activity_id = 'review' LIMIT 1)
    AS review_task_id`;
const PETITION_FROM = `petition p LEFT JOIN petition d ON d.id = p.duplicate_of LEFT JOIN problem pr ON pr.id = p.problem_id`;

const COUNTS = `count(*)::int AS received,
  count(*) FILTER (WHERE p.status <> 'duplicate')::int AS assigned,
  count(*) FILTER (WHERE p.status = 'closed')::int AS closed,
  count(*) FILTER (WHERE p.verdict = '属实' AND p.status = 'closed')::int AS true_,
  count(*) FILTER (WHERE p.verdict = '部分属实' AND p.status = 'closed')::int AS partly,
  count(*) FILTER (WHERE p.verdict = '不属实' AND p.status = 'closed')::int AS untrue,
  count(*) FILTER (WHERE p.ordered_rectify AND p.status = 'closed')::int AS ordered_rectify,
  count(*) FILTER (WHERE p.case_filed AND p.status = 'closed')::int AS case_filed,
  COALESCE(sum(p.fine_wan) FILTER (WHERE p.status = 'closed'), 0)::text AS fine_wan,
  COALESCE(sum(p.detained) FILTER (WHERE p.status = 'closed'), 0)::int AS detained,
  COALESCE(sum(p.interviewed) FILTER (WHERE p.status = 'closed'), 0)::int AS interviewed,
  COALESCE(sum(p.accountable_people) FILTER (WHERE p.status = 'closed'), 0)::int AS accountable_people,
  count(*) FILTER (WHERE p.status = 'duplicate')::int AS duplicates,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM petition_chase c WHERE c.petition_id = p.id))::int AS chased,
  count(*) FILTER (WHERE p.problem_id IS NOT NULL)::int AS to_ledger`;

/** Rows written per statement on import. */
const CHUNK = 500;

/** The complaint batches (petition_batch, also their import jobs), the complaints and their chases. */
@Injectable()
export class PetitionsRepository {
  /** The batch rows as import jobs: claims, heartbeats and ends as the problem import's jobs. */
  readonly jobs: JobTable<ClaimedBatch>;

  constructor(private readonly db: DataSource) {
    this.jobs = new JobTable(db, 'petition_batch', `${BATCH_COLS}, drafts, created_by_user`);
  }

  async insertBatch(b: {
    id: string;
    code: string;
    title: string;
    receivedOn: string;
    assignDays: number;
    closeBy: string;
    drafts: PetitionDraft[];
    user: AuthUser | null;
    at: Date;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO petition_batch (id, code, title, received_on, assign_days, close_by, status, rows, drafts, created_by,
         created_by_name, created_by_user, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $10, $11, $12)`,
      [
        b.id,
        b.code,
        b.title,
        b.receivedOn,
        b.assignDays,
        b.closeBy,
        b.drafts.length,
        JSON.stringify(b.drafts),
        b.user?.accountId ?? null,
        b.user?.username ?? null,
        b.user ? JSON.stringify(b.user) : null,
        b.at,
      ],
    );
  }

  async batchCodeTaken(code: string): Promise<boolean> {
    const rows = returned<{ id: string }>(
      await this.db.query(`SELECT id FROM petition_batch WHERE code = $1 AND status <> 'failed'`, [code]),
    );
    return rows.length > 0;
  }

  async findBatch(id: string, q: Queryable = this.db): Promise<BatchRow | null> {
    const [row] = returned<BatchRow>(await q.query(`SELECT ${BATCH_COLS} FROM petition_batch WHERE id = $1`, [id]));
    return row ?? null;
  }

  async listBatches(publishedOnly = false): Promise<BatchRow[]> {
    return returned<BatchRow>(
      await this.db.query(
        `SELECT ${BATCH_COLS} FROM petition_batch ${publishedOnly ? 'WHERE published_at IS NOT NULL' : ''}
         ORDER BY received_on DESC, code DESC LIMIT 500`,
      ),
    );
  }

  /** A failed batch's code may be used again: the failed row gives way. */
  async dropFailed(code: string): Promise<void> {
    await this.db.query(
      `DELETE FROM petition_batch b WHERE code = $1 AND status = 'failed' AND NOT EXISTS (SELECT 1 FROM petition p WHERE p.batch_id = b.id)`,
      [code],
    );
  }

  /** The highest row number of a batch (a hand-entered complaint comes after the sheet's rows). */
  async lastRowNo(batchId: string): Promise<number> {
    const [r] = returned<{ n: number }>(
      await this.db.query(`SELECT COALESCE(max(row_no), 0)::int AS n FROM petition WHERE batch_id = $1`, [batchId]),
    );
    return r?.n ?? 0;
  }

  /** A hand-entered complaint counts among the batch's rows. */
  async countEntered(batchId: string, q: Queryable): Promise<void> {
    await q.query(`UPDATE petition_batch SET rows = rows + 1, done = done + 1 WHERE id = $1`, [batchId]);
  }

  async markPublished(id: string, at: Date, by: string): Promise<void> {
    await this.db.query(
      `UPDATE petition_batch SET published_at = COALESCE(published_at, $2), published_by = COALESCE(published_by, $3) WHERE id = $1`,
      [id, at, by],
    );
  }

  async storedCodes(codes: string[], q: Queryable = this.db): Promise<Set<string>> {
    const rows = returned<{ code: string }>(await q.query(`SELECT code FROM petition WHERE code = ANY($1)`, [codes]));
    return new Set(rows.map((r) => r.code));
  }

  /** dedupe key → 受理编号 of the earliest complaint (not itself a 重复件) with that key. */
  async storedKeys(keys: string[], q: Queryable = this.db): Promise<Map<string, string>> {
    const rows = returned<{ dedupe_key: string; code: string }>(
      await q.query(
        `SELECT DISTINCT ON (dedupe_key) dedupe_key, code FROM petition
         WHERE dedupe_key = ANY($1) AND duplicate_of IS NULL ORDER BY dedupe_key, created_at, code`,
        [keys],
      ),
    );
    return new Map(rows.map((r) => [r.dedupe_key, r.code]));
  }

  async idsOfCodes(codes: string[], q: Queryable): Promise<Map<string, string>> {
    const rows = returned<{ id: string; code: string }>(
      await q.query(`SELECT id, code FROM petition WHERE code = ANY($1)`, [codes]),
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /** The batch's complaints, CHUNK rows per statement; 重复件 get their link and no process. */
  async insertMany(
    rows: (PetitionDraft & { id: string; duplicateOfId: string | null })[],
    batchId: string,
    assignedOn: string,
    at: Date,
    q: Queryable,
  ): Promise<void> {
    for (let from = 0; from < rows.length; from += CHUNK) {
      const part = rows.slice(from, from + CHUNK);
      await q.query(
        `INSERT INTO petition (id, batch_id, code, row_no, summary, district, pollution_type, unit_code, dedupe_key,
           complainant_name, complainant_phone, complainant_address, duplicate_of, status, assigned_on, created_at)
         SELECT x.id, $2, x.code, x.row_no, x.summary, x.district, x.pollution_type, x.unit_code, x.dedupe_key,
           x.complainant_name, x.complainant_phone, x.complainant_address, x.duplicate_of,
           CASE WHEN x.duplicate_of IS NULL THEN 'assigned' ELSE 'duplicate' END, $3, $4
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, code text, row_no int, summary text, district text,
           pollution_type text, unit_code text, dedupe_key text, complainant_name text, complainant_phone text,
           complainant_address text, duplicate_of uuid)`,
        [
          JSON.stringify(
            part.map((r) => ({
              id: r.id,
              code: r.code,
              row_no: r.row,
              summary: r.summary,
              district: r.district,
              pollution_type: r.pollutionType,
              unit_code: r.unitCode,
              dedupe_key: r.dedupeKey,
              complainant_name: r.complainantName,
              complainant_phone: r.complainantPhone,
              complainant_address: r.complainantAddress,
              duplicate_of: r.duplicateOfId,
            })),
          ),
          batchId,
          assignedOn,
          at,
        ],
      );
    }
  }

  async bindInstances(bound: { id: string; instanceId: string }[], q: Queryable): Promise<void> {
    if (!bound.length) return;
    await q.query(
      `UPDATE petition p SET process_instance_id = x.instance_id
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, instance_id uuid) WHERE p.id = x.id`,
      [JSON.stringify(bound.map((b) => ({ id: b.id, instance_id: b.instanceId })))],
    );
  }

  async findByInstance(instanceId: string, q: Queryable = this.db): Promise<PetitionRow | null> {
    const [row] = returned<PetitionRow>(
      await q.query(`SELECT ${PETITION_COLS} FROM ${PETITION_FROM} WHERE p.process_instance_id = $1`, [instanceId]),
    );
    return row ?? null;
  }

  async findByCode(code: string, q: Queryable = this.db): Promise<PetitionRow | null> {
    const [row] = returned<PetitionRow>(
      await q.query(`SELECT ${PETITION_COLS} FROM ${PETITION_FROM} WHERE p.code = $1`, [code]),
    );
    return row ?? null;
  }

  async list(batchId: string, f: PetitionFilter): Promise<{ rows: PetitionRow[]; total: number }> {
    const where = ['p.batch_id = $1'];
    const params: unknown[] = [batchId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.district) add('p.district = ?', f.district);
    if (f.pollutionType) add('p.pollution_type = ?', f.pollutionType);
    if (f.status) add('p.status = ?', f.status);
    if (f.verdict) add('p.verdict = ?', f.verdict);
    if (f.unit) add('p.unit_code = ?', f.unit);
    if (f.q) {
      params.push(`%${f.q}%`);
      where.push(`(p.code ILIKE $${params.length} OR p.summary ILIKE $${params.length})`);
    }
    const cond = where.join(' AND ');
    const [{ total }] = returned<{ total: number }>(
      await this.db.query(`SELECT count(*)::int AS total FROM petition p WHERE ${cond}`, params),
    );
    const rows = returned<PetitionRow>(
      await this.db.query(
        `SELECT ${PETITION_COLS} FROM ${PETITION_FROM} WHERE ${cond} ORDER BY p.row_no NULLS LAST, p.code
         LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
        params,
      ),
    );
    return { rows, total };
  }

  /** The published fields only: the complainant's name, phone and address are not selected. */
  async publicList(batchId: string): Promise<PublicPetitionRow[]> {
    return returned<PublicPetitionRow>(
      await this.db.query(
        `SELECT p.code, p.district, p.pollution_type, p.verdict, p.handling, p.accountability, p.status,
           d.code AS duplicate_of_code
         FROM petition p LEFT JOIN petition d ON d.id = p.duplicate_of
         WHERE p.batch_id = $1 ORDER BY p.row_no NULLS LAST, p.code LIMIT 20000`,
        [batchId],
      ),
    );
  }

  /**
   * Counts grouped by `by` over the complaints of batches received up to `upTo` (cumulative) or of one batch.
   * Closed figures count what was closed by the end of `upTo` when given.
   */
  async counts(
    by: 'batch' | 'district' | 'pollution_type' | 'all',
    f: { batchId?: string; upTo?: string },
  ): Promise<CountRow[]> {
    const group =
      by === 'batch'
        ? 'b.code'
        : by === 'district'
          ? 'p.district'
          : by === 'pollution_type'
            ? 'p.pollution_type'
            : 'NULL::text';
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.batchId) {
      params.push(f.batchId);
      where.push(`p.batch_id = $${params.length}`);
    }
    if (f.upTo) {
      params.push(f.upTo);
      where.push(`b.received_on <= $${params.length}`);
    }
    const rows = returned<CountRow>(
      await this.db.query(
        `SELECT ${group} AS "group", ${COUNTS}
         FROM petition p JOIN petition_batch b ON b.id = p.batch_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         GROUP BY 1 ORDER BY 1 NULLS FIRST`,
        params,
      ),
    );
    return rows;
  }

  async setStatus(instanceId: string, status: PetitionStatus, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE petition SET status = $2, signed_at = CASE WHEN $2 = 'investigating' THEN COALESCE(signed_at, now()) ELSE signed_at END
       WHERE process_instance_id = $1 AND status NOT IN ('closed', 'duplicate')`,
      [instanceId, status],
    );
  }

  async recordInvestigation(
    instanceId: string,
    v: { verdict: Verdict; investigation: string; evidence: string | null },
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `UPDATE petition SET verdict = $2, investigation = $3, evidence = $4 WHERE process_instance_id = $1`,
      [instanceId, v.verdict, v.investigation, v.evidence],
    );
  }

  async recordHandling(
    instanceId: string,
    v: {
      handling: string;
      accountability: string | null;
      orderedRectify: boolean;
      caseFiled: boolean;
      fineWan: number;
      detained: number;
      interviewed: number;
      accountablePeople: number;
      lastingHarm: boolean;
    },
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `UPDATE petition SET handling = $2, accountability = $3, ordered_rectify = $4, case_filed = $5, fine_wan = $6,
         detained = $7, interviewed = $8, accountable_people = $9, lasting_harm = $10
       WHERE process_instance_id = $1`,
      [
        instanceId,
        v.handling,
        v.accountability,
        v.orderedRectify,
        v.caseFiled,
        v.fineWan,
        v.detained,
        v.interviewed,
        v.accountablePeople,
        v.lastingHarm,
      ],
    );
  }

  async recordReturn(instanceId: string, comment: string | null, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE petition SET returned_count = returned_count + 1, review_comment = $2 WHERE process_instance_id = $1`,
      [instanceId, comment],
    );
  }

  async markClosed(instanceId: string, at: Date, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE petition SET status = 'closed', closed_at = COALESCE(closed_at, $2) WHERE process_instance_id = $1`,
      [instanceId, at],
    );
  }

  async linkProblem(id: string, problemId: string, q: Queryable): Promise<void> {
    await q.query(`UPDATE petition SET problem_id = $2 WHERE id = $1 AND problem_id IS NULL`, [id, problemId]);
  }

  /** One chase per (instance, element, execution): a re-run of the step records nothing twice. */
  async recordChase(key: string, petitionId: string, kind: 'sign' | 'close', at: Date, q: Queryable): Promise<boolean> {
    const rows = returned<{ key: string }>(
      await q.query(
        `INSERT INTO petition_chase (key, petition_id, kind, chased_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [key, petitionId, kind, at],
      ),
    );
    return rows.length > 0;
  }

  /** The top unit's name (the city), for the issuer of the daily report. */
  async cityName(): Promise<string | null> {
    const [row] = returned<{ name: string }>(
      await this.db.query(`SELECT name FROM org_unit WHERE parent_code IS NULL ORDER BY code LIMIT 1`),
    );
    return row?.name ?? null;
  }

  async taskInstance(taskId: string): Promise<string | null> {
    const [row] = returned<{ instance_id: string }>(
      await this.db.query(`SELECT instance_id FROM engine_task WHERE id = $1 AND definition_key = 'petition'`, [
        taskId,
      ]),
    );
    return row?.instance_id ?? null;
  }

  /** A complaint of the past, as the demo records it: closed with its results, no process. */
  async insertPast(
    r: {
      id: string;
      batchId: string;
      code: string;
      summary: string;
      district: string;
      pollutionType: string;
      unitCode: string;
      dedupeKey: string;
      duplicateOf: string | null;
      verdict: Verdict;
      handling: string;
      accountability: string | null;
      orderedRectify: boolean;
      caseFiled: boolean;
      fineWan: number;
      detained: number;
      interviewed: number;
      accountablePeople: number;
      assignedOn: string;
      closedAt: Date | null;
      createdAt: Date;
      row: number;
    },
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `INSERT INTO petition (id, batch_id, code, row_no, summary, district, pollution_type, unit_code, dedupe_key, duplicate_of,
         status, verdict, investigation, handling, accountability, ordered_rectify, case_filed, fine_wan, detained,
         interviewed, accountable_people, assigned_on, signed_at, closed_at, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10, CASE WHEN $10::uuid IS NULL THEN 'closed' ELSE 'duplicate' END,
         CASE WHEN $10::uuid IS NULL THEN $11 END, CASE WHEN $10::uuid IS NULL THEN '经现场调查核实，情况如处理和整改情况所述' END,
         $12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$21,$22)`,
      [
        r.id,
        r.batchId,
        r.code,
        r.row,
        r.summary,
        r.district,
        r.pollutionType,
        r.unitCode,
        r.dedupeKey,
        r.duplicateOf,
        r.verdict,
        r.handling,
        r.accountability,
        r.orderedRectify,
        r.caseFiled,
        r.fineWan,
        r.detained,
        r.interviewed,
        r.accountablePeople,
        r.assignedOn,
        r.closedAt,
        r.createdAt,
      ],
    );
  }

  /** A batch of the past, imported and ended (the demo's). */
  async insertPastBatch(
    b: { id: string; code: string; title: string; receivedOn: string; closeBy: string; rows: number; at: Date },
    published: Date | null,
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `INSERT INTO petition_batch (id, code, title, received_on, assign_days, close_by, status, rows, done, created_at,
         started_at, finished_at, published_at, published_by, created_by_name)
       VALUES ($1,$2,$3,$4,1,$5,'done',$6,$6,$7,$7,$7,$8, CASE WHEN $8::timestamptz IS NULL THEN NULL ELSE '演示数据' END, '演示数据')`,
      [b.id, b.code, b.title, b.receivedOn, b.closeBy, b.rows, b.at, published],
    );
  }
}
