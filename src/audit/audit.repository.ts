import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../engine/definition.service.js';
import type { UnchainedEntry } from './audit-hash.js';

export interface AuditRow {
  seq: string;
  id: string;
  at: Date;
  actor: string;
  actor_name: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  problem_id: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
  prev_hash: string;
  hash: string;
}

/** Where the trail's key applies from and which key it is (its fingerprint); none until a keyed entry is chained. */
export interface ChainKeyRow {
  from_seq: string;
  fingerprint: string;
  algorithm: string;
}

export interface AuditFilter {
  problemId?: string;
  entityType?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

const COLS =
  'seq, id, at, actor, actor_name, action, entity_type, entity_id, problem_id, before, after, details, prev_hash, hash';

/** The trail's table: appends chained at commit, reads; never an UPDATE or DELETE (a trigger refuses them). */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Entries for the trail, in the caller's transaction (or their own): PostgreSQL numbers, links and hashes
   * them into audit_entry as that transaction commits (see the audit_pending trigger), in this order.
   */
  async append(rows: UnchainedEntry[], q: Queryable = this.db): Promise<void> {
    if (!rows.length) return;
    const { sql, params } = AuditRepository.appendPart(rows);
    await q.query(sql, params);
  }

  /** The statement that appends `rows`, on its own or as a part of an engine step's one write. */
  static appendPart(rows: readonly unknown[]): { sql: string; params: unknown[] } {
    return {
      sql: `INSERT INTO audit_pending (entry) SELECT value FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY ORDER BY ordinality`,
      params: [JSON.stringify(rows)],
    };
  }

  async chainKey(q: Queryable = this.db): Promise<ChainKeyRow | null> {
    const [row] = await q.query(`SELECT from_seq, fingerprint, algorithm FROM audit_chain_key`);
    return row ?? null;
  }

  /** A page of the whole trail in chain order (keyset on seq). */
  async page(afterSeq: number, limit: number, q: Queryable = this.db): Promise<AuditRow[]> {
    return q.query(`SELECT ${COLS} FROM audit_entry WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
  }

  async list(f: AuditFilter, q: Queryable = this.db): Promise<{ rows: AuditRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    if (f.problemId) where.push(`problem_id = ${p(f.problemId)}::uuid`);
    if (f.entityType) where.push(`entity_type = ${p(f.entityType)}`);
    if (f.entityId) where.push(`entity_id = ${p(f.entityId)}`);
    if (f.actor) where.push(`actor = ${p(f.actor)}`);
    if (f.action) where.push(`action = ${p(f.action)}`);
    if (f.from) where.push(`at >= ${p(f.from)}`);
    if (f.to) where.push(`at < ${p(f.to)}`);
    const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM audit_entry ${sql}`, params);
    const rows = await q.query(
      `SELECT ${COLS} FROM audit_entry ${sql} ORDER BY seq DESC LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
      params,
    );
    return { rows, total: n };
  }

  async ofProblem(problemId: string, q: Queryable = this.db): Promise<AuditRow[]> {
    return q.query(`SELECT ${COLS} FROM audit_entry WHERE problem_id = $1 ORDER BY seq`, [problemId]);
  }

  async problemIdOfCode(code: string, q: Queryable = this.db): Promise<string | null> {
    const [row] = await q.query(`SELECT id FROM problem WHERE code = $1`, [code]);
    return row?.id ?? null;
  }
}
