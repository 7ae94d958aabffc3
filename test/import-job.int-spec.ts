import path from 'node:path';
import pg from 'pg';
import { freshDatabaseEnv, realServers, startTestApp } from './support/test-app.js';
import { ServiceNode, freePort } from './support/node-process.js';
import { problemRow, problemSheet, seedUnits } from './support/xlsx.js';

/**
 * An import job whose node is SIGKILLed mid-file: the ledger shows none of the file meanwhile, and another node
 * takes the job over from the start and stores all of it, once. Needs real servers and `npm run build`.
 */
const describeReal = realServers ? describe : describe.skip;

describeReal('import job through a SIGKILL of its node', () => {
  // Enough rows that the file takes seconds, its heartbeat reporting rows done before it ends.
  const N = 1500;
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  let client: pg.Client;
  let token: string;
  const nodes: ServiceNode[] = [];

  beforeAll(async () => {
    db = await freshDatabaseEnv();
    const seeder = await startTestApp({ DUBAN_CLOCK_CONTROLLED: 'false' }, db);
    await seedUnits(seeder);
    token = await seeder.token('office');
    await seeder.app.close();
    client = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await client?.end();
    await db.drop();
  });

  async function node(name: string): Promise<ServiceNode> {
    const n = new ServiceNode(name, await freePort(), {
      ...db.env,
      DUBAN_PROCESSES_DIR: path.resolve('processes'),
      DUBAN_LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    });
    nodes.push(n);
    await n.start();
    return n;
  }
  const get = async (n: ServiceNode, url: string) =>
    (await fetch(`${n.url}${url}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;
  const count = async (sql: string) => (await client.query(sql)).rows[0].n as number;

  it('shows none of the file while its node dies, then all of it once, taken over by another node', async () => {
    const a = await node('a');
    // A deadline a year ahead, whatever day the test runs.
    const deadline = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    const file = await problemSheet(Array.from({ length: N }, (_, i) => problemRow(i + 1, { 整改时限: deadline })));
    const form = new FormData();
    form.append('file', new Blob([file]), 'problems.xlsx');
    const res = await fetch(`${a.url}/api/problems/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(202);
    const { jobId, statusUrl } = (await res.json()) as { jobId: string; statusUrl: string };

    // Mid-job: some processes started (the heartbeat reports them), none of them in the ledger.
    const seen = new Set<number>();
    for (let job = await get(a, statusUrl); job.done < N / 4; job = await get(a, statusUrl)) {
      expect(job.status).toMatch(/^(queued|running)$/);
      seen.add(await count(`SELECT count(*)::int AS n FROM problem`));
      await new Promise((r) => setTimeout(r, 200));
    }
    await a.kill('SIGKILL');
    seen.add(await count(`SELECT count(*)::int AS n FROM problem`));
    expect([...seen]).toEqual([0]);
    expect(await count(`SELECT count(*)::int AS n FROM engine_instance WHERE definition_key = 'rectification'`)).toBe(
      0,
    );

    // Another node sees the heartbeat stop and runs the file again from the start.
    const b = await node('b');
    let job = await get(b, statusUrl);
    const deadlineMs = Date.now() + 240_000;
    while (job.status === 'queued' || job.status === 'running') {
      if (Date.now() > deadlineMs)
        throw new Error(`job still ${job.status} (${job.done}/${job.rows}): ${b.output.slice(-2000)}`);
      const n = await count(`SELECT count(*)::int AS n FROM problem`);
      expect([0, N]).toContain(n);
      await new Promise((r) => setTimeout(r, 500));
      job = await get(b, statusUrl);
    }
    expect(job).toMatchObject({ id: jobId, status: 'done', rows: N, done: N });
    expect(job.problems).toHaveLength(N);
    expect(await count(`SELECT count(*)::int AS n FROM problem WHERE import_id = '${jobId}'`)).toBe(N);
    expect(await count(`SELECT count(*)::int AS n FROM engine_instance WHERE definition_key = 'rectification'`)).toBe(
      N,
    );
    expect(await count(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'problem.imported'`)).toBe(N);
    expect(await count(`SELECT attempts AS n FROM problem_import_job WHERE id = '${jobId}'`)).toBeGreaterThanOrEqual(2);
  }, 420_000);
});
