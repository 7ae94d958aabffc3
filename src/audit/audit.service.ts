import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type QueryRunner, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { AuditRepository, type AuditFilter, type AuditRow } from './audit.repository.js';
import { ChainWalker, asStoredJson, seqlessCanonical, type ChainBreak, type ChainedFields, type StoredEntry, type UnchainedEntry } from './audit-hash.js';

/** Who did it: an account id, or 'system', 'timer', 'anonymous'. */
export type Actor = string;

export interface AuditInput {
  actor: Actor;
  actorName?: string | null;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  problemId?: string | null;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

/** An entry as read back: the fields its hash covers, and the hash. */
export interface AuditEntryView extends ChainedFields {
  hash: string;
}

export type VerifyResult = { ok: true; count: number; head: string } | { ok: false; count: number; broken: ChainBreak };

const INSERT_CHUNK = 500;

/** Entries recorded in a transaction, waiting for its commit; `depth` is the savepoint level they were recorded at. */
interface Pending {
  at: string;
  depth: number;
  entry: AuditInput;
}

/**
 * The tamper-evident trail (痕迹化管理): every entry chained to the one before by its hash, appended under
 * one advisory lock so the chain is a single line across nodes, in the caller's transaction when given.
 *
 * Entries recorded in a transaction are held until just before its COMMIT and chained then: the chain's
 * lock is held for the few milliseconds between that append and the commit, not for the rest of the
 * caller's work (a long import, a step waiting on a slow handler), which would stop every other writer.
 * The chain's order is therefore commit order; `at` is when each action was recorded.
 */
@Injectable()
export class AuditService implements OnModuleInit {
  private readonly pending = new WeakMap<QueryRunner, Pending[]>();

  constructor(
    private readonly db: DataSource,
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const flush = (qr: QueryRunner) => this.flush(qr);
    const drop = (qr: QueryRunner) => this.dropAbove(qr);
    const subscriber: EntitySubscriberInterface = {
      beforeTransactionCommit: (e: TransactionCommitEvent) => flush(e.queryRunner),
      afterTransactionRollback: (e: TransactionRollbackEvent) => drop(e.queryRunner),
    };
    this.db.subscribers.push(subscriber);
  }

  /** Appends in `manager`'s transaction (it commits or rolls back with the caller's work), else in its own. */
  async record(entry: AuditInput, manager?: EntityManager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  async recordMany(entries: AuditInput[], manager?: EntityManager): Promise<void> {
    if (!entries.length) return;
    const qr = manager?.queryRunner;
    if (qr?.isTransactionActive) return this.hold(qr, entries);
    await this.db.transaction(async (m) => this.hold(m.queryRunner!, entries));
  }

  private hold(qr: QueryRunner, entries: AuditInput[]): void {
    const at = this.clock.date().toISOString();
    const depth = (qr as { transactionDepth?: number }).transactionDepth ?? 1;
    let list = this.pending.get(qr);
    if (!list) this.pending.set(qr, (list = []));
    for (const entry of entries) list.push({ at, depth, entry });
  }

  /** Before the outermost COMMIT: one call locks the chain, links the entries to its head and inserts them. */
  private async flush(qr: QueryRunner): Promise<void> {
    const list = this.pending.get(qr);
    if (!list?.length || ((qr as { transactionDepth?: number }).transactionDepth ?? 1) > 1) return;
    this.pending.delete(qr);
    const rows: UnchainedEntry[] = list.map(({ at, entry: e }) => {
      const fields = {
        id: randomUUID(),
        at,
        actor: e.actor,
        actorName: e.actorName ?? null,
        action: e.action,
        entityType: e.entityType ?? null,
        entityId: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
        problemId: e.problemId ?? null,
        before: asStoredJson(e.before),
        after: asStoredJson(e.after),
        details: asStoredJson(e.details),
      };
      return { ...fields, prefix: seqlessCanonical(fields) };
    });
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.repo.append(rows.slice(i, i + INSERT_CHUNK), qr.manager);
  }

  /** A rolled-back savepoint takes what was recorded inside it; a rolled-back transaction takes everything. */
  private dropAbove(qr: QueryRunner): void {
    const list = this.pending.get(qr);
    if (!list) return;
    const depth = (qr as { transactionDepth?: number }).transactionDepth ?? 0;
    const kept = qr.isTransactionActive ? list.filter((p) => p.depth <= depth) : [];
    if (kept.length) this.pending.set(qr, kept);
    else this.pending.delete(qr);
  }

  async list(f: AuditFilter): Promise<{ items: AuditEntryView[]; total: number }> {
    const { rows, total } = await this.repo.list(f);
    return { items: rows.map(view), total };
  }

  /** A problem's history, oldest first, for its page. */
  async timelineOfProblem(problemId: string): Promise<AuditEntryView[]> {
    return (await this.repo.ofProblem(problemId)).map(view);
  }

  /** Recomputes the whole chain; the first entry altered or removed is named. */
  async verify(pageSize = 2000): Promise<VerifyResult> {
    const walker = new ChainWalker();
    let after = 0;
    for (;;) {
      const rows = await this.repo.page(after, pageSize);
      for (const r of rows) {
        if (!walker.push(stored(r))) return { ok: false, count: walker.count, broken: walker.broken! };
      }
      if (rows.length < pageSize) break;
      after = Number(rows[rows.length - 1].seq);
    }
    return { ok: true, count: walker.count, head: walker.head };
  }
}

function stored(r: AuditRow): StoredEntry {
  return {
    seq: Number(r.seq),
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    actorName: r.actor_name,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    problemId: r.problem_id,
    before: r.before,
    after: r.after,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function view(r: AuditRow): AuditEntryView {
  const s = stored(r);
  return {
    seq: s.seq, id: s.id, at: s.at, actor: s.actor, actorName: s.actorName, action: s.action, entityType: s.entityType, entityId: s.entityId,
    problemId: s.problemId, before: s.before, after: s.after, details: s.details, hash: s.hash,
  };
}
