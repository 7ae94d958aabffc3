import { approval } from './engine.bench.js';
import { bootApp, header, ms, percentiles } from './support.js';

/** `http`: C concurrent clients completing N tasks through the API, as the units' browsers would. */
export async function httpBench(clients: number, n: number): Promise<void> {
  const b = await bootApp({ DUBAN_PROCESSES_DIR: '/nonexistent' });
  header('http', b.mode, `${clients} clients, ${n} completions`);
  await b.definitions.deploy('bench', [{ resource: 'bench.bpmn', content: approval }]);
  const total = n + Math.min(100, Math.floor(n / 5));
  for (let i = 0; i < total; i++) await b.engine.startProcess('bench', { businessKey: `H-${i}` });
  const ids: string[] = (await b.db.query(`SELECT id FROM engine_task WHERE definition_key = 'bench' ORDER BY created_at`)).map((r: any) => r.id);
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
          const res = await fetch(`${b.url}/api/tasks/${id}/complete`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{"note":"ok"}' }).catch((e) => ({ status: `network ${e.code ?? e.message}` }) as any);
          latencies.push(performance.now() - s);
          if (res.status !== 200) errors[String(res.status)] = (errors[String(res.status)] ?? 0) + 1;
          await res.arrayBuffer?.();
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const p = percentiles(latencies);
    const rate = latencies.length / secs;
    console.log(`http, ${c} client${c > 1 ? 's' : ''}: ${latencies.length} completions in ${secs.toFixed(1)} s (${rate.toFixed(1)}/s); p50 ${ms(p.p50)}, p95 ${ms(p.p95)}, p99 ${ms(p.p99)}, max ${ms(p.max)}; errors ${JSON.stringify(errors)}`);
    return rate;
  };
  // One client first: the latency of a completion on its own, with nothing queued before it.
  await phase(1, Math.min(100, Math.floor(n / 5)));
  const rate = await phase(clients, n);
  // Little's law: with C clients always waiting on an answer, the mean latency is C / throughput.
  console.log(`http: ${clients} clients at ${rate.toFixed(1)} completions/s wait ${((clients / rate) * 1000).toFixed(0)} ms on average by queueing alone (C / throughput)`);
  await b.close();
}
