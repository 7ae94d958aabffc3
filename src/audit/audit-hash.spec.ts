import { createHash } from 'node:crypto';
import { AuditKey } from '../database/audit-key.js';
import {
  canonicalJson,
  ChainWalker,
  entryHash,
  GENESIS,
  plainLink,
  seqlessCanonical,
  type Link,
  type StoredEntry,
} from './audit-hash.js';

const key = new AuditKey(Buffer.from('k'.repeat(40)));
const keyed: Link = (prev, canonical) => key.link(prev, canonical);

/** n entries, plain SHA-256 links before `keyedFrom` and HMAC links from it. */
function chain(n: number, keyedFrom = Infinity): StoredEntry[] {
  const out: StoredEntry[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const f = {
      seq,
      id: `id${seq}`,
      at: '2026-03-02T00:00:00.000Z',
      actor: 'system',
      actorName: null,
      action: 'x',
      entityType: null,
      entityId: null,
      problemId: null,
      before: null,
      after: { b: 1, a: [seq] },
      details: null,
    };
    const hash = entryHash(prev, f, seq >= keyedFrom ? keyed : plainLink);
    out.push({ ...f, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

function walk(entries: StoredEntry[], keyedFrom = Infinity) {
  const w = new ChainWalker((seq) => (seq >= keyedFrom ? keyed : plainLink));
  for (const e of entries) if (!w.push(e)) break;
  return w;
}

describe('audit hash chain', () => {
  it('writes keys in order at every depth', () => {
    expect(canonicalJson({ b: { d: 1, c: [{ f: 1, e: 2 }] }, a: null, u: undefined })).toBe(
      '{"a":null,"b":{"c":[{"e":2,"f":1}],"d":1}}',
    );
  });

  it('accepts an intact chain', () => {
    const w = walk(chain(5));
    expect([w.broken, w.count]).toEqual([null, 5]);
  });

  it('names an altered entry, a rewritten hash and a removed one', () => {
    const altered = chain(5);
    altered[2] = { ...altered[2], after: { a: [99], b: 1 } };
    expect(walk(altered).broken).toMatchObject({ seq: 3, id: 'id3', kind: 'altered' });

    const rehashed = chain(5);
    rehashed[2] = { ...rehashed[2], actor: 'attacker' };
    rehashed[2].hash = entryHash(rehashed[2].prevHash, rehashed[2]);
    expect(walk(rehashed).broken).toMatchObject({ seq: 3, id: 'id3', kind: 'altered' });

    const removed = chain(5).filter((e) => e.seq !== 4);
    expect(walk(removed).broken).toMatchObject({ seq: 4, kind: 'removed' });
    expect(walk(chain(3).slice(1)).broken).toMatchObject({ seq: 1, kind: 'removed' });
  });

  it('checks plain links before the key and keyed ones from it: a plain re-chain of a keyed entry is caught', () => {
    expect(walk(chain(6, 4), 4)).toMatchObject({ broken: null, count: 6 });
    // Someone who can write the database alters seq 5 and recomputes it and what follows, as the plain chain would.
    const rechained = chain(6, 4);
    rechained[4] = { ...rechained[4], actor: 'attacker' };
    for (let i = 4; i < 6; i++) {
      rechained[i] = { ...rechained[i], prevHash: rechained[i - 1].hash };
      rechained[i].hash = entryHash(rechained[i].prevHash, rechained[i]);
    }
    expect(walk(rechained, 4).broken).toMatchObject({ seq: 5, id: 'id5', kind: 'altered' });
    // With the wrong key nothing keyed holds.
    const other = new AuditKey(Buffer.from('o'.repeat(40)));
    const w = new ChainWalker((seq) => (seq >= 4 ? (p, c) => other.link(p, c) : plainLink));
    for (const e of chain(6, 4)) if (!w.push(e)) break;
    expect(w.broken).toMatchObject({ seq: 4, kind: 'altered' });
    expect(other.fingerprint).not.toBe(key.fingerprint);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('seqlessCanonical', () => {
  it('is the canonical JSON up to the sequence number, so the database can finish the hash', () => {
    const fields = {
      seq: 41,
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      at: '2026-03-02T01:00:00.000Z',
      actor: 'office-1',
      actorName: '督办科 张三',
      action: 'problem.assigned',
      entityType: 'problem',
      entityId: 'B-001',
      problemId: null,
      before: null,
      after: { deadline: '2026-12-31', units: ['HBJ', 'CGJ'], z: 1, a: { c: 2, b: 'é' } },
      details: { note: '"quoted" \\ and 中文' },
    };
    const { seq, ...rest } = fields;
    const prev = 'ab'.repeat(32);
    const viaPrefix = createHash('sha256')
      .update(prev + seqlessCanonical(rest) + String(seq) + '}')
      .digest('hex');
    expect(viaPrefix).toBe(entryHash(prev, fields));
  });
});
