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

/** Any number: chain appends on every node take this one transaction-scoped advisory lock. */
const CHAIN_LOCK = 7_210_441_906;

const COLS = 'seq, id, at, actor, actor_name, action, entity_type, entity_id, problem_id, before, after, details, prev_hash, hash';

/** The trail's table: appends under the chain lock, reads; never an UPDATE or DELETE (a trigger refuses them). */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Chains and inserts entries in the caller's transaction under the chain lock (held until it ends, so
   * appends on all nodes form one line): `audit_append` numbers each, links it to the head and hashes it.
   */
  async append(rows: UnchainedEntry[], q: Queryable): Promise<void> {
    await q.query(`SELECT audit_append($1::bigint, $2::jsonb)`, [CHAIN_LOCK, JSON.stringify(rows)]);
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
    const rows = await q.query(`SELECT ${COLS} FROM audit_entry ${sql} ORDER BY seq DESC LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`, params);
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
