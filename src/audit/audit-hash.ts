import { createHash } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);

/** The fields an entry's hash covers, as stored (jsonb values as read back). */
export interface ChainedFields {
  seq: number;
  id: string;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  problemId: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

/** JSON with object keys sorted at every depth, so jsonb's own key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** What jsonb will give back for a value: dates as strings, undefined dropped; null stays SQL NULL. */
export function asStoredJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value));
}

/** How an entry is linked to the one before: its hash from the previous hash and its canonical JSON, hex. */
export type Link = (prevHash: string, canonical: string) => string;

/** The links of the entries chained before the trail had a key: sha256(prev_hash + canonical JSON). */
export const plainLink: Link = (prevHash, canonical) =>
  createHash('sha256').update(prevHash).update(canonical).digest('hex');

/** hash = link(prev_hash, canonical JSON of the entry's fields); plain SHA-256 unless a keyed link is given. */
export function entryHash(prevHash: string, f: ChainedFields, link: Link = plainLink): string {
  const { seq, id, at, actor, actorName, action, entityType, entityId, problemId, before, after, details } = f;
  const covered: ChainedFields = {
    seq,
    id,
    at,
    actor,
    actorName,
    action,
    entityType,
    entityId,
    problemId,
    before,
    after,
    details,
  };
  return link(prevHash, canonicalJson(covered));
}

/**
 * The canonical JSON of an entry's fields up to its sequence number: `seq` sorts last among the keys, so the
 * whole is this, the number, and `}`. The database completes it once the chain's head is known:
 * entryHash(prev, f) = sha256(prev + seqlessCanonical(f) + f.seq + '}').
 */
export function seqlessCanonical(f: Omit<ChainedFields, 'seq'>): string {
  const { id, at, actor, actorName, action, entityType, entityId, problemId, before, after, details } = f;
  const whole = canonicalJson({
    seq: 0,
    id,
    at,
    actor,
    actorName,
    action,
    entityType,
    entityId,
    problemId,
    before,
    after,
    details,
  });
  if (!whole.endsWith(',"seq":0}')) throw new Error('seq is not the last key of an audit entry');
  return whole.slice(0, -2);
}

/** An entry as handed to the database to be numbered, linked and hashed (`prefix`: its seqless canonical JSON). */
export interface UnchainedEntry extends Omit<ChainedFields, 'seq'> {
  prefix: string;
}

export interface StoredEntry extends ChainedFields {
  prevHash: string;
  hash: string;
}

export type ChainBreak = { seq: number; id: string; kind: 'altered' | 'removed' | 'wrong-key'; message: string };

/**
 * Walks entries in seq order, carrying the previous one between calls (the trail is read a page at a time).
 * The first break found is the answer: a seq gap is a removal, a hash that does not match the entry's
 * content is an alteration, and an entry whose own hash holds but does not link to the next one was
 * rewritten hash and all.
 */
export class ChainWalker {
  count = 0;
  private prev: StoredEntry | null = null;
  broken: ChainBreak | null = null;

  /** `linkOf`: the link an entry's seq was chained with (plain before the key, keyed from it). */
  constructor(private readonly linkOf: (seq: number) => Link = () => plainLink) {}

  get head(): string {
    return this.prev?.hash ?? GENESIS;
  }

  /** The seq of the last entry that held, 0 before any. */
  get lastSeq(): number {
    return this.prev?.seq ?? 0;
  }

  push(e: StoredEntry): boolean {
    if (this.broken) return false;
    const expectedSeq = (this.prev?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq) {
      const missing = e.seq - 1 === expectedSeq ? `seq ${expectedSeq}` : `seq ${expectedSeq}…${e.seq - 1}`;
      this.broken = {
        seq: expectedSeq,
        id: this.prev ? `after ${this.prev.id}` : 'the first entry',
        kind: 'removed',
        message: `${missing} removed: the trail goes from ${this.prev ? `seq ${this.prev.seq} (${this.prev.id})` : 'its start'} to seq ${e.seq} (${e.id})`,
      };
      return false;
    }
    if (entryHash(e.prevHash, e, this.linkOf(e.seq)) !== e.hash) {
      this.broken = {
        seq: e.seq,
        id: e.id,
        kind: 'altered',
        message: `entry seq ${e.seq} (${e.id}) was altered: its content no longer gives its hash`,
      };
      return false;
    }
    if (e.prevHash !== this.head) {
      const p = this.prev;
      this.broken = p
        ? {
            seq: p.seq,
            id: p.id,
            kind: 'altered',
            message: `entry seq ${p.seq} (${p.id}) was altered: its hash was rewritten and no longer links to seq ${e.seq}`,
          }
        : {
            seq: e.seq,
            id: e.id,
            kind: 'altered',
            message: `entry seq ${e.seq} (${e.id}) was altered: the first entry does not start the chain`,
          };
      return false;
    }
    this.prev = e;
    this.count++;
    return true;
  }
}
