import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { approval } from './engine.bench.js';
import { bootApp, header, ms, percentiles } from './support.js';

/**
 * `http`: open loop. Completions are offered at fixed rates whatever the answers (a browser does not wait for
 * another user's answer), against the service running as its own node processes — one worker, then two — while
 * this process is only the client. Phases alternate between the worker counts at each rate, so load on the
 * machine from elsewhere falls on both alike. Each rate gives p50/p95/p99 from the moment a completion was due
 * to be sent (a late send counts against the service), and the highest rate held at p95 ≤ 100 ms.
 */
export async function httpBench(rates: number[], seconds: number, workerCounts: number[]): Promise<void> {
  const server = Boolean(process.env.DATABASE_URL);
  const counts = server ? workerCounts : [1];
  const dataDir = server ? null : mkdtempSync(path.join(tmpdir(), 'duban-bench-'));
  const b = await bootApp({ DUBAN_PROCESSES_DIR: '/nonexistent', ...(dataDir ? { DUBAN_DATA_DIR: dataDir } : {}) });
  header(
    'http',
    b.mode,
    `open loop at ${rates.join(', ')} completions/s for ${seconds} s each; workers ${counts.join(' vs ')}${server ? '' : ' (the embedded database runs one process)'}`,
  );
  await b.definitions.deploy('bench', [{ resource: 'bench.bpmn', content: approval }]);
  const perSet = rates.reduce((a, r) => a + Math.ceil(r * seconds), 0) + 50;
  const t0 = performance.now();
  let started = 0;
  await Promise.all(
    Array.from({ length: server ? 8 : 1 }, async () => {
      while (started < perSet * counts.length) {
        const i = started++;
        await b.engine.startProcess('bench', { businessKey: `O-${i}` });
      }
    }),
  );
  const ids: string[] = (
    await b.db.query(`SELECT id FROM engine_task WHERE definition_key = 'bench' ORDER BY business_key`)
  ).map((r: { id: string }) => r.id);
  const auth = await b.bearer('office');
  await b.close();
  console.log(`seeded ${ids.length} open tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const nodes: { workers: number; url: string; child: ChildProcess; tasks: string[] }[] = [];
  for (const [k, workers] of counts.entries()) {
    const port = await freePort();
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      DUBAN_WORKERS: String(workers),
      DUBAN_PROCESSES_DIR: '/nonexistent',
      DUBAN_LOG_LEVEL: 'error',
      DUBAN_CLOCK_CONTROLLED: 'false',
      DUBAN_DEMO: 'false',
    };
    if (dataDir) env.DUBAN_DATA_DIR = dataDir;
    const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    nodes.push({ workers, url: `http://127.0.0.1:${port}`, child, tasks: ids.slice(k * perSet, (k + 1) * perSet) });
    await healthy(`http://127.0.0.1:${port}`);
  }
  const results = new Map<number, { rate: number; p50: number; p95: number; p99: number; errors: number }[]>();
  try {
    // A short warm-up per node (JIT, pools), not counted.
    for (const n of nodes) await offer(n, 10, 2, auth);
    for (const rate of rates) {
      for (const n of nodes) {
        const r = await offer(n, rate, seconds, auth);
        console.log(
          `http, ${n.workers} worker${n.workers > 1 ? 's' : ''}, ${rate}/s offered: ${r.sent} sent, ${r.done} answered in ${r.secs.toFixed(1)} s; p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}; errors ${JSON.stringify(r.errors)}`,
        );
        const list = results.get(n.workers) ?? [];
        list.push({
          rate,
          p50: r.p50,
          p95: r.p95,
          p99: r.p99,
          errors: Object.values(r.errors).reduce((a, x) => a + x, 0),
        });
        results.set(n.workers, list);
        await new Promise((res) => setTimeout(res, 2000));
      }
    }
  } finally {
    for (const n of nodes) n.child.kill('SIGTERM');
    await Promise.all(
      nodes.map((n) => new Promise((res) => (n.child.exitCode !== null ? res(null) : n.child.once('exit', res)))),
    );
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  for (const [workers, list] of results) {
    const held = list.filter((r) => r.p95 <= 100 && r.errors === 0).map((r) => r.rate);
    console.log(
      `http: ${workers} worker${workers > 1 ? 's' : ''} held p95 ≤ 100 ms up to ${held.length ? `${Math.max(...held)}/s` : 'none of the rates'} (of ${list.map((r) => r.rate).join(', ')}/s)`,
    );
  }
}

/** `rate` completions a second for `seconds`, each sent when it is due, not when an earlier one is answered. */
async function offer(node: { url: string; tasks: string[] }, rate: number, seconds: number, auth: string) {
  const count = Math.ceil(rate * seconds);
  const tasks = node.tasks.splice(0, count);
  if (tasks.length < count) throw new Error(`only ${tasks.length} tasks left for ${count} completions`);
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      fetch(`${node.url}/api/tasks/${tasks[i]}/complete`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: '{"note":"ok"}',
        signal: AbortSignal.timeout(60_000),
      })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status !== 200) errors[String(res.status)] = (errors[String(res.status)] ?? 0) + 1;
        })
        .catch((e: Error & { cause?: { code?: string } }) => {
          const key = `network ${e.cause?.code ?? e.name}`;
          errors[key] = (errors[key] ?? 0) + 1;
        })
        .finally(() => latencies.push(performance.now() - due)),
    );
  }
  await Promise.all(inFlight);
  const p = percentiles(latencies);
  return { sent: count, done: latencies.length, secs: (performance.now() - t0) / 1000, errors, ...p };
}

