import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../../engine/definition.service.js';

export interface NoticeRow {
  id: string;
  problem_id: string;
  instance_id: string;
  notice_days: number;
  started_at: Date;
  ends_on: string;
  closed_at: Date | null;
  outcome: 'passed' | 'objected' | 'returned' | null;
}

export interface ObjectionRow {
  id: string;
  notice_id: string;
  problem_id: string;
  name: string | null;
  contact: string | null;
  content: string;
  created_at: Date;
  decision: 'upheld' | 'rejected' | null;
  decision_comment: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

export interface FilingRow {
  id: string;
  problem_id: string;
  instance_id: string;
  to_level: string;
  filed_at: Date;
}

export interface PublicNoticeRow {
  code: string;
  title: string;
  category: string;
  lead_unit_name: string;
  started_at: Date;
  ends_on: string;
  total: string;
}

const NOTICE = `id, problem_id, instance_id, notice_days, started_at, ends_on::text AS ends_on, closed_at, outcome`;
const OBJECTION = `id, notice_id, problem_id, name, contact, content, created_at, decision, decision_comment, decided_by, decided_at`;

/** 公示, 异议 and 备案 rows of the sign-off (验收销号). */
@Injectable()
export class SignoffRepository {
  constructor(private readonly db: DataSource) {}

  /** The notice of one sign-off instance, opened once (a re-run of the step finds the same row). */
  async openNotice(
    n: { problemId: string; instanceId: string; days: number; startedAt: Date; endsOn: string },
    q: Queryable,
  ): Promise<NoticeRow> {
    await q.query(
      `INSERT INTO signoff_notice (id, problem_id, instance_id, notice_days, started_at, ends_on) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (instance_id) DO NOTHING`,
      [randomUUID(), n.problemId, n.instanceId, n.days, n.startedAt, n.endsOn],
    );
    const [row] = await q.query(`SELECT ${NOTICE} FROM signoff_notice WHERE instance_id = $1`, [n.instanceId]);
    return row;
  }

  async closeNotice(instanceId: string, outcome: NonNullable<NoticeRow['outcome']>, at: Date, q: Queryable) {
    await q.query(
      `UPDATE signoff_notice SET closed_at = $2, outcome = $3 WHERE instance_id = $1 AND closed_at IS NULL`,
      [instanceId, at, outcome],
    );
  }

  async openNoticeOf(problemId: string, q: Queryable = this.db): Promise<NoticeRow | null> {
    const [row] = await q.query(
      `SELECT ${NOTICE} FROM signoff_notice WHERE problem_id = $1 AND closed_at IS NULL ORDER BY started_at DESC LIMIT 1`,
      [problemId],
    );
    return row ?? null;
  }

  async noticesOf(problemId: string, q: Queryable = this.db): Promise<NoticeRow[]> {
    return q.query(`SELECT ${NOTICE} FROM signoff_notice WHERE problem_id = $1 ORDER BY started_at, id LIMIT 100`, [
      problemId,
    ]);
  }

  async objectionsOf(problemId: string, q: Queryable = this.db): Promise<ObjectionRow[]> {
    return q.query(
      `SELECT ${OBJECTION} FROM signoff_objection WHERE problem_id = $1 ORDER BY created_at, id LIMIT 1000`,
      [problemId],
    );
  }

  async filingsOf(problemId: string, q: Queryable = this.db): Promise<FilingRow[]> {
    return q.query(
      `SELECT id, problem_id, instance_id, to_level, filed_at FROM signoff_filing WHERE problem_id = $1 ORDER BY filed_at LIMIT 100`,
      [problemId],
    );
  }

  async file(f: { problemId: string; instanceId: string; toLevel: string; at: Date }, q: Queryable): Promise<void> {
    await q.query(
      `INSERT INTO signoff_filing (id, problem_id, instance_id, to_level, filed_at) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (instance_id) DO NOTHING`,
      [randomUUID(), f.problemId, f.instanceId, f.toLevel, f.at],
    );
  }

  async addObjection(
    o: { noticeId: string; problemId: string; name: string | null; contact: string | null; content: string },
    address: string,
    at: Date,
    q: Queryable = this.db,
  ): Promise<ObjectionRow> {
    const [row] = await q.query(
      `INSERT INTO signoff_objection (id, notice_id, problem_id, name, contact, content, client_address, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING ${OBJECTION}`,
      [randomUUID(), o.noticeId, o.problemId, o.name, o.contact, o.content, address, at],
    );
    return row;
  }

  /** Objections from one address since `since`, and on one notice in all (the rate limits). */
  async objectionCounts(address: string, since: Date, noticeId: string, q: Queryable = this.db) {
    const [row] = await q.query(
      `SELECT (SELECT count(*) FROM signoff_objection WHERE client_address = $1 AND created_at >= $2) AS recent,
              (SELECT count(*) FROM signoff_objection WHERE notice_id = $3) AS on_notice`,
      [address, since, noticeId],
    );
    return { recent: Number(row.recent), onNotice: Number(row.on_notice) };
  }

  async decideObjections(
    instanceId: string,
    d: { decision: 'upheld' | 'rejected'; comment: string | null; by: string | null; at: Date },
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `UPDATE signoff_objection o SET decision = $2, decision_comment = $3, decided_by = $4, decided_at = $5
       FROM signoff_notice n WHERE n.id = o.notice_id AND n.instance_id = $1 AND o.decision IS NULL`,
      [instanceId, d.decision, d.comment, d.by, d.at],
    );
  }

  /** 公示 on the public page: the problems whose sign-off is on notice now. */
  async publicNotices(offset: number, limit: number): Promise<PublicNoticeRow[]> {
    return this.db.query(
      `SELECT p.code, p.title, p.category, coalesce(u.name, p.lead_unit) AS lead_unit_name, n.started_at, n.ends_on::text AS ends_on,
              count(*) OVER () AS total
       FROM signoff_notice n JOIN problem p ON p.id = n.problem_id LEFT JOIN org_unit u ON u.code = p.lead_unit
       WHERE n.closed_at IS NULL
       ORDER BY n.ends_on, p.code OFFSET $1 LIMIT $2`,
      [offset, limit],
    );
  }
}
