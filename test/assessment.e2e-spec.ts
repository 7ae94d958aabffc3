import { chinaDate } from '../src/problems/rules/china-date.js';
import { MonthlyCycleStarter } from '../src/reports/monthly/monthly-cycle.starter.js';
import { cityUnits, cst, signOff } from './support/reports.js';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { binary, importFile, problemRow, problemSheet, readWorkbook, rowValues } from './support/xlsx.js';
import { readFileSync } from 'node:fs';

const FIGURES = [
  'signedOff',
  'effective',
  'bulletins',
  'interviews',
  'accountabilities',
  'rebounds',
  'missingReports',
] as const;
const ACTION_TYPES = { bulletins: 'bulletin', interviews: 'interview', accountabilities: 'accountability' } as const;
const MONTHS_2017 = ['2017-08', '2017-09', '2017-10', '2017-11', '2017-12'];

/**
 * 年度考核: each unit's score for 2017 equals the count made here by hand from the records' own API answers —
 * the problems it leads, the supervision actions addressed to it, the monthly reports asked of it — with the
 * weights read from the settings; changing a weight changes the score; the workbook has the assessment's layout.
 */
describe('annual assessment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const d = supervisionDriver(t);
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
    const rows = [
      problemRow(1, { 编号: 'S-1', 牵头单位: 'HBJ', 责任单位: null, 整改时限: '2017-09-15', '回头看周期（月）': 3 }),
      problemRow(2, { 编号: 'S-2', 牵头单位: 'HBJ', 责任单位: null, 整改时限: '2017-09-29' }),
      problemRow(3, { 编号: 'S-3', 牵头单位: 'SWJ', 责任单位: '市城管局', 整改时限: '2017-10-31' }),
      problemRow(4, { 编号: 'S-4', 牵头单位: 'SWJ', 责任单位: null, 整改时限: '2018-06-30' }),
    ];
    await importFile(t, await problemSheet(rows));
    await t.app.get(MonthlyCycleStarter).ensure();
    await d.settle();
    // HBJ reports in August; nobody reports afterwards.
    const [task] = await t.db.query(
      `SELECT id FROM engine_task WHERE definition_key = 'monthly-cycle' AND candidate_groups @> ARRAY['HBJ']`,
    );
    await (
      await t.as('unit', 'HBJ')
    )
      .post(`/api/monthly-reports/tasks/${task.id}`)
      .send({
        reports: [
          { problem: 'S-1', text: '已制定整改方案', percent: 30 },
          { problem: 'S-2', text: '正在排查', percent: 10 },
        ],
      })
      .expect(200);
    await d.at(cst('2017-08-28T10:00:00'));
    await signOff(t, 'S-1'); // on time: 验收 on 08-28, 销号 when the 公示 ends on 09-04
    for (const day of ['2017-10-16', '2017-11-10']) await d.at(cst(`${day}T10:00:00`));
    await signOff(t, 'S-3'); // late
    for (const day of ['2017-12-01', '2017-12-20']) await d.at(cst(`${day}T10:00:00`));
    // 回头看 three months after S-1's sign-off finds it effective (见效): counted for HBJ in 2017.
    await d.complete('S-1', 'recheck', { rebound: false, effective: true, findings: '锅炉已拆除，未见反弹' });
    await d.at(cst('2018-01-04T10:00:00'));
  }, 600_000);
  afterAll(() => t.close());

  /** The unit's figures for 2017, counted from the problems, actions and monthly reports the API answers. */
  async function handCount(unit: string) {
    const problems: any[] = (await t.http.get('/api/problems').query({ unit, pageSize: '200' }).expect(200)).body.items;
    const led = problems.filter((p) => p.leadUnit === unit);
    const inYear = (at: string | null) => at !== null && chinaDate(Date.parse(at)).startsWith('2017-');
    const due = led.filter((p) => p.deadline.startsWith('2017-'));
    const onTime = due.filter((p) => p.signedOffAt && chinaDate(Date.parse(p.signedOffAt)) <= p.deadline);
    const ids: Record<string, string[]> = {
      due: due.map((p) => p.id),
      signedOff: led.filter((p) => inYear(p.signedOffAt)).map((p) => p.id),
      effective: led.filter((p) => inYear(p.effectiveAt)).map((p) => p.id),
      rebounds: led.filter((p) => p.status === 'rebounded' && inYear(p.recheckedAt)).map((p) => p.id),
      missingReports: [],
    };
    for (const [figure, type] of Object.entries(ACTION_TYPES)) {
      const res = await t.http
        .get('/api/supervision/actions')
        .query({ unit, type, from: '2017-01-01', to: '2017-12-31', pageSize: '200' })
        .expect(200);
      ids[figure] = res.body.items.map((a: any) => a.id);
    }
    const byCode = new Map(problems.map((p) => [p.code, p]));
    for (const month of MONTHS_2017) {
      const m = (await t.http.get(`/api/monthly-reports/${month}`).expect(200)).body;
      for (const u of m.units.filter((x: any) => x.unit === unit))
        for (const p of u.problems) {
          const signedAt = byCode.get(p.code)?.signedOffAt;
          const signedByEnd = signedAt && chinaDate(Date.parse(signedAt)).slice(0, 7) <= month;
          if (!p.reported && !signedByEnd) ids.missingReports.push(byCode.get(p.code)!.id);
        }
    }
    return { due: due.length, onTime: onTime.length, ids };
  }

  function expectedScore(w: Record<string, number>, c: Awaited<ReturnType<typeof handCount>>): number {
    const rate = c.due ? Math.round((c.onTime / c.due) * 10_000) / 10_000 : 1;
    const points =
      Math.round(w.weightOnTimeRate * rate * 100) / 100 +
      c.ids.signedOff.length * w.weightSignedOff +
      c.ids.effective.length * w.weightEffective -
      c.ids.bulletins.length * w.weightBulletin -
      c.ids.interviews.length * w.weightInterview -
      c.ids.accountabilities.length * w.weightAccountability -
      c.ids.rebounds.length * w.weightRebound -
      c.ids.missingReports.length * w.weightMissingReport;
    return Math.round(points * 100) / 100;
  }

  async function checkAgainstHandCount() {
    const w = (await t.http.get('/api/assessment/settings').expect(200)).body;
    const a = (await t.http.get('/api/assessment/2017').expect(200)).body;
    expect(a.weights).toEqual(w);
    expect(a.units.map((u: any) => u.unit).sort()).toEqual(['HBJ', 'SWJ']);
    for (const u of a.units) {
      const c = await handCount(u.unit);
      expect([u.unit, u.onTimeRate.due, u.onTimeRate.onTime]).toEqual([u.unit, c.due, c.onTime]);
      expect(u.onTimeRate.records.map((r: any) => r.id).sort()).toEqual([...c.ids.due].sort());
      for (const f of FIGURES) {
        expect([u.unit, f, u[f].records.map((r: any) => r.id).sort()]).toEqual([u.unit, f, [...c.ids[f]].sort()]);
        expect(u[f].value).toBe(c.ids[f].length);
      }
      expect([u.unit, u.score]).toEqual([u.unit, expectedScore(w, c)]);
    }
    const scores = a.units.map((u: any) => u.score);
    expect(scores).toEqual([...scores].sort((x: number, y: number) => y - x));
    expect(a.units[0].rank).toBe(1);
    return a;
  }

  it("scores each unit as its records count, by hand, from the records' own answers", async () => {
    const a = await checkAgainstHandCount();
    const hbj = a.units.find((u: any) => u.unit === 'HBJ');
    const swj = a.units.find((u: any) => u.unit === 'SWJ');
    // The scenario is not empty: an on-time and a late sign-off, the ladder's 通报 and 约谈, reports missing.
    expect(hbj.onTimeRate).toMatchObject({ due: 2, onTime: 1, value: 0.5 });
    expect(swj.onTimeRate).toMatchObject({ due: 1, onTime: 0, value: 0 });
    expect(hbj.bulletins.value).toBeGreaterThan(0);
    expect(hbj.interviews.value).toBeGreaterThan(0);
    expect(hbj.missingReports.value).toBeGreaterThan(0);
    expect(swj.missingReports.records.map((r: any) => r.code)).toContain('S-4');
    expect(hbj.bulletins.records[0]).toMatchObject({ kind: 'action', code: 'S-2', documentNo: expect.any(String) });
    // 整改一个、销号一个、见效一个: S-1 found effective at its 回头看 in December.
    expect(hbj.effective).toMatchObject({
      value: 1,
      records: [expect.objectContaining({ code: 'S-1', date: '2017-12-20' })],
    });
  });

  it('takes the weights from the settings: a changed weight changes the score', async () => {
    const before = (await t.http.get('/api/assessment/2017').expect(200)).body;
    const hbj = before.units.find((u: any) => u.unit === 'HBJ');
    await t.http.put('/api/assessment/settings').send({ weightBulletin: 20, weightSignedOff: 0 }).expect(200);
    const after = (await t.http.get('/api/assessment/2017').expect(200)).body;
    const hbj2 = after.units.find((u: any) => u.unit === 'HBJ');
    expect(hbj2.score).toBeCloseTo(hbj.score - hbj.bulletins.value * 18 - hbj.signedOff.value * 2, 6);
    await checkAgainstHandCount();

    const bad = await t.http.put('/api/assessment/settings').send({ weightBulletin: 101, weightRebound: 1.5 });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await t.http.get('/api/assessment/settings').expect(200)).body).toMatchObject({ weightBulletin: 20 });
    await t.http.put('/api/assessment/settings').send({ weightBulletin: 2, weightSignedOff: 2 }).expect(200);
  });

  it('exports the year in the assessment layout: 序号, 单位, each indicator, 得分, 排名', async () => {
    const a = (await t.http.get('/api/assessment/2017').expect(200)).body;
    const res = await t.http.get('/api/assessment/2017.xlsx').buffer().parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const ws = (await readWorkbook(res.body)).getWorksheet('年度考核')!;
    expect(rowValues(ws, 3)).toEqual([
      '序号',
      '单位',
      '按期完成率',
      '销号问题',
      '见效问题',
      '通报',
      '约谈',
      '追责',
      '反弹',
      '缺报月度进展',
      '得分',
      '排名',
    ]);
    a.units.forEach((u: any, i: number) => {
      const row = rowValues(ws, 4 + i);
      expect([row[0], row[1], row[10], row[11]]).toEqual([i + 1, u.unitName, u.score, u.rank]);
    });
  });

  it('counts the records of a year, and opens on the last year that has any when the current has none', async () => {
    const y2017 = (await t.http.get('/api/assessment/2017').expect(200)).body;
    const count = (u: any) =>
      u.onTimeRate.due +
      ['signedOff', 'effective', 'bulletins', 'interviews', 'accountabilities', 'rebounds', 'missingReports'].reduce(
        (n, k) => n + u[k].value,
        0,
      );
    expect(y2017.records).toBe(y2017.units.reduce((n: number, u: any) => n + count(u), 0));
    expect(y2017.records).toBeGreaterThan(0);
    // The clock stands on 2018-01-04: nothing of 2018 has fallen due or been issued yet.
    const y2018 = (await t.http.get('/api/assessment/2018').expect(200)).body;
    expect(y2018.records).toBe(0);
    const current = (await t.http.get('/api/assessment/current').expect(200)).body;
    expect([current.currentYear, current.year, current.records]).toEqual([2018, 2017, y2017.records]);
  });

  it('refuses a year out of bounds or still to come, in Chinese, and keeps the score from unit accounts', async () => {
    for (const year of ['1999', '2101', 'abcd', '20170', '2019']) {
      const res = await t.http.get(`/api/assessment/${year}`);
      expect([year, res.status]).toEqual([year, 422]);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const unit = await t.as('unit', 'HBJ');
    await unit.get('/api/assessment/2017').expect(403);
    await unit.put('/api/assessment/settings').send({ weightBulletin: 1 }).expect(403);
    await (await t.as('leader')).get('/api/assessment/2017').expect(200);
    await (await t.as('leader')).put('/api/assessment/settings').send({ weightBulletin: 1 }).expect(403);
  });
});