async function healthy(url: string): Promise<void> {
  for (let i = 0; i < 480; i++) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become healthy`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** `http-closed`: C concurrent clients completing N tasks through the API, each waiting on its answer. */
export async function httpClosedBench(clients: number, n: number): Promise<void> {
  const b = await bootApp({ DUBAN_PROCESSES_DIR: '/nonexistent' });
  header('http', b.mode, `${clients} clients, ${n} completions`);
  await b.definitions.deploy('bench', [{ resource: 'bench.bpmn', content: approval }]);
  const total = n + Math.min(100, Math.floor(n / 5));
  for (let i = 0; i < total; i++) await b.engine.startProcess('bench', { businessKey: `H-${i}` });
  const ids: string[] = (
    await b.db.query(`SELECT id FROM engine_task WHERE definition_key = 'bench' ORDER BY created_at`)
  ).map((r: any) => r.id);
  const auth = await b.bearer('office');
  let next = 0;
  /** `c` clients completing `count` of the tasks, each as soon as its previous answer came back. */
  const phase = async (c: number, count: number) => {
    const latencies: number[] = [];
    const errors: Record<string, number> = {};
    const last = Math.min(ids.length, next + count);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: c }, async () => {
        for (;;) {
          if (next >= last) return;
          const id = ids[next++];
          const s = performance.now();
          const res = await fetch(`${b.url}/api/tasks/${id}/complete`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: '{"note":"ok"}',
          }).catch((e) => ({ status: `network ${e.code ?? e.message}` }) as any);
          latencies.push(performance.now() - s);
          if (res.status !== 200) errors[String(res.status)] = (errors[String(res.status)] ?? 0) + 1;
          await res.arrayBuffer?.();
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const p = percentiles(latencies);
    const rate = latencies.length / secs;
    console.log(
      `http, ${c} client${c > 1 ? 's' : ''}: ${latencies.length} completions in ${secs.toFixed(1)} s (${rate.toFixed(1)}/s); p50 ${ms(p.p50)}, p95 ${ms(p.p95)}, p99 ${ms(p.p99)}, max ${ms(p.max)}; errors ${JSON.stringify(errors)}`,
    );
    return rate;
  };
  // One client first: the latency of a completion on its own, with nothing queued before it.
  await phase(1, Math.min(100, Math.floor(n / 5)));
  const rate = await phase(clients, n);
  // Little's law: with C clients always waiting on an answer, the mean latency is C / throughput.
  console.log(
    `http: ${clients} clients at ${rate.toFixed(1)} completions/s wait ${((clients / rate) * 1000).toFixed(0)} ms on average by queueing alone (C / throughput)`,
  );
  await b.close();
}
