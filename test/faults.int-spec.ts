import { exec } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Redis } from 'ioredis';
import { HandlerRegistry } from '../src/engine/handler-registry.js';
import { bpmn, emptyDir, freshDatabaseEnv, realServers, startTestApp } from './support/test-app.js';
import { ServiceNode, freePort } from './support/node-process.js';
import { TcpProxy } from './support/tcp-proxy.js';

/**
 * Faults under load, with service nodes as separate processes on real PostgreSQL and Redis: a node killed
 * while tasks are being completed, PostgreSQL going away and coming back, Redis losing its data and its
 * connections. What a user was told is what the database holds; nothing acknowledged is lost, nothing is
 * done twice, and the service comes back by itself. Needs real servers and `npm run build`.
 */
const describeReal = realServers ? describe : describe.skip;

/**
 * A real restart of the PostgreSQL server, only when asked for (DUBAN_TEST_PG_RESTART=1): it ends every
 * session of every database on that server. DUBAN_TEST_PG_RESTART_CMD may name another way to restart it.
 */
function pgRestartCommand(): string | null {
  if (process.env.DUBAN_TEST_PG_RESTART !== '1') return null;
  if (process.env.DUBAN_TEST_PG_RESTART_CMD) return process.env.DUBAN_TEST_PG_RESTART_CMD;
  const [version] = readdirSync('/etc/postgresql');
  return `pg_ctlcluster --skip-systemctl-redirect ${version} main restart`;
}

// A task to complete (签收, form "sign"), then a task with a far boundary timer: a completion schedules a timer job.
const reviewProcess = bpmn(
  `<process id="fault" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <userTask id="review" name="签收" camunda:formKey="sign" camunda:candidateGroups="office"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="after"/>
    <userTask id="after" name="整改" camunda:candidateGroups="office"/>
    <boundaryEvent id="late" attachedToRef="after"><timerEventDefinition><timeDuration>P30D</timeDuration></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f3" sourceRef="late" targetRef="lateEnd"/><endEvent id="lateEnd"/>
  </process>`,
  'fault-defs',
);

const timerProcess = bpmn(
  `<process id="tick" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeDate>\${environment.variables.at}</timeDate></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="after"/>
    <userTask id="after" name="到期后"/>
  </process>`,
  'tick-defs',
);

const noticeProcess = bpmn(
  `<process id="notice" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="record"/>
    <serviceTask id="record" name="登记" implementation="\${environment.services.recordNotice}"/>
    <sequenceFlow id="f2" sourceRef="record" targetRef="after"/>
    <userTask id="after" name="登记后"/>
  </process>`,
  'notice-defs',
);

interface Attempt {
  taskId: string;
  node: string;
  status: number | 'error';
  ms: number;
  at: number;
  retryAfter: string | null;
  message?: string;
}

interface LoadResult {
  attempts: Attempt[];
  /** The last answer per task: 200, or 404/409 on a retry of an unanswered call, or something unexpected. */
  final: Map<string, Attempt>;
  acked: Set<string>;
}

/** An answer that leaves the outcome unknown to the caller: it retries. */
const unanswered = (a: Attempt) => a.status === 'error' || a.status === 502 || a.status === 503;

