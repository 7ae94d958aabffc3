import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

// Monday 2026-12-07, 09:00 in China: chinese-days has no 2027 arrangement.
const DEC_7 = Date.parse('2026-12-07T01:00:00Z');
const HOUR = 3_600_000;

describe('a deadline in a year without the announced arrangement (provisional calendar)', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(DEC_7);
    await deploySupervision(t);
    await seedUnits(t);
    await t.http
      .post('/api/notify/channels')
      .send({ ownerType: 'role', ownerCode: 'office', kind: 'inapp', label: '办公室站内消息' })
      .expect(201);
    await importFile(
      t,
      await problemSheet([problemRow(1, { 编号: 'NEXT-YEAR', 责任单位: null, 整改时限: '2027-01-15' })]),
    );
    d = supervisionDriver(t);
    await d.settle();
  });
  afterAll(() => t.close());

  const openIncidents = () => t.db.query(`SELECT id, message FROM engine_incident WHERE resolved_at IS NULL`);
  const types = async (code: string) => (await d.actions(code)).map((a: any) => a.type);

  it('starts the ladder on the provisional 2027 calendar, with no incident, and says the deadline is provisional', async () => {
    expect(await openIncidents()).toEqual([]);
    expect((await d.ladder('NEXT-YEAR')).status).toBe('active');
    const problem = await d.problem('NEXT-YEAR');
    expect(problem.deadlineProvisional).toBe(true);
    // 2027-01-15 is a Friday; five working days before it, counted over 元旦 (Friday 01-01) by rule.
    expect(d.addWorkdays('2027-01-15', -5)).toBe('2027-01-08');
    const days = await t.http.get('/api/calendar/workdays?from=2026-12-31&add=1').expect(200);
    expect(days.body).toEqual({ date: '2027-01-04', provisional: true });
    expect((await t.http.get('/api/calendar/workdays?from=2026-12-01&add=1').expect(200)).body).toEqual({
      date: '2026-12-02',
      provisional: false,
    });
    expect((await t.http.get('/api/calendar/days/2027-02-09').expect(200)).body).toEqual({
      date: '2027-02-09',
      workday: false,
      kind: 'holiday',
      name: '春节（补假）',
      provisional: true,
    });
  });

  it('warns the office: a banner flag in the calendar API and one notification', async () => {
    const office = await t.as('office');
    const status = (await office.get('/api/calendar/status').expect(200)).body;
    expect(status.officialThrough).toBe(2026);
    expect(status.provisionalYears.map((y: any) => y.year)).toEqual([2027]);
    expect(status.provisionalYears[0].holidays).toContainEqual({ date: '2027-02-06', name: '春节' });
    expect(status.warning).toMatch(/2027 年尚未录入.*暂定/);
    const unit = await t.as('unit', 'HBJ');
    expect((await unit.get('/api/calendar/status').expect(200)).body.warning).toBe(status.warning);
    const mine = (await office.get('/api/notify/mine').expect(200)).body;
    const notes = (mine.items ?? mine).filter((n: any) => /2027 年工作日历为暂定/.test(n.title));
    expect(notes).toHaveLength(1);
  });

  it('escalates into 2027: the reminder on the rule-computed working day, the 督办单 after the deadline', async () => {
    await d.at(d.endOf('2027-01-08') - HOUR);
    expect(await types('NEXT-YEAR')).toEqual([]);
    await d.at(d.endOf('2027-01-08') + HOUR);
    expect(await types('NEXT-YEAR')).toEqual(['reminder']);
    await d.at(d.endOf('2027-01-15') + 10 * HOUR);
    expect(await types('NEXT-YEAR')).toContain('notice');
    expect(await openIncidents()).toEqual([]);
  });

  it('entering the announced 2027 arrangement moves the provisional due times and ends the warning', async () => {
    const before = await d.ladderTimer('NEXT-YEAR');
    expect(before).toBeTruthy();
    // An arrangement that makes the day the next rung falls on a holiday moves it.
    const at = new Date(new Date(before.expire_at).getTime() - 1 + 8 * HOUR).toISOString().slice(0, 10);
    const res = await t.http
      .put('/api/calendar/years/2027')
      .send({
        holidays: [
          { date: '2027-01-01', name: '元旦' },
          { date: at, name: '测试假日' },
        ],
        workdays: [],
        note: '国务院办公厅通知',
      })
      .expect(200);
    expect(res.body.timersMoved).toBeGreaterThanOrEqual(1);
    const after = await d.ladderTimer('NEXT-YEAR');
    expect(new Date(after.expire_at).getTime()).toBeGreaterThan(new Date(before.expire_at).getTime());
    const status = (await t.http.get('/api/calendar/status').expect(200)).body;
    expect(status).toMatchObject({ officialThrough: 2027, provisionalYears: [], warning: null });
    expect((await d.problem('NEXT-YEAR')).deadlineProvisional).toBe(false);
  });
});
