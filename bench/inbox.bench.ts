import { ReviewRepository } from '../src/web/review.repository.js';
import { bootApp, header, ms, percentiles } from './support.js';

/**
 * `inbox`: T task rows for P open problems (inserted by SQL), as the service keeps them: each problem's open
 * tasks (`--open` per problem, default 2: the lead unit's and a co-unit's) in engine_task, every other task
 * row ended, in engine_history with its times. Then the p50/p95 of one unit's inbox page and of the review
 * page's per-step aggregates (open tasks per step, average time per step over the history), through the API.
 */
export async function inboxBench(tasks: number, problems: number, requests: number, openPerProblem = 2): Promise<void> {
  const b = await bootApp();
  header('inbox', b.mode, `${tasks} task rows, ${problems} open problems, ${openPerProblem} open tasks each`);
  const def = await b.definitions.latest('rectification');
  const steps = ['sign', 'plan', 'review-plan', 'rectify', 'apply', 'verify'];
  const units = 50;
  const unit = (expr: string) => `'U' || lpad((1 + (${expr}) % ${units})::text, 2, '0')`;
  const t0 = performance.now();
  await b.db.query(`INSERT INTO org_unit (code, name, created_at) VALUES ('CITY', '市人民政府', now())`);
  await b.db.query(
    `INSERT INTO org_unit (code, name, parent_code, created_at) SELECT ${unit('g - 1')}, '单位' || g, 'CITY', now() FROM generate_series(1, ${units}) g`,
  );
  await b.db.query(
    `INSERT INTO problem (id, code, title, category, lead_unit, responsible_units, deadline, tier, status, light, created_at)
     SELECT gen_random_uuid(), 'P-' || g, '问题' || g, (ARRAY['大气','水','产业'])[1 + g % 3], ${unit('g')},
            ARRAY[${unit('g')}, ${unit('g + 7')}], date '2026-06-30' + (g % 200), 'medium', 'rectifying', 'green', now()
     FROM generate_series(1, ${problems}) g`,
  );
  await b.db.query(
    `INSERT INTO engine_instance (id, definition_id, definition_key, business_key, status, started_at)
     SELECT gen_random_uuid(), $1, 'rectification', code, 'active', now() - interval '200 days' FROM problem`,
    [def.id],
  );
  // Open: the problem's units in turn, at one step per problem.
  await b.db.query(
    `INSERT INTO engine_task (id, instance_id, definition_id, definition_key, business_key, activity_id, execution_id, name, candidate_groups, due_at, created_at)
     SELECT gen_random_uuid(), i.id, i.definition_id, 'rectification', i.business_key, ($2::text[])[1 + (abs(hashtext(i.business_key)) % ${steps.length})], 'open_' || k, '步骤',
            ARRAY[p.responsible_units[1 + (k - 1) % 2]], now() + ((abs(hashtext(i.business_key || k)) % 60) - 10) * interval '1 day', now()
     FROM engine_instance i JOIN problem p ON p.code = i.business_key, generate_series(1, $1) k`,
    [openPerProblem, steps],
  );
  // Ended: the rest of the task rows, spread over the problems and steps, each with how long it took.
  const ended = Math.max(0, tasks - problems * openPerProblem);
  const perInstance = Math.ceil(ended / problems);
  await b.db.query(
    `INSERT INTO engine_history (instance_id, definition_id, activity_id, activity_name, activity_type, execution_id, task_id, started_at, ended_at)
     SELECT i.id, i.definition_id, ($2::text[])[1 + k % ${steps.length}], '步骤', 'bpmn:UserTask', 'done_' || k, gen_random_uuid(),
            i.started_at + k * interval '1 hour', i.started_at + k * interval '1 hour' + ((k * 7919) % 240) * interval '1 hour'
     FROM engine_instance i, generate_series(1, $1) k`,
    [perInstance, steps],
  );
  // The service folds the time per step as it goes (every couple of thousand ended rows); here once, after the bulk insert.
  await b.app.get(ReviewRepository).foldActivityTime();
  await b.db.query(`ANALYZE engine_task; ANALYZE engine_history; ANALYZE problem; ANALYZE engine_instance`);
  const [{ open }] = await b.db.query(`SELECT count(*)::int AS open FROM engine_task`);
  const [{ done }] = await b.db.query(`SELECT count(*)::int AS done FROM engine_history WHERE task_id IS NOT NULL`);
  console.log(
    `seeded ${open + done} task rows (${open} open, ${done} ended) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const n = open;

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
  const unitAuth = await b.bearer('unit', 'U07');
  const inbox = await measure('/api/inbox?pageSize=50', unitAuth, requests);
  const overdue = await measure('/api/inbox?overdue=true&pageSize=50', unitAuth, requests);
  const leaderAuth = await b.bearer('leader');
  const review = await measure('/api/web/review/rectification', leaderAuth, Math.max(20, Math.floor(requests / 4)));
  console.log(
    `inbox page (a unit with ${Math.round(n / units)} open tasks): p50 ${ms(inbox.p50)}, p95 ${ms(inbox.p95)}; overdue filter p50 ${ms(overdue.p50)}, p95 ${ms(overdue.p95)}`,
  );
  console.log(`review aggregates: p50 ${ms(review.p50)}, p95 ${ms(review.p95)}`);
  await b.close();
}
