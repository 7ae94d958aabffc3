import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { AuditRepository, type AuditFilter, type AuditRow } from './audit.repository.js';
import { AuditKey } from '../database/audit-key.js';
import type { StepWrites } from '../engine/step-writes.js';
import {
  ChainWalker,
  GENESIS,
  asStoredJson,
  plainLink,
  seqlessCanonical,
  type ChainBreak,
  type ChainedFields,
  type StoredEntry,
  type UnchainedEntry,
} from './audit-hash.js';

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

/** The key a verification used: its fingerprint (never the key) and the first seq the trail chained with it. */
export interface VerifiedKey {
  fingerprint: string;
  algorithm: 'HMAC-SHA256';
  /** Entries before it are plain SHA-256 links (chained before the trail had a key); null: no keyed entry yet. */
  fromSeq: number | null;
}

export type VerifyResult =
  | { ok: true; count: number; head: string; key: VerifiedKey }
  | { ok: false; count: number; broken: ChainBreak; key: VerifiedKey };

const INSERT_CHUNK = 500;

/**
 * The tamper-evident trail (痕迹化管理): every entry chained to the one before by its hash, in one line
 * across nodes, in the caller's transaction when given.
 *
 * An entry is recorded with the caller's work and chained by PostgreSQL as that transaction commits (the
 * audit_pending trigger): the chain's lock is held from there to the end of the commit only, not for the
 * rest of the caller's work (a long import, a step waiting on a slow handler), which would stop every other
 * writer. The chain's order is therefore commit order; `at` is when each action was recorded.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
    private readonly key: AuditKey,
  ) {}

  /**
   * Makes sure the trail records its key: the first entry chained under a key writes where it applies from
   * (audit_chain_key), so a trail with no keyed entry yet gets one saying so. Without it, a trail cut back to
   * its plain part, or re-chained plain, could not be told from one that never had a key.
   */
  async ensureKeyed(): Promise<void> {
    if (await this.repo.chainKey()) return;
    const details = { fingerprint: this.key.fingerprint, algorithm: 'HMAC-SHA256' };
    await this.record({ actor: 'system', action: 'audit.key_applied', details });
  }

  /** At start-up: the trail's key must be this node's, or the node would chain nothing (the trigger refuses). */
  async assertKey(): Promise<void> {
    const chained = await this.repo.chainKey();
    if (chained && chained.fingerprint !== this.key.fingerprint) {
      throw new Error(
        `DUBAN_AUDIT_KEY is not the key of the audit trail: the trail is chained from seq ${chained.from_seq} ` +
          `with the key of fingerprint ${chained.fingerprint}, this node's key has fingerprint ` +
          `${this.key.fingerprint}; start it with the trail's key`,
      );
    }
    await this.ensureKeyed();
  }

  /** Appends in `manager`'s transaction (it commits or rolls back with the caller's work), else in its own. */
  async record(entry: AuditInput, manager?: EntityManager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  async recordMany(entries: AuditInput[], manager?: EntityManager): Promise<void> {
    if (!entries.length) return;
    const rows = this.unchained(entries);
    const write = async (q: EntityManager | DataSource) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.repo.append(rows.slice(i, i + INSERT_CHUNK), q);
    };
    if (manager?.queryRunner?.isTransactionActive) await write(manager);
    else if (rows.length <= INSERT_CHUNK) await write(this.db);
    else await this.db.transaction(write);
  }

  /**
   * Entries as part of an engine step's one write (chained at its commit like any other), in the order given.
   */
  recordInStep(entries: AuditInput[], writes: StepWrites): void {
    for (const row of this.unchained(entries)) writes.collect('audit', row, (rows) => AuditRepository.appendPart(rows));
  }

  /** Entries with their ids, time and seqless canonical JSON, ready for the trail. */
  private unchained(entries: AuditInput[]): UnchainedEntry[] {
    const at = this.clock.date().toISOString();
    return entries.map((e) => {
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
  }

  async list(f: AuditFilter): Promise<{ items: AuditEntryView[]; total: number }> {
    const { rows, total } = await this.repo.list(f);
    return { items: rows.map(view), total };
  }

  /** A problem's history, oldest first, for its page. */
  async timelineOfProblem(problemId: string): Promise<AuditEntryView[]> {
    return (await this.repo.ofProblem(problemId)).map(view);
  }

  /**
   * Recomputes the whole chain with this node's key: plain SHA-256 links before the seq the key applies from,
   * HMAC-SHA256 from it. The first entry altered or removed is named; so is a trail chained with another key,
   * one whose record of the key was removed, and one cut back before its first keyed entry.
   */
  async verify(pageSize = 2000): Promise<VerifyResult> {
    const chained = await this.repo.chainKey();
    const fromSeq = chained ? Number(chained.from_seq) : null;
    const key: VerifiedKey = { fingerprint: this.key.fingerprint, algorithm: 'HMAC-SHA256', fromSeq };
    const [first] = await this.repo.page(0, 1);
    if (!chained) {
      if (!first) return { ok: true, count: 0, head: GENESIS, key };
      const message = 'the record of the key the trail is chained with (audit_chain_key) was removed';
      return { ok: false, count: 0, key, broken: { seq: Number(first.seq), id: first.id, kind: 'removed', message } };
    }
    if (chained.fingerprint !== this.key.fingerprint) {
      const message =
        `the trail is chained from seq ${fromSeq} with the key of fingerprint ${chained.fingerprint}, ` +
        `not with this key (fingerprint ${this.key.fingerprint})`;
      return { ok: false, count: 0, key, broken: { seq: fromSeq!, id: 'audit_chain_key', kind: 'wrong-key', message } };
    }
    const keyed = (prev: string, canonical: string) => this.key.link(prev, canonical);
    const walker = new ChainWalker((seq) => (seq >= fromSeq! ? keyed : plainLink));
    let after = 0;
    for (;;) {
      const rows = await this.repo.page(after, pageSize);
      for (const r of rows) {
        if (!walker.push(stored(r))) return { ok: false, count: walker.count, broken: walker.broken!, key };
      }
      if (rows.length < pageSize) break;
      after = Number(rows[rows.length - 1].seq);
    }
    if (walker.lastSeq < fromSeq!) {
      const last = walker.lastSeq;
      const message = `the key applies from seq ${fromSeq}, but the trail ends at seq ${last}: its keyed entries were removed`;
      const broken: ChainBreak = { seq: fromSeq!, id: `after seq ${last}`, kind: 'removed', message };
      return { ok: false, count: walker.count, key, broken };
    }
    return { ok: true, count: walker.count, head: walker.head, key };
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
    seq: s.seq,
    id: s.id,
    at: s.at,
    actor: s.actor,
    actorName: s.actorName,
    action: s.action,
    entityType: s.entityType,
    entityId: s.entityId,
    problemId: s.problemId,
    before: s.before,
    after: s.after,
    details: s.details,
    hash: s.hash,
  };
}
