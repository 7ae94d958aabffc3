import { readFileSync } from 'node:fs';
import { MonthlyCycleStarter } from '../src/reports/monthly/monthly-cycle.starter.js';
import { cityUnits, cst } from './support/reports.js';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { importFile, problemRow, problemSheet } from './support/xlsx.js';

/**
 * 配合单位分工 (unit-part.bpmn), driven by the clock: the plan gives each co-unit its part with its own deadline
 * (never later than the lead's); a co-unit late on its part is chased on its own ladder — 提醒 and 督办单 to the
 * co-unit, not the lead — and ranked among the co-units in the bulletin; the lead's 申请销号 waits for every part.
 */
describe('unit-part.bpmn: co-units carry out their own parts', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  const parts = [
    { unit: 'SWJ', measures: '完成沿河排口排查并封堵', deadline: '2017-09-29', milestones: [] },
    {
      unit: 'CGJ',
      measures: '清运沿岸垃圾，建立保洁制度',
      deadline: '2017-10-31',
      milestones: [{ title: '完成垃圾清运', dueDate: '2017-10-15' }],
    },
  ];
  /** The ladder's actions addressed to a unit (the monthly cycle's 催报 and 月督办 aside). */
  const actionsOf = async (unit: string) =>
    (
      await t.http.get('/api/supervision/actions').query({ problemId: 'C-1', unit, pageSize: '200' }).expect(200)
    ).body.items
      .reverse()
      .filter((a: any) => a.type !== 'urge' && a.body.source !== 'monthly-cycle');

  const completePart = async (unit: string, vars: Record<string, unknown>) => {
    const task = (await d.tasks('C-1')).find((x) => x.activity_id === 'partRectify' && x.candidate_groups[0] === unit);
    if (!task) throw new Error(`no open part of ${unit}`);
    await t.engine.completeTask(task.id, vars);
    await d.settle();
  };

  beforeAll(async () => {
    t = await startTestApp();
    d = supervisionDriver(t);
    t.clock.pin(cst('2017-08-03T09:00:00'));
    await deploySupervision(t);
    await t.definitions.deploy('monthly', [
      { resource: 'monthly-cycle.bpmn', content: readFileSync('processes/monthly-cycle.bpmn') },
    ]);
    await cityUnits(t, [
      ['HBJ', '市环保局'],
      ['SWJ', '市水务局'],
      ['CGJ', '市城管局'],
    ]);
    await importFile(
      t,
      await problemSheet([
        problemRow(1, {
          编号: 'C-1',
          问题: '城区河道黑臭水体',
          牵头单位: 'HBJ',
          责任单位: '市水务局、市城管局',
          整改时限: '2017-12-29',
        }),
      ]),
    );
    await t.app.get(MonthlyCycleStarter).ensure();
    await d.settle();
  }, 120_000);
  afterAll(() => t.close());

  it("refuses a plan whose part is later than the lead's deadline, misses a co-unit or names another unit, in Chinese", async () => {
    await d.complete('C-1', 'sign');
    const plan = (p: unknown) =>
      d.complete('C-1', 'plan', {
        summary: '截污、清淤、保洁',
        milestones: [{ title: '全面消除黑臭', dueDate: '2017-12-29' }],
        parts: p,
      });
    const refused = async (p: unknown, text: string) => {
      const err = await plan(p).then(
        () => null,
        (e: any) => e,
      );
      expect(err).toMatchObject({ status: 422 });
      expect(err.message).toContain(text);
    };
    await refused([{ ...parts[0], deadline: '2018-01-15' }, parts[1]], '晚于牵头单位整改时限 2017-12-29');
    await refused([parts[0]], '缺少配合单位 市城管局 的分工');
    await refused([...parts, { unit: 'HBJ', measures: '牵头', deadline: '2017-12-01' }], '不是该问题的配合单位');
    await refused(
      [parts[0], { ...parts[1], milestones: [{ title: '清运', dueDate: '2017-11-15' }] }],
      '晚于分工时限 2017-10-31',
    );
    expect((await d.tasks('C-1')).map((x) => x.activity_id)).toEqual(['plan']);
    await plan(parts);
    await d.complete('C-1', 'review', { planApproved: true });
  });

  it('runs each part as its own process for the co-unit, with its own ladder against its own deadline', async () => {
    const tasks = await d.tasks('C-1');
    expect(tasks.map((x) => [x.definition_key, x.activity_id, x.candidate_groups[0], x.form_key])).toEqual(
      expect.arrayContaining([
        ['unit-part', 'partRectify', 'SWJ', 'unit-part'],
        ['unit-part', 'partRectify', 'CGJ', 'unit-part'],
        ['rectification', 'rectify', 'HBJ', 'rectify'],
      ]),
    );
    const swjTask = tasks.find((x) => x.candidate_groups[0] === 'SWJ')!;
    expect(new Date(swjTask.due_at!).toISOString()).toBe('2017-09-29T15:59:59.000Z');
    const ladders: { business_key: string; variables: any }[] = await t.db.query(
      `SELECT business_key, variables FROM engine_instance WHERE definition_key = 'escalation-ladder' ORDER BY business_key`,
    );
    expect(ladders.map((l) => [l.business_key, l.variables.deadline, l.variables.targetUnit ?? null])).toEqual([
      ['C-1', '2017-12-29', null],
      ['C-1:CGJ', '2017-10-31', 'CGJ'],
      ['C-1:SWJ', '2017-09-29', 'SWJ'],
    ]);
    // The unit's inbox holds its part.
    const swj = await t.as('unit', 'SWJ');
    await swj.get(`/api/tasks/${swjTask.id}`).expect(200);
    await (await t.as('unit', 'HBJ')).get(`/api/tasks/${swjTask.id}`).expect(403);
  });

  it('chases the co-unit late on its part on its own ladder: 提醒, then 督办单, to the co-unit', async () => {
    await d.at(cst('2017-09-25T10:00:00'));
    expect((await actionsOf('SWJ')).map((a: any) => a.type)).toEqual(['reminder']);
    expect(await actionsOf('HBJ')).toEqual([]);
    await d.at(cst('2017-10-10T10:00:00'));
    const swj = await actionsOf('SWJ');
    expect(swj.map((a: any) => a.type)).toEqual(['reminder', 'notice']);
    expect(swj[1]).toMatchObject({ unitCode: 'SWJ', documentNo: expect.stringMatching(/^督办〔2017〕\d+号$/) });
    expect(swj[1].body).toMatchObject({ partDeadline: '2017-09-29', deadline: '2017-09-29' });
    // The lead and its problem are not chased for the co-unit's lateness.
    expect(await actionsOf('HBJ')).toEqual([]);
    expect((await d.problem('C-1')).light).not.toBe('red');
    // CGJ finishes on time; its ladder ends there.
    await completePart('CGJ', { summary: '垃圾已清运，保洁制度已建立' });
    expect(
      (await d.tasks('C-1')).filter((x) => x.activity_id === 'partRectify').map((x) => x.candidate_groups),
    ).toEqual([['SWJ']]);
    const [cgjLadder] = await t.db.query(
      `SELECT status FROM engine_instance WHERE definition_key = 'escalation-ladder' AND business_key = 'C-1:CGJ'`,
    );
    expect(cgjLadder.status).toBe('completed');
  });

  it("keeps the lead's 申请销号 waiting until every part is done", async () => {
    await d.complete('C-1', 'rectify', { summary: '截污管网已建成' });
    expect((await d.tasks('C-1')).map((x) => x.activity_id)).toEqual(['partRectify']);
    expect((await d.problem('C-1')).status).toBe('rectifying');
  });

  it('ranks the co-units on their parts in the bulletin, and gives each its own line in the monthly report', async () => {
    await d.at(cst('2017-11-01T10:00:00'));
    const b = (await t.http.get('/api/bulletins/2017-10').expect(200)).body;
    expect(b.coUnits.map((c: any) => [c.rank, c.unit, c.partsDue, c.partsOnTime, c.partsLate])).toEqual([
      [1, 'CGJ', 1, 1, 0],
      [2, 'SWJ', 1, 0, 1],
    ]);
    expect(b.coUnits[1].lateParts).toEqual([{ code: 'C-1', title: '城区河道黑臭水体', deadline: '2017-09-29' }]);
    // The co-units are not ranked among the lead units; the whole on-time rate counts their parts.
    expect(b.units.map((u: any) => u.unit)).toEqual(['HBJ']);
    expect(b.totals).toMatchObject({ due: 0, onTimeRate: null, partsDue: 2, partsOnTime: 1, partsLate: 1 });
    expect(b.totals.allOnTimeRate).toBe(0.5);
    // The dashboard counts the parts as the bulletin does: its on-time rate and a ranking of the co-units.
    const dash = (await (await t.as('leader')).get('/api/web/dashboard').expect(200)).body;
    expect(dash.onTime).toEqual({ due: 0, onTime: 0, rate: null, partsDue: 2, partsOnTime: 1, allRate: 0.5 });
    expect(dash.byCoUnit.map((c: any) => [c.rank, c.unit, c.parts, c.due, c.onTime, c.late, c.onTimeRate])).toEqual([
      [1, 'CGJ', 1, 1, 1, 0, 1],
      [2, 'SWJ', 1, 1, 0, 1, 0],
    ]);
    const month = (await t.http.get('/api/monthly-reports/2017-10').expect(200)).body;
    expect(month.units.map((u: any) => [u.unit, u.problems.map((p: any) => p.code)])).toEqual([
      ['CGJ', ['C-1']],
      ['HBJ', ['C-1']],
      ['SWJ', ['C-1']],
    ]);
    expect(b.coUnits.find((c: any) => c.unit === 'SWJ').missingReports.map((p: any) => p.code)).toEqual(['C-1']);
  });

  it('lets the lead apply once the last part is done, and stops the part’s ladder', async () => {
    await completePart('SWJ', { summary: '排口已全部封堵' });
    expect((await d.tasks('C-1')).map((x) => [x.activity_id, x.candidate_groups[0]])).toEqual([['apply', 'HBJ']]);
    expect((await d.problem('C-1')).status).toBe('applying');
    const [ladder] = await t.db.query(
      `SELECT status FROM engine_instance WHERE definition_key = 'escalation-ladder' AND business_key = 'C-1:SWJ'`,
    );
    expect(ladder.status).toBe('completed');
    const doneParts: { unit_code: string; status: string; report: string }[] = await t.db.query(
      `SELECT unit_code, status, report FROM problem_part ORDER BY unit_code`,
    );
    expect(doneParts).toEqual([
      { unit_code: 'CGJ', status: 'done', report: '垃圾已清运，保洁制度已建立' },
      { unit_code: 'SWJ', status: 'done', report: '排口已全部封堵' },
    ]);
  });
});
