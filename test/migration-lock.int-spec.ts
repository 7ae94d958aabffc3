import pg from 'pg';
import { migrations } from '../src/database/migrations.js';
import { ServiceNode, freePort } from './support/node-process.js';
import { emptyDir, freshDatabaseEnv, realServers } from './support/test-app.js';

/**
 * Nodes booting together on an empty server database migrate it once: one runs the migrations under the
 * advisory lock, the others wait for it and find nothing to do; nobody fails, retries or logs an error.
 * Needs real servers and `npm run build`.
 */
const describeReal = realServers ? describe : describe.skip;

describeReal('migrations under a lock', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  const nodes: ServiceNode[] = [];

  beforeAll(async () => {
    db = await freshDatabaseEnv();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await db.drop();
  });

  it('three nodes started at once on an empty database come up, the migrations applied once', async () => {
    const env = { ...db.env, DUBAN_PROCESSES_DIR: emptyDir(), DUBAN_LOG_LEVEL: 'log', NODE_ENV: 'test' };
    for (let i = 0; i < 3; i++) nodes.push(new ServiceNode(`node${i}`, await freePort(), env));
    await Promise.all(nodes.map((n) => n.start()));

    const outputs = nodes.map((n) => n.output);
    for (const [i, out] of outputs.entries()) {
      expect([i, out.match(/.*(ERROR|query failed|Retrying|duplicate key|already exists).*/g)]).toEqual([i, null]);
    }
    const applied = outputs.filter((o) => o.includes(`applied ${migrations.length} migrations`));
    expect(applied).toHaveLength(1);
    expect(outputs.filter((o) => /applied \d+ migration/.test(o))).toHaveLength(1);

    const client = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name`);
      expect(rows).toHaveLength(migrations.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await client.end();
    }
  });
});
