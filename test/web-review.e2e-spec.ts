import { ReviewRepository } from '../src/web/review.repository.js';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from './support/test-app.js';
import { seedUnits } from './support/xlsx.js';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const N = 10_000;
const UNITS = ['HBJ', 'SLJ', 'CGJ', 'NYJ'];
const CATEGORIES = ['大气污染', '水污染', '固体废物'];
// 申请销号 is a step of signoff.bpmn (called by 验收销号): the fifth step here is the rework after a refused sign-off.
const STEPS = ['sign', 'plan', 'review', 'rectify', 'rework'];

/** What the SQL below generates, problem by problem, to count the expectations in plain code. */
interface Gen {
  i: number;
  lead: string;
  category: string;
  units: string[];
  step: string;
  due: number | null;
  signHours: number | null;
  planDays: number | null;
}
function generated(i: number): Gen {
  const lead = UNITS[i % 4];
  const s = i % 5;
  const d = (i % 20) - 10;
  return {
    i,
    lead,
    category: CATEGORIES[i % 3],
    units: i % 2 === 0 ? [lead, 'JLJD'] : [lead],
    step: STEPS[s],
    due: s === 2 ? null : NOW + d * DAY + HOUR,
    signHours: s >= 1 ? (i % 4) + 1 : null,
    planDays: s >= 2 ? (i % 3) + 1 : null,
  };
}

function expected(filter: (g: Gen) => boolean) {
  const all = Array.from({ length: N }, (_, k) => generated(k + 1)).filter(filter);
  const steps: Record<string, { count: number; overdue: number; nearDue: number }> = {};
  const add = (id: string, due: number | null) => {
    const s = (steps[id] ??= { count: 0, overdue: 0, nearDue: 0 });
    s.count++;
    if (due !== null && due < NOW) s.overdue++;
    if (due !== null && due >= NOW && due <= NOW + 3 * DAY) s.nearDue++;
  };
  for (const g of all) {
    add(g.step, g.due);
    if (g.step === 'rectify') add('coRectify', g.due);
  }
  const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  const sign = all.filter((g) => g.signHours !== null).map((g) => g.signHours! * HOUR);
  const plan = all.filter((g) => g.planDays !== null).map((g) => g.planDays! * DAY);
  return { steps, avgSign: avg(sign), avgPlan: avg(plan), n: all.length };
}

