import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { timerProcess } from './engine.bench.js';
import { bootApp, header } from './support.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A node's processes: its main process and, with DUBAN_WORKERS above 1, the cluster's workers below it. */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const c of children ? children.split(' ') : []) out.push(...processTree(Number(c)));
    }
  } catch {
    // Gone, or /proc without children lists: the main process alone.
  }
  return out;
}

/** Peak RSS of a node: the sum of its processes' (each process's own high-water mark). */
function peakRssMiB(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch {
      // gone
    }
  }
  return kb ? kb / 1024 : NaN;
}

/** CPU seconds a node has used (user + system, every thread of its processes), from /proc. */
function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

/**
 * `timers`: N escalation timers falling due at the same moment, delivered by K service nodes (separate
 * processes) on one PostgreSQL and Redis: time until all have fired, timers/s, each fired exactly once,
 * peak RSS per node. Needs DATABASE_URL and REDIS_URL (a database it may fill) and `npm run build`.
 */
export async function timersBench(n: number, nodes: number): Promise<void> {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL)
    throw new Error('the timers benchmark needs DATABASE_URL and REDIS_URL');
  const dir = mkdtempSync(path.join(tmpdir(), 'duban-bench-'));
  writeFileSync(path.join(dir, 'burst.bpmn'), timerProcess);
  const prefix = `duban-bench-${Date.now()}`;
  const seeder = await bootApp({ DUBAN_PROCESSES_DIR: dir, DUBAN_QUEUE_PREFIX: prefix });
  header('timers', seeder.mode, `${n} timers, ${nodes} nodes`);
  await seeder.db.query(`DELETE FROM engine_instance WHERE definition_key = 'burst'`);
  const template = await seeder.engine.startProcess('burst', { businessKey: 'T-0' });
  // Every other instance is a copy of the first one's stored state: the same as starting N, much faster.
  const t0 = performance.now();
  await seeder.db.query(
    `INSERT INTO engine_instance (id, definition_id, definition_key, business_key, status, state, variables, version, started_at)
     SELECT gen_random_uuid(), definition_id, definition_key, 'T-' || g, status, state, variables, version, started_at
     FROM engine_instance, generate_series(1, $2) g WHERE id = $1`,
    [template.id, n - 1],
  );
  await seeder.db.query(
    `INSERT INTO engine_timer (id, instance_id, activity_id, execution_id, timer_type, spec, expire_at, repeat, created_at)
     SELECT md5(i.id::text || t.execution_id), i.id, t.activity_id, t.execution_id, t.timer_type, t.spec, t.expire_at, t.repeat, t.created_at
     FROM engine_instance i CROSS JOIN (SELECT * FROM engine_timer WHERE instance_id = $1) t
     WHERE i.definition_key = 'burst' AND i.id <> $1`,
    [template.id],
  );
  // All fall due together, late enough for the nodes to start and schedule them.
  const due = Date.now() + 45_000;
  await seeder.db.query(
    `UPDATE engine_timer SET expire_at = $1 WHERE instance_id IN (SELECT id FROM engine_instance WHERE definition_key = 'burst')`,
    [new Date(due)],
  );
  await seeder.close();
  console.log(`seeded ${n} instances with a timer each in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const procs = [];
  for (let k = 0; k < nodes; k++) {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        ...process.env,
        PORT: String(port),
        DUBAN_PROCESSES_DIR: dir,
        DUBAN_QUEUE_PREFIX: prefix,
        DUBAN_LOG_LEVEL: 'warn',
        DUBAN_CLOCK_CONTROLLED: 'false',
        DUBAN_RECONCILE_MS: '600000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    procs.push({ child, port });
  }
  for (const p of procs) {
    for (let i = 0; i < 240; i++) {
      const ok = await fetch(`http://127.0.0.1:${p.port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  for (;;) {
    const { rows } = await c.query(
      `SELECT count(*)::int AS n FROM engine_timer t JOIN engine_instance i ON i.id = t.instance_id WHERE i.definition_key = 'burst'`,
    );
    if (rows[0].n === 0) break;
    if (Date.now() - due > 20 * 60_000) {
      console.log(`timers: gave up after 20 min with ${rows[0].n} pending`);
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const secs = (Date.now() - due) / 1000;
  const { rows } = await c.query(
    `SELECT version, count(*)::int AS n FROM engine_instance WHERE definition_key = 'burst' GROUP BY version ORDER BY version`,
  );
  const rss = procs.map((p) => peakRssMiB(p.child.pid!));
  const cpu = procs.map((p) => cpuSeconds(p.child.pid!));
  for (const p of procs) p.child.kill('SIGTERM');
  await c.end();
  // The queue's keys of this run (finished jobs are removed as they complete; anything left goes too).
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL);
  for (let cursor = '0'; ;) {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = nextCursor;
    if (cursor === '0') break;
  }
  await redis.quit();
  console.log(
    `timers: ${n} fired in ${secs.toFixed(1)} s after falling due — ${(n / secs).toFixed(0)} timers/s; steps per instance ${JSON.stringify(rows)} (version 2 = exactly one firing); peak RSS per node ${rss.map((r) => `${r.toFixed(0)} MiB`).join(', ')}; CPU per node ${cpu.map((c) => `${c.toFixed(0)} s`).join(', ')} (of ${secs.toFixed(0)} s, from start)`,
  );
}
