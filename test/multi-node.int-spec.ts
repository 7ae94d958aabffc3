import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { bpmn, emptyDir, freshDatabaseEnv, realServers, startTestApp } from './support/test-app.js';
import { ServiceNode, freePort } from './support/node-process.js';

/**
 * Two service nodes as separate processes on one PostgreSQL and one Redis: every timer fires exactly once,
 * through a SIGKILL of a node mid-burst and through a Redis flush. Needs real servers and `npm run build`.
 */
const describeReal = realServers ? describe : describe.skip;

const timerProcess = bpmn(`
  <process id="burst" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeDate>\${environment.variables.at}</timeDate></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="after"/>
    <userTask id="after" name="到期后"/>
  </process>`);

describeReal('timers across nodes', () => {
  const N = 1000;
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  let nodes: ServiceNode[] = [];
  let processesDir: string;

  beforeAll(async () => {
    db = await freshDatabaseEnv();
    processesDir = emptyDir();
    writeFileSync(path.join(processesDir, 'burst.bpmn'), timerProcess);
  });
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    nodes = [];
  });
  afterAll(() => db.drop());

  async function startNodes(count: number) {
    const env = {
      ...db.env,
      DUBAN_PROCESSES_DIR: processesDir,
      DUBAN_RECONCILE_MS: '2000',
      DUBAN_LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    };
    nodes = [];
    for (let i = 0; i < count; i++) nodes.push(new ServiceNode(`node${i}`, await freePort(), env));
    await Promise.all(nodes.map((n) => n.start()));
  }

  /** Start N instances, then move all their timers to fall due together `dueInMs` from now. */
  async function startInstances(dueInMs: number): Promise<void> {
    const seeder = await startTestApp({ DUBAN_PROCESSES_DIR: processesDir, DUBAN_CLOCK_CONTROLLED: 'false' }, db);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    for (let i = 0; i < N; i++) await seeder.engine.startProcess('burst', { businessKey: `B-${i}`, variables: { at } });
    await seeder.app.close();
    await query(`UPDATE engine_timer SET expire_at = now() + interval '${dueInMs} milliseconds'`);
  }

  async function waitAllFired(q: (sql: string) => Promise<any[]>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [r] = await q(`SELECT count(*)::int AS n FROM engine_timer`);
      if (r.n === 0) return;
      await new Promise((res) => setTimeout(res, 500));
    }
    throw new Error('timers still pending');
  }

  async function assertExactlyOnce(q: (sql: string) => Promise<any[]>, expected: number) {
    const [r] = await q(
      `SELECT count(*)::int AS instances,
              count(*) FILTER (WHERE version = 2)::int AS stepped_twice,
              (SELECT count(*)::int FROM engine_task WHERE activity_id = 'after') AS tasks,
              (SELECT count(*)::int FROM engine_incident) AS incidents
       FROM engine_instance WHERE definition_key = 'burst'`,
    );
    // version 1 = start, 2 = the one timer step: a duplicate firing would have made a third step.
    const versions = await q(
      `SELECT version, count(*)::int AS n FROM engine_instance WHERE definition_key = 'burst' GROUP BY version ORDER BY version`,
    );
    expect({ ...r, versions }).toEqual({
      instances: expected,
      stepped_twice: expected,
      tasks: expected,
      incidents: 0,
      versions: [{ version: 2, n: expected }],
    });
  }

  async function query(sql: string): Promise<any[]> {
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  }

  it('two nodes fire each of 1,000 timers exactly once, and a node killed mid-burst loses none', async () => {
    await startInstances(6_000);
    await startNodes(2);
    // Kill one node while the burst is being delivered, then bring it back.
    const waitForFirst = Date.now() + 60_000;
    for (;;) {
      const [r] = await query(`SELECT count(*)::int AS n FROM engine_timer`);
      if (r.n < N || Date.now() > waitForFirst) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await nodes[0].kill('SIGKILL');
    await nodes[0].start();
    await waitAllFired(query, 120_000);
    await assertExactlyOnce(query, N);
  });

  it('shares one token key: a sign-in on one node works on the other; a keyless node does not start', async () => {
    const seeder = await startTestApp({ DUBAN_PROCESSES_DIR: processesDir, DUBAN_CLOCK_CONTROLLED: 'false' }, db);
    const { username, password } = await seeder.credentials('office');
    await seeder.app.close();
    await startNodes(2);
    const body = JSON.stringify({ username, password });
    const json = { 'content-type': 'application/json' };
    const signIn = await fetch(`${nodes[0].url}/api/auth/login`, { method: 'POST', headers: json, body });
    expect(signIn.status).toBe(200);
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };
    for (const node of nodes) expect((await fetch(`${node.url}/api/auth/me`, { headers })).status).toBe(200);

    // Empty counts as unset (and hides any key in this process's own environment).
    const env = { ...db.env, DUBAN_PROCESSES_DIR: processesDir, NODE_ENV: 'test', DUBAN_JWT_SECRET: '' };
    const keyless = new ServiceNode('keyless', await freePort(), env);
    await expect(keyless.start()).rejects.toThrow(/exited: .*DUBAN_JWT_SECRET must be set with DATABASE_URL/s);
    expect(keyless.proc?.exitCode).toBe(2);
  });

  it('flushing Redis loses no timer: the reconciler schedules them again', async () => {
    await query(`DELETE FROM engine_instance WHERE definition_key = 'burst'`).catch(() => undefined);
    await startInstances(8_000);
    await startNodes(2);
    const redis = new Redis(db.env.REDIS_URL);
    const keys = await redis.keys(`${db.env.DUBAN_QUEUE_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await waitAllFired(query, 120_000);
    await assertExactlyOnce(query, N);
  });
});