describe('diagram review (挂图作战) over 10,000 problems', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(NOW);
    const [def] = (
      await t.definitions.deploy('rectification', [
        { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
      ])
    ).resources;
    await seedUnits(t);
    const started = Date.now();
    const now = new Date(NOW).toISOString();
    // Problems, one instance each, its open tasks and the history of the steps it has passed, all by SQL.
    await t.db.query(
      `INSERT INTO problem (id, code, title, category, lead_unit, responsible_units, responsible_person, deadline, tier, status, light, process_instance_id, created_at)
       SELECT gen_random_uuid(), 'RV-' || lpad(i::text, 5, '0'), '问题 ' || i, ($2::text[])[i % 3 + 1], ($1::text[])[i % 4 + 1],
              CASE WHEN i % 2 = 0 THEN ARRAY[($1::text[])[i % 4 + 1], 'JLJD'] ELSE ARRAY[($1::text[])[i % 4 + 1]] END,
              '张三', DATE '2026-12-31', 'medium', 'assigned', 'green', gen_random_uuid(), $3::timestamptz - interval '30 days'
       FROM generate_series(1, ${N}) AS i`,
      [UNITS, CATEGORIES, now],
    );
    await t.db.query(
      `INSERT INTO engine_instance (id, definition_id, definition_key, business_key, status, started_at)
       SELECT process_instance_id, $1, 'rectification', code, 'active', created_at FROM problem WHERE code LIKE 'RV-%'`,
      [def.definition.id],
    );
    const gen = `SELECT p.process_instance_id AS inst, substr(p.code, 4)::int AS i FROM problem p WHERE p.code LIKE 'RV-%'`;
    const due = `CASE WHEN g.i % 5 = 2 THEN NULL ELSE $2::timestamptz + ((g.i % 20) - 10) * interval '1 day' + interval '1 hour' END`;
    await t.db.query(
      `INSERT INTO engine_task (id, instance_id, definition_id, definition_key, business_key, activity_id, execution_id, candidate_groups, due_at, created_at)
       SELECT gen_random_uuid(), g.inst, $1, 'rectification', 'RV-' || lpad(g.i::text, 5, '0'), ($3::text[])[g.i % 5 + 1], 'x-' || g.i, ARRAY['HBJ'], ${due}, $2
       FROM (${gen}) g
       UNION ALL
       SELECT gen_random_uuid(), g.inst, $1, 'rectification', 'RV-' || lpad(g.i::text, 5, '0'), 'coRectify', 'co-' || k || '-' || g.i, ARRAY['JLJD'],
              ${due} + k * interval '1 day', $2
       FROM (${gen}) g CROSS JOIN generate_series(0, 1) AS k WHERE g.i % 5 = 3`,
      [def.definition.id, now, STEPS],
    );
    await t.db.query(
      `INSERT INTO engine_history (instance_id, definition_id, activity_id, activity_type, execution_id, started_at, ended_at)
       SELECT g.inst, $1, 'sign', 'bpmn:UserTask', 'sign-' || g.i, $2::timestamptz - interval '30 days', $2::timestamptz - interval '30 days' + ((g.i % 4) + 1) * interval '1 hour'
       FROM (${gen}) g WHERE g.i % 5 >= 1
       UNION ALL
       SELECT g.inst, $1, 'plan', 'bpmn:UserTask', 'plan-' || g.i, $2::timestamptz - interval '20 days', $2::timestamptz - interval '20 days' + ((g.i % 3) + 1) * interval '1 day'
       FROM (${gen}) g WHERE g.i % 5 >= 2
       UNION ALL
       SELECT g.inst, $1, ($3::text[])[g.i % 5 + 1], 'bpmn:UserTask', 'now-' || g.i, $2::timestamptz - interval '5 days', NULL FROM (${gen}) g`,
      [def.definition.id, now, STEPS],
    );
    await t.db.query(`ANALYZE problem; ANALYZE engine_task; ANALYZE engine_history; ANALYZE engine_instance`);
    console.log(`generated ${N} problems with tasks and history by SQL in ${Date.now() - started} ms`);
  }, 300_000);
  afterAll(() => t.close());

  const byId = (steps: any[]) => Object.fromEntries(steps.map((s) => [s.activityId, s]));

  async function timed(url: string, query: Record<string, string> = {}) {
    const started = performance.now();
    const res = await t.http.get(url).query(query).expect(200);
    return { body: res.body, ms: Math.round(performance.now() - started) };
  }

  it('counts the problems at every step, overdue and due within 3 days, exactly; averages the time spent', async () => {
    await timed('/api/web/review/rectification'); // warm-up
    const { body, ms } = await timed('/api/web/review/rectification');
    console.log(`review aggregate, 10,000 problems, no filter: ${ms} ms over HTTP`);
    expect(body.xml).toContain('bpmn:definitions');
    const want = expected(() => true);
    const steps = byId(body.steps);
    for (const [id, s] of Object.entries(want.steps)) expect(steps[id]).toMatchObject({ activityId: id, ...s });
    expect(steps.coRectify.count).toBe(N / 5);
    expect(Object.values(want.steps).reduce((a, s) => a + s.count, 0) - steps.coRectify.count).toBe(N);
    expect(steps.sign.avgMillis).toBe(want.avgSign);
    expect(steps.plan.avgMillis).toBe(want.avgPlan);
    expect(steps.review.overdue + steps.review.nearDue).toBe(0);
    // The time per step is the rollup plus the deltas not folded yet: the same figures before and after a fold,
    // and after a history row ends, is cancelled, or goes with its instance.
    const deltas = async () => (await t.db.query(`SELECT count(*)::int AS n FROM engine_activity_time_delta`))[0].n;
    // A read may be folding in the background already (it holds the fold's lock until it commits).
    for (let i = 0; i < 100 && (await deltas()) > 0; i++) {
      await t.app.get(ReviewRepository).foldActivityTime();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await deltas()).toBe(0);
    const folded = byId((await timed('/api/web/review/rectification')).body.steps);
    expect([folded.sign.avgMillis, folded.plan.avgMillis, folded.sign.ended]).toEqual([
      want.avgSign,
      want.avgPlan,
      steps.sign.ended,
    ]);
    const [row] = await t.db.query(
      `SELECT id, instance_id, started_at FROM engine_history WHERE activity_id = 'sign' AND ended_at IS NOT NULL LIMIT 1`,
    );
    await t.db.query(`UPDATE engine_history SET canceled = true WHERE id = $1`, [row.id]);
    expect(byId((await timed('/api/web/review/rectification')).body.steps).sign.ended).toBe(steps.sign.ended - 1);
    await t.db.query(`UPDATE engine_history SET canceled = false WHERE id = $1`, [row.id]);
    expect(byId((await timed('/api/web/review/rectification')).body.steps).sign).toMatchObject({
      ended: steps.sign.ended,
      avgMillis: want.avgSign,
    });
  });

  it('filters by unit (lead or responsible) and category', async () => {
    for (const [query, f] of [
      [{ unit: 'SLJ' }, (g: Gen) => g.units.includes('SLJ')],
      [{ unit: 'JLJD', category: '水污染' }, (g: Gen) => g.units.includes('JLJD') && g.category === '水污染'],
    ] as const) {
      const { body, ms } = await timed('/api/web/review/rectification', query);
      console.log(`review aggregate, filter ${JSON.stringify(query)}: ${ms} ms over HTTP`);
      const want = expected(f);
      const steps = byId(body.steps);
      for (const [id, s] of Object.entries(want.steps)) expect(steps[id]).toMatchObject(s);
      expect(steps.sign.avgMillis).toBe(want.avgSign);
      expect(steps.plan.avgMillis).toBe(want.avgPlan);
    }
  });

  it('lists the problems of a step, earliest due first, paged', async () => {
    const { body, ms } = await timed('/api/web/review/rectification/steps/rectify/problems', {
      unit: 'CGJ',
      pageSize: '50',
      page: '2',
    });
    console.log(`step problems page: ${ms} ms over HTTP`);
    const want = Array.from({ length: N }, (_, k) => generated(k + 1)).filter(
      (g) => g.step === 'rectify' && g.units.includes('CGJ'),
    );
    expect(body.total).toBe(want.length);
    expect(body.items).toHaveLength(50);
    const dues = body.items.map((p: any) => Date.parse(p.due));
    expect([...dues].sort((a, b) => a - b)).toEqual(dues);
    expect(body.items[0]).toMatchObject({
      code: expect.stringMatching(/^RV-/),
      leadUnit: 'CGJ',
      leadUnitName: '市城管局',
      light: 'green',
      problemId: expect.any(String),
    });
  });

  it('refuses bad input with 422 and unknown processes with 404; units may not read it', async () => {
    await t.http.get('/api/web/review/rectification').query({ unit: "x' OR 1=1" }).expect(422);
    await t.http.get('/api/web/review/rectification').query({ nope: '1' }).expect(422);
    await t.http.get('/api/web/review/rectification/steps/rectify/problems').query({ pageSize: '1000' }).expect(422);
    await t.http.get('/api/web/review/rectification/steps/1bad/problems').expect(422);
    expect((await t.http.get('/api/web/review/9-bad').expect(422)).body.fields).toEqual([
      { field: 'processKey', message: expect.any(String) },
    ]);
    await t.http.get('/api/web/review/unknown-process').expect(404);
    await (await t.as('leader')).get('/api/web/review/rectification').expect(200);
    await (await t.as('unit', 'HBJ')).get('/api/web/review/rectification').expect(403);
    await t.anon.get('/api/web/review/rectification').expect(401);
    const list = (await t.http.get('/api/web/review').expect(200)).body;
    expect(list).toEqual([expect.objectContaining({ key: 'rectification', definitionId: expect.any(String) })]);
  });
});
