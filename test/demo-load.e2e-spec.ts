import { DemoLoader } from '../src/demo/demo-loader.js';
import { DEMO_PROBLEMS } from '../src/demo/demo-problems.js';
import { DEMO_UNITS } from '../src/demo/demo-org.js';
import { cst, deploy } from './support/reports.js';
import { deploySupervision } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const problems = (
  t: TestApp,
): Promise<
  {
    code: string;
    status: string;
    deadline: string;
    created_at: Date;
    signed_off_at: Date | null;
    process_instance_id: string | null;
  }[]
> =>
  t.db.query(
    `SELECT code, status, deadline::text AS deadline, created_at, signed_off_at, process_instance_id FROM problem ORDER BY code`,
  );

describe("demo data at the plan's date (what the simulation starts from)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(cst('2017-08-03T09:00:00'));
    await deploy(t, 'rectification');
  });
  afterAll(() => t.close());

  it("loads the seed's units, a person each, its problems with their deadlines, each with its process at 签收", async () => {
    const r = await t.app.get(DemoLoader).load();
    expect(r).toEqual({
      units: DEMO_UNITS.length,
      problems: DEMO_PROBLEMS.length,
      closed: 0,
      started: DEMO_PROBLEMS.length,
      walked: 0,
    });
    expect(DEMO_PROBLEMS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(DEMO_PROBLEMS.map((p) => p.category))).toEqual(new Set(['大气', '水', '产业', '执法', '机制']));
    const units = (await t.http.get('/api/units').expect(200)).body;
    expect(units.map((u: any) => u.name)).toEqual(
      expect.arrayContaining(['天门市', '市环保局', '市公安局', '市水务局', '竟陵街道']),
    );
    expect((await t.http.get('/api/persons?unit=HBJ').expect(200)).body).toEqual([
      expect.objectContaining({ name: '陈志刚', role: 'handler' }),
    ]);
    const rows = await problems(t);
    expect(
      rows.every(
        (p) =>
          p.status === 'assigned' && p.process_instance_id && p.created_at.toISOString() === '2017-08-03T01:00:00.000Z',
      ),
    ).toBe(true);
    const byCode = new Map(rows.map((p) => [p.code, p]));
    expect(byCode.get('TM2017-01')!.deadline).toBe('2017-06-30'); // 加油站、储油库、油罐车油气回收: 6月底前
    expect(byCode.get('TM2017-02')!.deadline).toBe('2017-10-31'); // 黄标车: 10月底前
    expect(byCode.get('TM2017-08')!.deadline).toBe('2017-12-31'); // 市镇两级河湖长制: 2017年底前
    expect(byCode.get('TM2017-09')!.deadline).toBe('2020-12-31'); // 乡镇饮用水水源保护区: 2020年底前
    const p = (await t.http.get('/api/problems/TM2017-02').expect(200)).body;
    expect(p).toMatchObject({
      leadUnit: 'GAJ',
      responsibleUnits: ['GAJ', 'HBJ', 'JTJ'],
      responsiblePerson: '孙永红',
      category: '大气',
    });
    expect(p.tasks).toEqual([expect.objectContaining({ activityId: 'sign', candidateGroups: ['GAJ'] })]);
  });

  it("loads the plan's indicator targets with the values of the months before", async () => {
    const list = (await t.http.get('/api/indicators').expect(200)).body;
    const byCode = new Map(list.map((i: any) => [i.code, i]));
    expect(byCode.get('PM10')).toMatchObject({ unit: 'μg/m³', direction: '≤', targets: [{ year: 2017, target: 83 }] });
    expect(byCode.get('PM25')).toMatchObject({
      targets: [
        { year: 2017, target: 58 },
        { year: 2020, target: 53 },
      ],
    });
    expect(byCode.get('GOOD_DAYS')).toMatchObject({
      direction: '≥',
      targets: [
        { year: 2017, target: 73.4 },
        { year: 2020, target: 81 },
      ],
    });
    expect(byCode.get('WATER_GOOD')).toMatchObject({
      targets: [
        { year: 2017, target: 100 },
        { year: 2020, target: 100 },
      ],
    });
    const pm10: any = byCode.get('PM10');
    expect(pm10.values.map((v: any) => v.month)).toEqual([
      '2017-01',
      '2017-02',
      '2017-03',
      '2017-04',
      '2017-05',
      '2017-06',
      '2017-07',
    ]);
    expect(pm10.years).toEqual([expect.objectContaining({ year: 2017, months: 7 })]);
  });

  it('takes monthly values from the office, against the target of their year', async () => {
    await t.http.put('/api/indicators/PM25/values/2017-09').send({ value: 40 }).expect(422); // not yet
    t.clock.pin(cst('2017-10-02T09:00:00'));
    expect(
      (await t.http.put('/api/indicators/PM25/values/2017-09').send({ value: 40 }).expect(200)).body,
    ).toMatchObject({ target: 58, met: true, unit: 'μg/m³' });
    expect(
      (await t.http.put('/api/indicators/GOOD_DAYS/values/2017-09').send({ value: 70.2 }).expect(200)).body,
    ).toMatchObject({ target: 73.4, met: false });
    await t.http.put('/api/indicators/GOOD_DAYS/values/2017-09').send({ value: 170 }).expect(422);
    await t.http.put('/api/indicators/NOPE/values/2017-09').send({ value: 1 }).expect(404);
    await t.http.put('/api/indicators/PM25/values/2017-9').send({ value: 1 }).expect(422);
    await t.http.put('/api/indicators/PM25/values/2017-09').send({ value: 'x' }).expect(422);
    await (await t.as('unit', 'HBJ')).put('/api/indicators/PM25/values/2017-09').send({ value: 1 }).expect(403);
    await (await t.as('leader')).get('/api/indicators').expect(200);
    const pm25 = (await t.http.get('/api/indicators?year=2017').expect(200)).body.find((i: any) => i.code === 'PM25');
    expect(pm25.values.at(-1)).toEqual({ month: '2017-09', value: 40, target: 58, met: true });
  });
});

