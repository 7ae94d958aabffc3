import { approval } from './engine.bench.js';
import { bootApp, header, ms, percentiles } from './support.js';

/** `http`: C concurrent clients completing N tasks through the API, as the units' browsers would. */
export async function httpBench(clients: number, n: number): Promise<void> {
  const b = await bootApp({ DUBAN_PROCESSES_DIR: '/nonexistent' });
  header('http', b.mode, `${clients} clients, ${n} completions`);
  await b.definitions.deploy('bench', [{ resource: 'bench.bpmn', content: approval }]);
  for (let i = 0; i < n; i++) await b.engine.startProcess('bench', { businessKey: `H-${i}` });
  const ids: string[] = (await b.db.query(`SELECT id FROM engine_task WHERE definition_key = 'bench' ORDER BY created_at`)).map((r: any) => r.id);
  const auth = b.bearer('office');
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const id = ids[next++];
        if (!id) return;
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
  console.log(`http: ${latencies.length} completions in ${secs.toFixed(1)} s (${(latencies.length / secs).toFixed(1)}/s); p50 ${ms(p.p50)}, p95 ${ms(p.p95)}, p99 ${ms(p.p99)}, max ${ms(p.max)}; errors ${JSON.stringify(errors)}`);
  await b.close();
}
