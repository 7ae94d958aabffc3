import { bootApp, header, ms, percentiles } from './support.js';

/**
 * `inbox`: with T task rows and P open problems (inserted by SQL), the p50/p95 of one unit's inbox page and of
 * the review page's per-step aggregates, both through the API.
 */
export async function inboxBench(tasks: number, problems: number, requests: number): Promise<void> {
  const b = await bootApp();
  header('inbox', b.mode, `${tasks} tasks, ${problems} problems`);
  const def = await b.definitions.latest('rectification');
  const steps = ['sign', 'plan', 'review-plan', 'rectify', 'apply', 'verify'];
  const units = 50;
  const t0 = performance.now();
  await b.db.query(`INSERT INTO org_unit (code, name, created_at) VALUES ('CITY', '市人民政府', now())`);
  await b.db.query(`INSERT INTO org_unit (code, name, parent_code, created_at) SELECT 'U' || lpad(g::text, 2, '0'), '单位' || g, 'CITY', now() FROM generate_series(1, ${units}) g`);
  await b.db.query(
    `INSERT INTO problem (id, code, title, category, lead_unit, responsible_units, deadline, tier, status, light, created_at)
     SELECT gen_random_uuid(), 'P-' || g, '问题' || g, (ARRAY['大气','水','产业'])[1 + g % 3], 'U' || lpad((1 + g % ${units})::text, 2, '0'),
            ARRAY['U' || lpad((1 + g % ${units})::text, 2, '0')], date '2026-06-30' + (g % 200), 'medium', 'rectifying', 'green', now()
     FROM generate_series(1, ${problems}) g`,
  );
  await b.db.query(
    `INSERT INTO engine_instance (id, definition_id, definition_key, business_key, status, started_at)
     SELECT gen_random_uuid(), $1, 'rectification', code, 'active', now() FROM problem`,
    [def.id],
  );
  const perInstance = Math.max(1, Math.floor(tasks / problems));
  await b.db.query(
    `INSERT INTO engine_task (id, instance_id, definition_id, definition_key, business_key, activity_id, execution_id, name, candidate_groups, due_at, created_at)
     SELECT gen_random_uuid(), i.id, i.definition_id, 'rectification', i.business_key, ($2::text[])[1 + (k % ${steps.length})], 'x_' || k, '步骤',
            ARRAY[p.lead_unit], now() + ((k % 60) - 10) * interval '1 day', now()
     FROM engine_instance i JOIN problem p ON p.code = i.business_key, generate_series(1, $1) k`,
    [perInstance, steps],
  );
  await b.db.query(`ANALYZE engine_task; ANALYZE problem; ANALYZE engine_instance`);
  const [{ n }] = await b.db.query(`SELECT count(*)::int AS n FROM engine_task`);
  console.log(`seeded ${n} task rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const measure = async (path: string, auth: string, count: number) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = performance.now();
      const res = await fetch(`${b.url}${path}`, { headers: { authorization: auth } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      samples.push(performance.now() - s);
    }
    return percentiles(samples.slice(Math.min(5, count - 1)));
  };
  const unitAuth = b.bearer('unit', 'U07');
  const inbox = await measure('/api/inbox?pageSize=50', unitAuth, requests);
  const overdue = await measure('/api/inbox?overdue=true&pageSize=50', unitAuth, requests);
  const review = await measure('/api/web/review/rectification', b.bearer('leader'), Math.max(20, Math.floor(requests / 4)));
  console.log(`inbox page (a unit with ${Math.round(n / units)} tasks): p50 ${ms(inbox.p50)}, p95 ${ms(inbox.p95)}; overdue filter p50 ${ms(overdue.p50)}, p95 ${ms(overdue.p95)}`);
  console.log(`review aggregates: p50 ${ms(review.p50)}, p95 ${ms(review.p95)}`);
  await b.close();
}