describeReal('faults under load, nodes as processes on PostgreSQL and Redis', () => {
  const SECRET = randomBytes(32).toString('base64url');
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;
  let processesDir: string;
  let token: string;
  let nodes: ServiceNode[] = [];
  const proxies: TcpProxy[] = [];
  let redis: Redis;

  beforeAll(async () => {
    db = await freshDatabaseEnv();
    processesDir = emptyDir();
    writeFileSync(path.join(processesDir, 'fault.bpmn'), reviewProcess);
    writeFileSync(path.join(processesDir, 'tick.bpmn'), timerProcess);
    redis = new Redis(db.env.REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    nodes = [];
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await redis?.quit();
    await db?.drop();
  });

  function nodeEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...db.env,
      DUBAN_PROCESSES_DIR: processesDir,
      DUBAN_RECONCILE_MS: '2000',
      DUBAN_LOG_LEVEL: 'warn',
      DUBAN_JWT_SECRET: SECRET,
      NODE_ENV: 'test',
      ...extra,
    };
  }

  async function startNodes(envs: Record<string, string>[]): Promise<ServiceNode[]> {
    nodes = [];
    for (let i = 0; i < envs.length; i++) nodes.push(new ServiceNode(`node${i}`, await freePort(), envs[i]));
    await Promise.all(nodes.map((n) => n.start()));
    return nodes;
  }

  async function query(sql: string, params: unknown[] = []): Promise<any[]> {
    const c = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows;
    } finally {
      await c.end();
    }
  }

  /**
   * Instances started by a service in this process on the same database (then closed), and an admin's token
   * signed with the nodes' key. `review` instances wait at their first task; `tick` ones at a timer due at `at`.
   */
  async function seed(
    prefix: string,
    reviews: number,
    timers: { count: number; at: (i: number) => Date } = { count: 0, at: () => new Date() },
  ): Promise<string[]> {
    const seeder = await startTestApp(
      { ...nodeEnv(), DUBAN_CLOCK_CONTROLLED: 'false', DUBAN_TOKEN_TTL_S: '86400', DUBAN_LOG_LEVEL: 'error' },
      db,
    );
    try {
      token ??= await seeder.token('admin');
      for (let i = 0; i < reviews; i++) await seeder.engine.startProcess('fault', { businessKey: `${prefix}-${i}` });
      for (let i = 0; i < timers.count; i++)
        await seeder.engine.startProcess('tick', {
          businessKey: `${prefix}T-${i}`,
          variables: { at: timers.at(i).toISOString() },
        });
    } finally {
      await seeder.app.close();
    }
    const tasks = await query(
      `SELECT t.id FROM engine_task t JOIN engine_instance i ON i.id = t.instance_id WHERE i.definition_key = 'fault' AND i.business_key LIKE $1 AND t.activity_id = 'review'`,
      [`${prefix}-%`],
    );
    expect(tasks).toHaveLength(reviews);
    return tasks.map((t) => t.id);
  }

  async function complete(node: ServiceNode, taskId: string, timeoutMs = 15_000): Promise<Attempt> {
    const t0 = Date.now();
    try {
      const res = await fetch(`${node.url}/api/tasks/${taskId}/complete`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note: '收到' }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await res.text();
      return {
        taskId,
        node: node.name,
        status: res.status,
        ms: Date.now() - t0,
        at: t0,
        retryAfter: res.headers.get('retry-after'),
        message: res.status === 200 ? undefined : body.slice(0, 300),
      };
    } catch (e) {
      return {
        taskId,
        node: node.name,
        status: 'error',
        ms: Date.now() - t0,
        at: t0,
        retryAfter: null,
        message: String((e as Error).cause ?? (e as Error).message),
      };
    }
  }

  /**
   * Clients completing every task, each call on a node picked at random; a call left unanswered (no answer,
   * 502/503) is tried again a moment later, as a user would; 200, 404 and 409 are final answers.
   */
  function completeAll(
    taskIds: string[],
    opts: {
      concurrency: number;
      retryDelayMs?: number;
      deadlineMs?: number;
      timeoutMs?: number;
      pick?: () => ServiceNode;
    },
  ): { live: LoadResult; done: Promise<LoadResult> } {
    const result: LoadResult = { attempts: [], final: new Map(), acked: new Set() };
    const queue = taskIds.map((id) => ({ id, notBefore: 0 }));
    const deadline = Date.now() + (opts.deadlineMs ?? 180_000);
    const pick = opts.pick ?? (() => nodes[Math.floor(Math.random() * nodes.length)]);
    const worker = async () => {
      while (result.final.size < taskIds.length) {
        if (Date.now() > deadline)
          throw new Error(
            `load did not finish: ${result.final.size}/${taskIds.length} answered, last attempts ${JSON.stringify(result.attempts.slice(-5))}`,
          );
        const i = queue.findIndex((q) => q.notBefore <= Date.now());
        if (i < 0) {
          await sleep(25);
          continue;
        }
        const [item] = queue.splice(i, 1);
        const a = await complete(pick(), item.id, opts.timeoutMs);
        result.attempts.push(a);
        if (unanswered(a)) queue.push({ id: item.id, notBefore: Date.now() + (opts.retryDelayMs ?? 200) });
        else {
          result.final.set(item.id, a);
          if (a.status === 200) result.acked.add(item.id);
        }
      }
    };
    return { live: result, done: Promise.all(Array.from({ length: opts.concurrency }, worker)).then(() => result) };
  }

  /** Every call got an answer the caller can act on: 200, or 409/404 only where an earlier call of it went unanswered. */
  function expectCleanAnswers(load: LoadResult, taskIds: string[]) {
    const unexpected = load.attempts.filter(
      (a) => a.status !== 'error' && ![200, 404, 409, 502, 503].includes(a.status),
    );
    expect(unexpected).toEqual([]);
    expect(load.final.size).toBe(taskIds.length);
    for (const [taskId, last] of load.final) {
      if (last.status === 200) continue;
      // A completion that was not acknowledged may have committed; its retry says so with 409 (or 404), never a second step.
      expect([404, 409]).toContain(last.status);
      expect(load.attempts.some((a) => a.taskId === taskId && unanswered(a))).toBe(true);
    }
  }

  /**
   * Every `fault` instance is at rest in one of two states: its first task open (version 1, nothing of it
   * ended) or past it (version 2, one ended `review`, one open `after`, its far timer pending). Nothing
   * half-done, nothing stepped twice.
   */
  async function instanceStates(prefix: string): Promise<{ waiting: number; advanced: number; broken: any[] }> {
    const rows = await query(
      `SELECT i.id, i.version, i.status,
              coalesce((SELECT array_agg(t.activity_id ORDER BY t.activity_id) FROM engine_task t WHERE t.instance_id = i.id), '{}') AS tasks,
              (SELECT count(*)::int FROM engine_history h WHERE h.instance_id = i.id AND h.activity_id = 'review') AS review_rows,
              (SELECT count(*)::int FROM engine_history h WHERE h.instance_id = i.id AND h.activity_id = 'review' AND h.ended_at IS NOT NULL) AS review_ended,
              (SELECT count(*)::int FROM engine_history h WHERE h.instance_id = i.id AND h.activity_id = 'after') AS after_rows,
              (SELECT count(*)::int FROM engine_timer x WHERE x.instance_id = i.id) AS timers,
              (SELECT count(*)::int FROM engine_incident x WHERE x.instance_id = i.id) AS incidents
         FROM engine_instance i WHERE i.definition_key = 'fault' AND i.business_key LIKE $1`,
      [`${prefix}-%`],
    );
    let waiting = 0;
    let advanced = 0;
    const broken: any[] = [];
    for (const r of rows) {
      const isWaiting =
        r.version === 1 &&
        r.tasks.join() === 'review' &&
        r.review_rows === 1 &&
        r.review_ended === 0 &&
        r.after_rows === 0 &&
        r.timers === 0;
      const isAdvanced =
        r.version === 2 &&
        r.tasks.join() === 'after' &&
        r.review_rows === 1 &&
        r.review_ended === 1 &&
        r.after_rows === 1 &&
        r.timers === 1;
      if (r.status !== 'active' || r.incidents > 0 || !(isWaiting || isAdvanced)) broken.push(r);
      else if (isWaiting) waiting++;
      else advanced++;
    }
    return { waiting, advanced, broken };
  }

  /** What each acknowledged completion left: its task gone, its history row ended (one), its instance one step on. */
  async function expectAcknowledgedStored(acked: Set<string>) {
    const ids = [...acked];
    const rows = await query(
      `SELECT h.task_id, count(*)::int AS rows, bool_and(h.ended_at IS NOT NULL) AS ended, min(i.version) AS version,
              bool_or(EXISTS (SELECT 1 FROM engine_task t WHERE t.id = h.task_id)) AS still_open
         FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id
        WHERE h.task_id = ANY($1::uuid[]) GROUP BY h.task_id`,
      [ids],
    );
    const bad = rows.filter((r) => r.rows !== 1 || !r.ended || r.version !== 2 || r.still_open);
    expect(bad).toEqual([]);
    expect(rows).toHaveLength(ids.length);
    // And the trail says once who completed each (written in the step's own transaction).
    const trail = await query(
      `SELECT entity_id, count(*)::int AS n, min(actor_name) AS by FROM audit_entry WHERE action = 'task.ended' AND entity_type = 'task' AND entity_id = ANY($1::text[]) GROUP BY entity_id`,
      [ids],
    );
    expect(trail.filter((r) => r.n !== 1 || !String(r.by).startsWith('t-admin'))).toEqual([]);
    expect(trail).toHaveLength(ids.length);
  }

  async function expectTimersFiredOnce(prefix: string, count: number, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    let r: any;
    for (;;) {
      [r] = await query(
        `SELECT count(*)::int AS instances,
                count(*) FILTER (WHERE i.version = 2 AND i.status = 'active')::int AS fired_once,
                (SELECT count(*)::int FROM engine_timer x JOIN engine_instance j ON j.id = x.instance_id WHERE j.business_key LIKE $1) AS pending,
                (SELECT count(*)::int FROM engine_task t JOIN engine_instance j ON j.id = t.instance_id WHERE j.business_key LIKE $1 AND t.activity_id = 'after') AS tasks,
                (SELECT count(*)::int FROM engine_history h JOIN engine_instance j ON j.id = h.instance_id WHERE j.business_key LIKE $1 AND h.activity_id = 'wait' AND h.ended_at IS NOT NULL) AS fired,
                (SELECT count(*)::int FROM engine_incident x JOIN engine_instance j ON j.id = x.instance_id WHERE j.business_key LIKE $1) AS incidents
           FROM engine_instance i WHERE i.definition_key = 'tick' AND i.business_key LIKE $1`,
        [`${prefix}T-%`],
      );
      if (r.pending === 0 || Date.now() > deadline) break;
      await sleep(250);
    }
    expect(r).toEqual({ instances: count, fired_once: count, pending: 0, tasks: count, fired: count, incidents: 0 });
  }

  /** No connection of this database is left inside a transaction holding locks. */
  async function expectNoStuckTransactions() {
    const [r] = await query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
    );
    expect(r.n).toBe(0);
  }

  it('SIGKILL of a node, twice, while tasks are being completed: every acknowledged completion is stored once, nothing half-done, the rest complete on retry', async () => {
    const taskIds = await seed('K', 300);
    await startNodes([nodeEnv(), nodeEnv()]);
    const snapshots: Awaited<ReturnType<typeof instanceStates>>[] = [];
    const load = completeAll(taskIds, { concurrency: 10 });

    // Kill at a random moment of the run: one node at 15-35 % acknowledged, the other (once the first is back) at 55-75 %.
    const chaos = (async () => {
      for (const [node, from] of [
        [nodes[0], 0.15],
        [nodes[1], 0.55],
      ] as const) {
        const at = Math.floor(taskIds.length * (from + Math.random() * 0.2));
        while (load.live.acked.size < at && load.live.final.size < taskIds.length) await sleep(5);
        await node.kill('SIGKILL');
        snapshots.push(await instanceStates('K'));
        await node.start();
      }
    })();
    const [done] = await Promise.all([load.done, chaos]);

    expectCleanAnswers(done, taskIds);
    for (const s of snapshots) expect(s.broken).toEqual([]);
    await expectAcknowledgedStored(done.acked);
    expect(await instanceStates('K')).toEqual({ waiting: 0, advanced: taskIds.length, broken: [] });
    // The kills landed on calls in flight: some were left unanswered and were retried.
    expect(done.attempts.filter(unanswered).length).toBeGreaterThan(0);
    await expectNoStuckTransactions();
  });

  it('a node frozen in the middle of its transactions (SIGSTOP) holds up the other node only briefly: its sessions are ended, their locks freed, and it serves again once thawed', async () => {
    const taskIds = await seed('F', 160);
    const proxy = await new TcpProxy(Number(new URL(db.env.DATABASE_URL).port || 5432)).start();
    proxies.push(proxy);
    // Short limits here, so the test is quick; the defaults are longer.
    const limits = { DUBAN_DB_IDLE_TX_TIMEOUT_MS: '3000', DUBAN_DB_LOCK_TIMEOUT_MS: '3000' };
    const [frozen, other] = await startNodes([
      nodeEnv({ ...limits, DATABASE_URL: proxy.via(db.env.DATABASE_URL) }),
      nodeEnv(limits),
    ]);
    const later = taskIds.slice(140);
    // A caller gives up on a node that does not answer within 5 s and tries again, on either node.
    const load = completeAll(taskIds.slice(0, 140), { concurrency: 8, timeoutMs: 5_000 });
    while (load.live.acked.size < 30) await sleep(10);

    // Freeze the node at a moment it sits inside a transaction holding an instance's lock.
    const lockedByFrozen = async () =>
      (
        await query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND client_port = ANY($1::int[])`,
          [proxy.upstreamPorts()],
        )
      )[0].n;
    let holding = 0;
    for (let i = 0; i < 50 && !holding; i++) {
      frozen.proc!.kill('SIGSTOP');
      await sleep(150);
      holding = await lockedByFrozen();
      if (!holding) {
        frozen.proc!.kill('SIGCONT');
        await sleep(50 + Math.random() * 100);
      }
    }
    expect(holding).toBeGreaterThan(0);
    const frozenAt = Date.now();
    await sleep(15_000);
    const stillHolding = await lockedByFrozen();
    frozen.proc!.kill('SIGCONT');
    const thawedAt = Date.now();
    const done = await load.done;

    // The server ended the frozen node's idle transactions, so the other node went on: none of its answers
    // waited long on a lock (a lock wait is cut short as a 503, and retried).
    expect(stillHolding).toBe(0);
    const onOther = done.attempts.filter((a) => a.node === other.name && a.at >= frozenAt && a.at < thawedAt);
    expect(onOther.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect(Math.max(...onOther.map((a) => a.ms))).toBeLessThan(8_000);
    expectCleanAnswers(done, taskIds.slice(0, 140));
    await expectAcknowledgedStored(done.acked);

    // Thawed, the node finds its sessions gone, drops them, and serves again.
    const deadline = Date.now() + 20_000;
    while (
      (await fetch(`${frozen.url}/health`).then(
        (r) => r.status,
        () => 0,
      )) !== 200 &&
      Date.now() < deadline
    )
      await sleep(200);
    const afterThaw = await completeAll(later, { concurrency: 2, pick: () => frozen }).done;
    expect([...afterThaw.final.values()].map((a) => a.status)).toEqual(later.map(() => 200));
    expect(await instanceStates('F')).toEqual({ waiting: 0, advanced: taskIds.length, broken: [] });
    await expectNoStuckTransactions();
  });

  it('PostgreSQL going away under load: calls answer 503 with Retry-After at once, health says so, and the node comes back by itself with nothing lost and its timers fired', async () => {
    // Timers to fall due while the database is away (their times are set just before the outage).
    const taskIds = await seed('O', 200, { count: 40, at: () => new Date(Date.now() + 3_600_000) });
    const proxy = await new TcpProxy(Number(new URL(db.env.DATABASE_URL).port || 5432)).start();
    proxies.push(proxy);
    const [node] = await startNodes([nodeEnv({ DATABASE_URL: proxy.via(db.env.DATABASE_URL) })]);
    const pid = node.proc!.pid;
    const load = completeAll(taskIds, { concurrency: 8, retryDelayMs: 300 });
    while (load.live.acked.size < 40) await sleep(10);

    // The timers fall due in the outage, their jobs already waiting in Redis (put there by the reconciler's next pass).
    // The outage lasts 5 s, and at least until the timers' deliveries have been tried (and failed) for 4 s.
    const dueAt = Date.now() + 3_000;
    await query(
      `UPDATE engine_timer x SET expire_at = $1 FROM engine_instance i WHERE i.id = x.instance_id AND i.business_key LIKE 'OT-%'`,
      [new Date(dueAt)],
    );
    const jobKeys = (
      await query(
        `SELECT x.id FROM engine_timer x JOIN engine_instance i ON i.id = x.instance_id WHERE i.business_key LIKE 'OT-%'`,
      )
    ).map((x) => `${db.env.DUBAN_QUEUE_PREFIX}:engine:t-${x.id}-${dueAt}`);
    while ((await redis.exists(...jobKeys)) < jobKeys.length) await sleep(50);
    proxy.cut();
    const cutAt = Date.now();
    const health: { status: number; body: any; ms: number }[] = [];
    while (Date.now() - cutAt < 5_000 || Date.now() < dueAt + 4_000) {
      const t0 = Date.now();
      const res = await fetch(`${node.url}/health`, { signal: AbortSignal.timeout(10_000) });
      health.push({ status: res.status, body: await res.json(), ms: Date.now() - t0 });
      await sleep(500);
    }
    const ackedBefore = load.live.acked.size;
    proxy.restore();
    const restoredAt = Date.now();
    const done = await load.done;

    // During the outage: 503 with Retry-After, each within a few seconds; health down, naming the database.
    const during = done.attempts.filter((a) => a.at >= cutAt + 200 && a.at + a.ms < restoredAt);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((a) => a.status !== 503)).toEqual([]);
    expect(during.filter((a) => !a.retryAfter)).toEqual([]);
    expect(Math.max(...done.attempts.map((a) => a.ms))).toBeLessThan(8_000);
    expect(health.length).toBeGreaterThan(3);
    for (const h of health) {
      expect(h.status).toBe(503);
      expect(h.body.database.ok).toBe(false);
      expect(h.ms).toBeLessThan(4_000);
    }
    // After: the same process serves again (no restart), everything completed, acknowledged ones stored once.
    expect(node.proc!.exitCode).toBeNull();
    expect(node.proc!.pid).toBe(pid);
    expect(done.acked.size).toBeGreaterThan(ackedBefore);
    expect((await fetch(`${node.url}/health`)).status).toBe(200);
    expectCleanAnswers(done, taskIds);
    await expectAcknowledgedStored(done.acked);
    expect(await instanceStates('O')).toEqual({ waiting: 0, advanced: taskIds.length, broken: [] });
    await expectTimersFiredOnce('O', 40, 30_000);
    await expectNoStuckTransactions();
  });

  it('a network partition to PostgreSQL (nothing refused, nothing answered): no call waits longer than the partition, health says so, and the node carries on after it', async () => {
    const taskIds = await seed('P', 120);
    const proxy = await new TcpProxy(Number(new URL(db.env.DATABASE_URL).port || 5432)).start();
    proxies.push(proxy);
    const [node] = await startNodes([
      nodeEnv({ DATABASE_URL: proxy.via(db.env.DATABASE_URL), DUBAN_DB_IDLE_TX_TIMEOUT_MS: '3000' }),
    ]);
    const pid = node.proc!.pid;
    // Callers wait long here: whatever bounds an answer during the partition is the service's, not theirs.
    const load = completeAll(taskIds, { concurrency: 6, timeoutMs: 30_000, retryDelayMs: 300 });
    while (load.live.acked.size < 30) await sleep(10);

    proxy.stall();
    const stalledAt = Date.now();
    await sleep(1_000);
    const t0 = Date.now();
    const health = await fetch(`${node.url}/health`, { signal: AbortSignal.timeout(10_000) });
    const healthMs = Date.now() - t0;
    const healthBody = (await health.json()) as { database: { ok: boolean } };
    await sleep(Math.max(0, 6_000 - (Date.now() - stalledAt)));
    proxy.restore();
    const done = await load.done;

    expect(health.status).toBe(503);
    expect(healthBody.database.ok).toBe(false);
    expect(healthMs).toBeLessThan(4_000);
    // A call caught by the partition answered when it ended, or earlier (503 when no connection could be made).
    expect(Math.max(...done.attempts.map((a) => a.ms))).toBeLessThan(6_000 + 5_000);
    expect(done.attempts.some((a) => a.status === 503 && a.retryAfter)).toBe(true);
    expect(node.proc!.exitCode).toBeNull();
    expect(node.proc!.pid).toBe(pid);
    expect((await fetch(`${node.url}/health`)).status).toBe(200);
    expectCleanAnswers(done, taskIds);
    await expectAcknowledgedStored(done.acked);
    expect(await instanceStates('P')).toEqual({ waiting: 0, advanced: taskIds.length, broken: [] });
    await expectNoStuckTransactions();
  });

  (pgRestartCommand() ? it : it.skip)(
    'PostgreSQL restarted under load: calls answer 503 meanwhile, both nodes carry on by themselves, nothing acknowledged is lost and timers due during the restart fire once',
    async () => {
      const taskIds = await seed('X', 150, { count: 30, at: () => new Date(Date.now() + 3_600_000) });
      await startNodes([nodeEnv(), nodeEnv()]);
      const pids = nodes.map((n) => n.proc!.pid);
      const load = completeAll(taskIds, { concurrency: 8, retryDelayMs: 300 });
      while (load.live.acked.size < 40) await sleep(10);
      await query(
        `UPDATE engine_timer x SET expire_at = now() + interval '1 second' FROM engine_instance i WHERE i.id = x.instance_id AND i.business_key LIKE 'XT-%'`,
      );
      await new Promise<void>((resolve, reject) => exec(pgRestartCommand()!, (err) => (err ? reject(err) : resolve())));
      const done = await load.done;

      expect(done.attempts.some((a) => a.status === 503 && a.retryAfter)).toBe(true);
      expect(Math.max(...done.attempts.map((a) => a.ms))).toBeLessThan(8_000);
      expect(nodes.map((n) => n.proc!.exitCode)).toEqual([null, null]);
      expect(nodes.map((n) => n.proc!.pid)).toEqual(pids);
      for (const n of nodes) expect((await fetch(`${n.url}/health`)).status).toBe(200);
      expectCleanAnswers(done, taskIds);
      await expectAcknowledgedStored(done.acked);
      expect(await instanceStates('X')).toEqual({ waiting: 0, advanced: taskIds.length, broken: [] });
      await expectTimersFiredOnce('X', 30, 60_000);
      await expectNoStuckTransactions();
    },
  );

  it('Redis losing its data and its connections, then going away for seconds, under load: completions answer at once, and every timer fires exactly once', async () => {
    const TIMERS = 200;
    const taskIds = await seed('R', 150, { count: TIMERS, at: () => new Date(Date.now() + 3_600_000) });
    const proxy = await new TcpProxy(Number(new URL(db.env.REDIS_URL).port || 6379)).start();
    proxies.push(proxy);
    const env = nodeEnv({ REDIS_URL: proxy.via(db.env.REDIS_URL) });
    await startNodes([env, env]);
    const prefix = db.env.DUBAN_QUEUE_PREFIX;

    const load = completeAll(taskIds.slice(0, 100), { concurrency: 8 });
    // The timers fall due one after another over 5 s, from 4 s on; the reconciler (2 s) gives them their jobs.
    await query(
      `UPDATE engine_timer x SET expire_at = now() + interval '4 seconds' + s.n * interval '25 milliseconds'
         FROM (SELECT x.id, row_number() OVER (ORDER BY x.id) AS n FROM engine_timer x JOIN engine_instance i ON i.id = x.instance_id WHERE i.business_key LIKE 'RT-%') s
        WHERE s.id = x.id`,
    );
    const pending = async () =>
      (
        await query(
          `SELECT count(*)::int AS n FROM engine_timer x JOIN engine_instance i ON i.id = x.instance_id WHERE i.business_key LIKE 'RT-%'`,
        )
      )[0].n;
    const deadline = Date.now() + 30_000;
    while ((await pending()) === TIMERS && Date.now() < deadline) await sleep(20);

    // Redis loses everything and drops the nodes' connections while the timers are being delivered.
    const flush = async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    };
    await flush();
    const ports = new Set(proxy.upstreamPorts());
    const clients = String(await redis.client('LIST'))
      .split('\n')
      .map((line) => ({ id: /\bid=(\d+)/.exec(line)?.[1], port: Number(/\baddr=[^ ]*:(\d+)/.exec(line)?.[1]) }))
      .filter((c) => c.id && ports.has(c.port));
    expect(clients.length).toBeGreaterThan(0);
    for (const c of clients) await redis.client('KILL', 'ID', c.id!);
    const firedAtFlush = TIMERS - (await pending());

    // Then Redis is away for 4 s and comes back empty, as a restart of a Redis that keeps nothing on disk.
    await sleep(1_500);
    proxy.cut();
    const cutAt = Date.now();
    await flush();
    const loadWhileAway = completeAll(taskIds.slice(100), { concurrency: 4 });
    await sleep(2_000);
    const health = await fetch(`${nodes[0].url}/health`, { signal: AbortSignal.timeout(10_000) });
    const healthBody = (await health.json()) as { database: { ok: boolean } };
    await sleep(2_000);
    proxy.restore();
    const restoredAt = Date.now();
    const first = await load.done;
    const second = await loadWhileAway.done;
    const done: LoadResult = {
      attempts: [...first.attempts, ...second.attempts],
      final: new Map([...first.final, ...second.final]),
      acked: new Set([...first.acked, ...second.acked]),
    };

    expect(firedAtFlush).toBeLessThan(TIMERS);
    expect(health.status).toBe(503);
    expect(healthBody).toMatchObject({ database: { ok: true }, queue: { ok: false } });
    // The database holds the truth: completions go on while the queue is away, each answered at once.
    expectCleanAnswers(done, taskIds);
    expect(done.attempts.filter((a) => a.status !== 200)).toEqual([]);
    const whileAway = second.attempts.filter((a) => a.at >= cutAt && a.at < restoredAt);
    expect(whileAway.length).toBeGreaterThan(4);
    expect(Math.max(...whileAway.map((a) => a.ms))).toBeLessThan(3_500);
    await expectAcknowledgedStored(done.acked);
    expect(await instanceStates('R')).toEqual({ waiting: 0, advanced: taskIds.length, broken: [] });
    await expectTimersFiredOnce('R', TIMERS, 60_000);
    for (const n of nodes) expect(n.proc!.exitCode).toBeNull();
  });

  it('a service task whose database session is terminated under it is run again once the session is gone, with no incident', async () => {
    const app = await startTestApp(
      { DUBAN_PROCESSES_DIR: emptyDir(), DUBAN_RECONCILE_MS: '1000', DUBAN_CLOCK_CONTROLLED: 'false' },
      db,
    );
    try {
      let terminations = 2;
      const sessions: number[] = [];
      app.app.get(HandlerRegistry).register('recordNotice', async (ctx) => {
        const [{ pid }] = await ctx.tx!.query('SELECT pg_backend_pid() AS pid');
        sessions.push(pid);
        // An operator (or a failover) ends the step's session while the handler is at work.
        if (terminations-- > 0) await query('SELECT pg_terminate_backend($1)', [pid]);
        const [row] = await ctx.tx!.query('SELECT count(*)::int AS n FROM engine_instance WHERE id = $1', [
          ctx.instanceId,
        ]);
        return { seen: row.n };
      });
      await app.definitions.deploy('notice', [{ resource: 'notice.bpmn', content: noticeProcess }]);
      const inst = await app.engine.startProcess('notice', { businessKey: 'NOTICE-1' });
      const deadline = Date.now() + 30_000;
      while (
        !(await query(`SELECT 1 FROM engine_task WHERE instance_id = $1`, [inst.id])).length &&
        Date.now() < deadline
      )
        await sleep(100);

      expect(await query(`SELECT activity_id FROM engine_task WHERE instance_id = $1`, [inst.id])).toEqual([
        { activity_id: 'after' },
      ]);
      expect(await query(`SELECT id FROM engine_incident WHERE instance_id = $1`, [inst.id])).toEqual([]);
      const [row] = await query(`SELECT version, variables FROM engine_instance WHERE id = $1`, [inst.id]);
      // Started (1), then the one step that ran the service to its end (2): the two broken tries left nothing.
      expect(row).toEqual({ version: 2, variables: expect.objectContaining({ seen: 1 }) });
      expect(sessions).toHaveLength(3);
      expect(
        await query(
          `SELECT count(*)::int AS n FROM engine_history WHERE instance_id = $1 AND activity_id = 'record' AND ended_at IS NOT NULL`,
          [inst.id],
        ),
      ).toEqual([{ n: 1 }]);
    } finally {
      await app.app.close();
    }
  });
});
