import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { runCli } from '../src/cli/commands.js';
import { AuditRepository } from '../src/audit/audit.repository.js';
import { AuditService } from '../src/audit/audit.service.js';
import { GENESIS, entryHash, plainLink, seqlessCanonical } from '../src/audit/audit-hash.js';
import { Clock } from '../src/clock/clock.js';
import { AuditKey } from '../src/database/audit-key.js';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { migrations } from '../src/database/migrations.js';
import { emptyDir, freshDatabaseEnv, realServers, startTestApp, type TestApp } from './support/test-app.js';

const LEGACY = 3;
const KEY_MIGRATION = 1765320000000;
const WRONG_KEY = 'not-the-key-of-this-trail-0123456789abcdef';

interface Row {
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
const fields = (r: Row) => ({
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
});
const SET_HASH = `UPDATE audit_entry SET prev_hash = $2, hash = $3 WHERE id = $1`;
const SET_HASH_AND_NAME = `UPDATE audit_entry SET prev_hash = $2, hash = $3, actor_name = $4 WHERE id = $1`;
const SET_KEY = `INSERT INTO audit_chain_key (from_seq, fingerprint) VALUES ($1, $2)`;

/**
 * The keyed chain: HMAC-SHA256 under DUBAN_AUDIT_KEY, which the database never stores. A trail begun before
 * the key keeps its plain entries and verifies; someone who can write the database but has not the key cannot
 * re-chain it, cut it back to its plain part, or extend it; a wrong key is named as such.
 */
describe('the keyed audit chain', () => {
  let t: TestApp | null = null;
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  const app = () => t!;
  const rows = async (): Promise<Row[]> => app().db.query(`SELECT * FROM audit_entry ORDER BY seq`);
  const verify = () => app().app.get(AuditService).verify();

  /** A trail as a version without the key left it: migrated up to the key's migration, three plain entries. */
  async function legacyTrail(): Promise<void> {
    const before = migrations.filter((m) => Number(/\d+$/.exec(new m().name)![0]) < KEY_MIGRATION);
    const embedded = db.env.DATABASE_URL ? null : await EmbeddedPostgres.start(db.env.DUBAN_DATA_DIR);
    const url = db.env.DATABASE_URL ?? embedded!.url;
    const ds = new DataSource({ type: 'postgres', url, migrations: before, migrationsRun: true, extra: { max: 1 } });
    await ds.initialize();
    for (let i = 1; i <= LEGACY; i++) {
      const f = {
        id: randomUUID(),
        at: new Date(Date.UTC(2026, 0, i)).toISOString(),
        actor: 'system',
        actorName: null,
        action: `legacy.${i}`,
        entityType: null,
        entityId: null,
        problemId: null,
        before: null,
        after: { i },
        details: null,
      };
      const entry = JSON.stringify({ ...f, prefix: seqlessCanonical(f) });
      await ds.query(`INSERT INTO audit_pending (entry) VALUES ($1)`, [entry]);
    }
    await ds.destroy();
    await embedded?.stop();
  }

  beforeAll(async () => {
    db = realServers ? await freshDatabaseEnv() : { env: { DUBAN_DATA_DIR: emptyDir() }, drop: async () => undefined };
    await legacyTrail();
    t = await startTestApp(db.env, db);
  });
  afterAll(async () => {
    await t?.close();
    await db.drop();
  });

  it('keeps the entries chained before the key as they were, and chains with the key from then on', async () => {
    const all = await rows();
    expect(all.slice(0, LEGACY).map((r) => r.action)).toEqual(['legacy.1', 'legacy.2', 'legacy.3']);
    let prev = GENESIS;
    for (const r of all.slice(0, LEGACY)) {
      expect(r.hash).toBe(entryHash(prev, fields(r), plainLink));
      prev = r.hash;
    }
    // The first start with the key records it in the trail, from the next seq.
    const marker = all[LEGACY];
    const applied = { seq: String(LEGACY + 1), action: 'audit.key_applied', details: { algorithm: 'HMAC-SHA256' } };
    expect(marker).toMatchObject(applied);
    const [chainKey] = await app().db.query(`SELECT from_seq, fingerprint FROM audit_chain_key`);
    const { fingerprint } = marker.details as { fingerprint: string };
    expect(chainKey).toEqual({ from_seq: String(LEGACY + 1), fingerprint });
    // From there on a link is HMAC-SHA256: the trigger's equals the node's, and no plain hash matches it.
    const key = app().app.get(AuditKey);
    expect(all[LEGACY].hash).toBe(entryHash(all[LEGACY].prev_hash, fields(all[LEGACY]), (p, c) => key.link(p, c)));
    expect(all[LEGACY].hash).not.toBe(entryHash(all[LEGACY].prev_hash, fields(all[LEGACY]), plainLink));

    const res = await verify();
    const verified = { fingerprint: key.fingerprint, algorithm: 'HMAC-SHA256', fromSeq: LEGACY + 1 };
    expect(res).toEqual({ ok: true, count: all.length, head: all[all.length - 1].hash, key: verified });
    expect((await app().http.get('/api/audit/verify').expect(200)).body).toEqual(res);
    // The fingerprint names the key without giving it away.
    const secret = db.env.DUBAN_AUDIT_KEY;
    const hmac = (k: string) => createHmac('sha256', k).update('duban audit key fingerprint').digest('hex');
    if (secret) expect(key.fingerprint).toBe(hmac(secret).slice(0, 16));
    expect(JSON.stringify(res)).not.toContain(key.sessionValue);
  });

  it('extends the trail only from a session that carries the key: none, or another, is refused at commit', async () => {
    const audit = app().app.get(AuditService);
    const before = (await rows()).length;
    const sessions = [
      ['', /audit key \(duban\.audit_key\) is not set/],
      [Buffer.from(WRONG_KEY).toString('hex'), /is not the key of the audit trail/],
    ] as const;
    for (const [value, refusal] of sessions) {
      await expect(
        app().db.transaction(async (m) => {
          await m.query(`SELECT set_config('duban.audit_key', $1, true)`, [value]);
          await audit.record({ actor: 'attacker', action: 'forged.entry' }, m);
        }),
      ).rejects.toThrow(refusal);
    }
    expect((await rows()).length).toBe(before);
    // A node started with another key does not start.
    const repo = app().app.get(AuditRepository);
    const wrong = new AuditService(app().db, repo, app().app.get(Clock), new AuditKey(Buffer.from(WRONG_KEY)));
    await expect(wrong.assertKey()).rejects.toThrow(
      /DUBAN_AUDIT_KEY is not the key of the audit trail: the trail is chained from seq 4 with the key of fingerprint/,
    );
    const refused = { kind: 'wrong-key', message: expect.stringContaining('not with this key') };
    expect(await wrong.verify()).toMatchObject({ ok: false, count: 0, broken: refused });
  });

  it('catches a row altered and re-chained with plain SHA-256 by someone who can write the database', async () => {
    await app().http.post('/api/units').send({ code: 'HBJ', name: '市环保局' }).expect(201);
    await app().http.post('/api/units').send({ code: 'ZJJ', name: '市住建局' }).expect(201);
    const original = await rows();
    const victim = original.find((r) => r.action === 'unit.created' || r.entity_type === 'unit')!;
    expect(Number(victim.seq)).toBeGreaterThan(LEGACY + 1);
    await app().db.query(`ALTER TABLE audit_entry DISABLE TRIGGER ALL`);
    try {
      let prev = original[Number(victim.seq) - 2].hash;
      for (const r of original.slice(Number(victim.seq) - 1)) {
        const f = { ...fields(r), actorName: r.id === victim.id ? 'someone else' : r.actor_name };
        const hash = entryHash(prev, f, plainLink);
        await app().db.query(SET_HASH_AND_NAME, [r.id, prev, hash, f.actorName]);
        prev = hash;
      }
      const seq = Number(victim.seq);
      const altered = { seq, id: victim.id, kind: 'altered' };
      expect(await verify()).toMatchObject({ ok: false, count: seq - 1, broken: altered });
    } finally {
      for (const r of original) {
        await app().db.query(SET_HASH_AND_NAME, [r.id, r.prev_hash, r.hash, r.actor_name]);
      }
      await app().db.query(`ALTER TABLE audit_entry ENABLE TRIGGER ALL`);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('catches a trail re-chained plain from the start, its key record removed or moved past its end', async () => {
    const original = await rows();
    const [chainKey] = await app().db.query(`SELECT from_seq, fingerprint FROM audit_chain_key`);
    await app().db.query(`ALTER TABLE audit_entry DISABLE TRIGGER ALL`);
    await app().db.query(`ALTER TABLE audit_chain_key DISABLE TRIGGER ALL`);
    try {
      let prev = GENESIS;
      for (const r of original) {
        const hash = entryHash(prev, fields(r), plainLink);
        await app().db.query(SET_HASH, [r.id, prev, hash]);
        prev = hash;
      }
      await app().db.query(`DELETE FROM audit_chain_key`);
      const noRecord = { seq: 1, kind: 'removed', message: expect.stringContaining('record of the key') };
      expect(await verify()).toMatchObject({ ok: false, broken: noRecord });
      await app().db.query(SET_KEY, [original.length + 1, chainKey.fingerprint]);
      const message = expect.stringContaining('keyed entries were removed');
      const cut = { seq: original.length + 1, kind: 'removed', message };
      expect(await verify()).toMatchObject({ ok: false, broken: cut });
    } finally {
      for (const r of original) await app().db.query(SET_HASH, [r.id, r.prev_hash, r.hash]);
      await app().db.query(`DELETE FROM audit_chain_key`);
      await app().db.query(SET_KEY, [chainKey.from_seq, chainKey.fingerprint]);
      await app().db.query(`ALTER TABLE audit_chain_key ENABLE TRIGGER ALL`);
      await app().db.query(`ALTER TABLE audit_entry ENABLE TRIGGER ALL`);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('is verified by the CLI with the right key (naming it and the head), and fails with a wrong one', async () => {
    const head = (await rows()).at(-1)!.hash;
    const fingerprint = app().app.get(AuditKey).fingerprint;
    await app().close();
    t = null;
    const run = async (env: Record<string, string>) => {
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
      const code = await runCli(['audit:verify'], io, { NODE_ENV: 'test', ...db.env, ...env });
      return { code, text: out.join('\n') };
    };
    const right = await run({});
    expect(right.code).toBe(0);
    const from = LEGACY + 1;
    expect(right.text).toContain(`key: fingerprint ${fingerprint} (HMAC-SHA256 from seq ${from}, SHA-256 before)`);
    expect(right.text).toContain(`chain intact; head ${head}`);
    const wrong = await run({ DUBAN_AUDIT_KEY: WRONG_KEY });
    expect(wrong.code).toBe(1);
    expect(wrong.text).toContain(`from seq ${from} with the key of fingerprint ${fingerprint}, not with this key`);
    expect(wrong.text).not.toContain('OK:');
  });
});