describe("demo data on today's clock", () => {
  let t: TestApp;
  beforeAll(async () => {
    // DUBAN_DEMO=true loads it at start, in the background, once the process is deployed.
    t = await startTestApp({ DUBAN_DEMO: 'true' });
    t.clock.pin(cst('2026-03-02T09:00:00'));
    await deploy(t, 'rectification');
    for (let i = 0; i < 300 && (await problems(t)).length < DEMO_PROBLEMS.length; i++)
      await new Promise((r) => setTimeout(r, 100));
    // …and the walked ones reach 整改落实.
    for (let i = 0; i < 300 && (await problems(t)).some((p) => p.status === 'assigned' || p.status === 'planning'); i++)
      await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => t.close());

  it("keeps the 2017 dates: what the plan's history closed is a closed record, the rest is open and long overdue", async () => {
    const rows = await problems(t);
    expect(rows).toHaveLength(DEMO_PROBLEMS.length);
    for (const p of DEMO_PROBLEMS) {
      const row = rows.find((r) => r.code === p.code)!;
      if (p.history.signedOff) {
        expect([p.code, row.status, row.signed_off_at?.toISOString(), row.process_instance_id]).toEqual([
          p.code,
          'closed',
          `${p.history.signedOff}T01:00:00.000Z`,
          null,
        ]);
      } else {
        expect([p.code, row.status, Boolean(row.process_instance_id)]).toEqual([p.code, 'rectifying', true]);
      }
    }
    const overdue = (await t.http.get('/api/problems?overdue=true').expect(200)).body;
    expect(overdue.items.map((p: any) => p.code).sort()).toEqual(
      DEMO_PROBLEMS.filter((p) => !p.history.signedOff)
        .map((p) => p.code)
        .sort(),
    );
    expect(overdue.items.every((p: any) => p.overdueDays > 365)).toBe(true);
    // Lit from the start: the overdue open problems are red, and the ledger lists them first.
    expect(overdue.items.every((p: any) => p.light === 'red')).toBe(true);
    const first = (await t.http.get('/api/problems?pageSize=20').expect(200)).body.items;
    expect(first.slice(0, overdue.items.length).map((p: any) => p.light)).toEqual(overdue.items.map(() => 'red'));
    // The walked steps carry the plan's dates, so the step averages read days, not seconds.
    const open = DEMO_PROBLEMS.find((p) => !p.history.signedOff && p.history.planned)!;
    const [plan] = await t.db.query(
      `SELECT h.started_at, h.ended_at FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id WHERE i.business_key = $1 AND h.activity_id = 'plan'`,
      [open.code],
    );
    expect(new Date(plan.ended_at).toISOString()).toBe(
      new Date(`${open.history.planned}T17:00:00+08:00`).toISOString(),
    );
    // The trail tells the history on its own dates, by person · unit, not the load's time and 系统.
    const lead = DEMO_UNITS.find((u) => u.code === open.lead)!;
    const office = DEMO_UNITS.find((u) => u.code === 'CITY')!;
    const trail = (await t.http.get(`/api/problems/${open.code}`).expect(200)).body.timeline;
    const entry = (action: string, step?: string) =>
      trail.find((e: any) => e.action === action && (step === undefined || e.stepName === step));
    expect(entry('problem.created')).toMatchObject({
      label: '交办',
      at: new Date('2017-08-03T09:00:00+08:00').toISOString(),
      actorPerson: office.person,
      actorUnitName: office.name,
    });
    expect(entry('task.ended', '制定整改方案')).toMatchObject({
      at: new Date(`${open.history.planned}T17:00:00+08:00`).toISOString(),
      actorPerson: lead.person,
      actorUnitName: lead.name,
    });
    expect(entry('task.ended', '办公室审核方案')).toMatchObject({ actorPerson: office.person });
    expect(Date.parse(entry('task.ended', '办公室审核方案').at)).toBeLessThan(Date.parse('2018-01-01'));
    const closed = DEMO_PROBLEMS.find((p) => p.history.signedOff && p.history.rechecked)!;
    const closedTrail = (await t.http.get(`/api/problems/${closed.code}`).expect(200)).body.timeline;
    expect(closedTrail.map((e: any) => [e.label, e.at, e.actorPerson])).toEqual([
      ['交办', new Date('2017-08-03T09:00:00+08:00').toISOString(), office.person],
      ['验收销号', new Date(`${closed.history.signedOff}T09:00:00+08:00`).toISOString(), office.person],
      ['回头看', new Date(`${closed.history.rechecked}T09:00:00+08:00`).toISOString(), office.person],
    ]);
    // The history's 月通报 are published on their own dates, and copied (抄送) to every unit.
    const published = (await t.http.get('/api/bulletins').expect(200)).body;
    expect(published.length).toBeGreaterThan(12);
    const aug = published.find((b: any) => b.month === '2017-08');
    expect(aug).toMatchObject({ publishedAt: new Date('2017-09-05T10:00:00+08:00').toISOString() });
    expect(aug.documentNo).toMatch(/〔2017〕/);
    const cc = (await (await t.as('unit', 'HBJ')).get('/api/inbox?view=cc').expect(200)).body;
    expect(cc.total).toBe(published.length);
    // Recorded now, as the chain has it: the chain still verifies.
    expect(closedTrail.every((e: any) => e.recordedAt.startsWith('2026-03-02'))).toBe(true);
    expect((await t.http.get('/api/audit/verify').expect(200)).body).toMatchObject({ ok: true });
    const review = (await t.http.get('/api/web/review/rectification').expect(200)).body;
    expect(review.steps.find((x: any) => x.activityId === 'plan').avgDays).toBeGreaterThan(10);
    // The trend shows the history's own last twelve months, not an empty year of today.
    const dash = (await t.http.get('/api/web/dashboard').expect(200)).body;
    expect([dash.trendUntil, dash.trendUntil < '2026-01']).toEqual([dash.trendUntil, true]);
    expect(dash.trend.some((m: any) => m.assigned + m.closed + m.overdue > 0)).toBe(true);
    // 省级交办 and 拆分下达: the province's problem split to the towns on the 汉江 rolls up, one town's part filed up.
    const province = (await t.http.get('/api/problems/HB2017-01').expect(200)).body;
    expect(province.children.map((c: any) => [c.code, c.leadUnit])).toEqual([
      ['HB2017-01-1', 'YKZ'],
      ['HB2017-01-2', 'DBZ'],
      ['HB2017-01-3', 'MYZ'],
    ]);
    expect(province.rollup).toEqual({ children: 3, signedOff: 1, percent: 33 });
    expect(province.filings.map((f: any) => f.code)).toEqual(['HB2017-01-1']);
    const levels = (await t.http.get('/api/units').expect(200)).body;
    expect(levels.filter((u: any) => u.level).map((u: any) => [u.name, u.levelLabel])).toEqual(
      expect.arrayContaining([
        ['湖北省整改办', '省级'],
        ['天门市', '市级'],
        ['岳口镇', '乡镇级'],
      ]),
    );
    // The history's bulletins recompute: December 2017 had the 燃煤锅炉 problem overdue.
    const dec = (await t.http.get('/api/bulletins/2017-12').expect(200)).body;
    expect(dec.laggards.flatMap((l: any) => l.overdue.map((p: any) => p.code))).toEqual(
      expect.arrayContaining(['TM2017-03', 'TM2017-16']),
    );
  });

  it('does not load twice', async () => {
    expect(await t.app.get(DemoLoader).load()).toMatchObject({ problems: 0, started: 0 });
    expect(await problems(t)).toHaveLength(DEMO_PROBLEMS.length);
  });
});

describe('demo data with the escalation ladder deployed (as on `npm start`)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DUBAN_DEMO: 'true' });
    t.clock.pin(cst('2026-03-02T09:00:00'));
    await deploySupervision(t);
    for (let i = 0; i < 600 && (await problems(t)).length < DEMO_PROBLEMS.length; i++)
      await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 600 && (await problems(t)).some((p) => p.status === 'assigned' || p.status === 'planning'); i++)
      await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => t.close());

  it('acts on every long-overdue open problem at once: one action at the rung reached, with its document', async () => {
    const open = DEMO_PROBLEMS.filter((p) => !p.history.signedOff);
    let actions: { code: string; type: string; document_no: string | null; id: string }[] = [];
    // Loaded in the background: wait for the ladders' first rung, which runs with the load, not a minute later.
    for (let i = 0; i < 600; i++) {
      actions = await t.db.query(
        `SELECT p.code, a.type, a.document_no, a.id FROM supervision_action a JOIN problem p ON p.id = a.problem_id ORDER BY p.code`,
      );
      if (new Set(actions.map((a) => a.code)).size >= open.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([...new Set(actions.map((a) => a.code))].sort()).toEqual(open.map((p) => p.code).sort());
    const documented = actions.filter((a) => a.document_no);
    expect(documented.length).toBeGreaterThan(0);
    const docx = await t.http.get(`/api/supervision/actions/${documented[0].id}.docx`).buffer(true).expect(200);
    expect(docx.headers['content-type']).toMatch(/wordprocessingml/);
    // Nothing stays parked: the services the load deferred (other ladders, co-units' parts, split problems) all run.
    let parked: { definition_key: string }[] = [];
    for (let i = 0; i < 600; i++) {
      parked = await t.db.query(
        `SELECT definition_key FROM engine_instance WHERE status = 'active' AND pending_services`,
      );
      if (!parked.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(parked).toEqual([]);
  });

  it("has the indicators' monthly values through the plan's last year (2020), as far as the trend goes", async () => {
    const list = (await t.http.get('/api/indicators').expect(200)).body;
    for (const i of list) expect([i.code, i.values.at(-1).month]).toEqual([i.code, '2020-12']);
  });
});
