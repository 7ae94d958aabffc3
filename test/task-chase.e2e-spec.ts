import { readFileSync } from 'node:fs';
import { SELF_CHECK, siteCheck, uploadEvidence } from './support/signoff.js';
import { deploySupervision, supervisionDriver, type Task } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { importFile, problemRow, problemSheet, seedUnits } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const HOUR = 3_600_000;

/** 09:00 China time of a date: when the office's day starts and a chase is sent. */
const nine = (date: string) => Date.parse(`${date}T09:00:00+08:00`);

/**
 * Every task has a due date from the settings and a chase drawn in its BPMN (a non-interrupting timer
 * `overdue(due, chaseEvery, chaseTimes)` → 催办): at 09:00 of the first working day after the due date, then
 * every 3 working days, at most 5 times, and never after the task is done. The office's own late tasks reach
 * the leaders, and their overdue list.
 */
describe('every task has a due date and someone chasing it, the office’s own included', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;

  const task = async (code: string, activityId: string): Promise<Task> => {
    const found = (await d.tasks(code)).find((x) => x.activity_id === activityId);
    if (!found) throw new Error(`${code}: no open ${activityId}`);
    return found;
  };
  /** The chases of a task: one outbox event per firing (its key names the task and the day). */
  const chases = async (taskId: string): Promise<string[]> =>
    (
      await t.db.query(`SELECT DISTINCT event_key FROM notify_outbox WHERE event_key LIKE $1 ORDER BY event_key`, [
        `chase:${taskId}:%`,
      ])
    ).map((r: { event_key: string }) => r.event_key.split(':')[2]);
  const timerOf = async (code: string, activityId: string) => {
    const [row] = await t.db.query(
      `SELECT tm.spec, tm.expire_at FROM engine_timer tm JOIN engine_instance i ON i.id = tm.instance_id
        WHERE i.business_key = $1 AND tm.activity_id = $2`,
      [code, activityId],
    );
    return row as { spec: string; expire_at: Date } | undefined;
  };
  const mine = async (role: 'office' | 'leader' | 'unit', unit?: string) =>
    (await (await t.as(role, unit)).get('/api/notify/mine').expect(200)).body.items as {
      eventKey: string;
      title: string;
      text: string;
    }[];

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await seedUnits(t);
    for (const c of [
      { ownerType: 'unit', ownerCode: 'HBJ', kind: 'inapp', label: '环保局站内消息' },
      { ownerType: 'role', ownerCode: 'office', kind: 'inapp', label: '办公室站内消息' },
      { ownerType: 'role', ownerCode: 'leader', kind: 'inapp', label: '领导站内消息' },
    ])
      await t.http.post('/api/notify/channels').send(c).expect(201);
    const rows = ['CH-1', 'CH-2', 'CH-3'].map((code, i) =>
      problemRow(i + 1, { 编号: code, 责任单位: null, 整改时限: '2026-12-31' }),
    );
    await importFile(t, await problemSheet(rows));
    d = supervisionDriver(t);
    await d.settle();
  });
  afterAll(() => t.close());

  it('gives 签收 its due date from the settings and draws its chase on the same due date', async () => {
    const sign = await task('CH-1', 'sign');
    expect(sign.due_spec).toBe('workdays(3, 2026-03-02)');
    expect(new Date(sign.due_at!).getTime()).toBe(d.endOf('2026-03-05'));
    expect(await timerOf('CH-1', 'signOverdue')).toEqual({
      spec: 'overdue(workdays(3, 2026-03-02), 3, 5)',
      expire_at: new Date(nine('2026-03-06')),
    });
  });

  it('chases an overdue 签收 at 09:00 of the next working day, again 3 working days on, and never after it is signed', async () => {
    const sign = await task('CH-1', 'sign');
    await d.at(nine('2026-03-06') - HOUR);
    expect(await chases(sign.id)).toEqual([]);
    await d.at(nine('2026-03-06') + HOUR);
    expect(await chases(sign.id)).toEqual(['2026-03-06']);
    const unit = await mine('unit', 'HBJ');
    expect(unit.find((m) => m.eventKey === `chase:${sign.id}:2026-03-06`)).toMatchObject({
      title: '催办：牵头单位签收已逾期（CH-1）',
      text: expect.stringContaining('期限：2026-03-05，已逾期 1 个工作日（1 天）'),
    });
    // A unit's task is the unit's: the leaders are not told of it.
    expect((await mine('leader')).some((m) => m.eventKey.includes(sign.id))).toBe(false);
    // Friday 6 March + 3 working days: Wednesday 11 March.
    await d.at(nine('2026-03-11') + HOUR);
    expect(await chases(sign.id)).toEqual(['2026-03-06', '2026-03-11']);
    await d.complete('CH-1', 'sign');
    expect(await timerOf('CH-1', 'signOverdue')).toBeUndefined();
    await d.complete('CH-1', 'plan', { milestones: [{ title: '完成整改', dueDate: '2026-12-31' }] });
  });

  it('gives 方案审核 its due date, 5 working days from the plan, and chases the office and tells its leaders', async () => {
    const review = await task('CH-1', 'review');
    expect(review.due_spec).toBe('workdays(5)');
    expect(new Date(review.due_at!).getTime()).toBe(d.endOf('2026-03-18'));
    await d.at(nine('2026-03-19') + HOUR);
    expect(await chases(review.id)).toEqual(['2026-03-19']);
    expect((await mine('office')).find((m) => m.eventKey === `chase:${review.id}:2026-03-19`)).toMatchObject({
      title: '催办：办公室审核方案已逾期（CH-1）',
    });
    const told = (await mine('leader')).filter((m) => m.eventKey === `chase-leader:${review.id}`);
    expect(told).toEqual([
      expect.objectContaining({
        title: '督办办公室事项逾期：办公室审核方案（CH-1）',
        text: expect.stringContaining('督办办公室已逾期 1 个工作日（1 天）尚未办理'),
      }),
    ]);
    const leader = await t.as('leader');
    const list = (await leader.get('/api/web/office-overdue').expect(200)).body;
    expect(list.items).toEqual([
      expect.objectContaining({
        taskId: review.id,
        name: '办公室审核方案',
        process: 'rectification',
        dueOn: '2026-03-18',
        overdueWorkdays: 1,
        overdueDays: 1,
        overdueText: '逾期 1 个工作日（1 天）',
        problem: expect.objectContaining({ code: 'CH-1' }),
      }),
    ]);
    expect(list.total).toBe(1);
    await (await t.as('unit', 'HBJ')).get('/api/web/office-overdue').expect(403);
    // Thursday 19 March + 3 working days: Tuesday 24 March; the leaders were told once.
    await d.at(nine('2026-03-24') + HOUR);
    expect(await chases(review.id)).toEqual(['2026-03-19', '2026-03-24']);
    expect((await mine('leader')).filter((m) => m.eventKey === `chase-leader:${review.id}`)).toHaveLength(1);
    const late = (await leader.get('/api/web/office-overdue').expect(200)).body.items[0];
    // Due Wednesday 18 March, today Tuesday 24 March: 4 working days, 6 calendar days.
    expect(late).toMatchObject({ overdueWorkdays: 4, overdueDays: 6, overdueText: '逾期 4 个工作日（6 天）' });
    await d.complete('CH-1', 'review', { planApproved: true });
    expect(await timerOf('CH-1', 'reviewOverdue')).toBeUndefined();
    expect((await leader.get('/api/web/office-overdue').expect(200)).body.items).toEqual([]);
  });

  it('takes 验收销号 (signoff.bpmn) with 自查 due in 5 working days and 验收 in 10, over the 清明 holiday', async () => {
    await d.complete('CH-1', 'rectify', { report: '已完成' });
    await d.complete('CH-1', 'apply', { summary: '整改完成', evidenceFileIds: await uploadEvidence(t, 'CH-1') });
    const selfCheck = await task('CH-1', 'selfCheck');
    expect(selfCheck.definition_key).toBe('signoff');
    expect(selfCheck.due_spec).toBe('workdays(5)');
    // From Tuesday 24 March, 5 working days: Tuesday 31 March, chased from Wednesday 1 April.
    expect(new Date(selfCheck.due_at!).getTime()).toBe(d.endOf('2026-03-31'));
    expect(await timerOf('CH-1', 'selfCheckOverdue')).toEqual({
      spec: 'overdue(workdays(5), 3, 5)',
      expire_at: new Date(nine('2026-04-01')),
    });
    await d.complete('CH-1', 'selfCheck', SELF_CHECK);
    expect(await timerOf('CH-1', 'selfCheckOverdue')).toBeUndefined();
    const verify = await task('CH-1', 'verify');
    expect(verify.definition_key).toBe('signoff');
    expect(verify.due_spec).toBe('workdays(10)');
    // From Tuesday 24 March, 10 working days, 清明 (4–6 April) not counted: Wednesday 8 April.
    expect(d.addWorkdays('2026-03-24', 10)).toBe('2026-04-08');
    expect(new Date(verify.due_at!).getTime()).toBe(d.endOf('2026-04-08'));
    expect(await timerOf('CH-1', 'verifyOverdue')).toEqual({
      spec: 'overdue(workdays(10), 3, 5)',
      expire_at: new Date(nine('2026-04-09')),
    });
  });

  it('chases an overdue 办公室验收 in signoff.bpmn at 09:00 of the next working day, tells the leaders, and stops when it is done', async () => {
    const verify = await task('CH-1', 'verify');
    await d.at(nine('2026-04-09') - HOUR);
    expect(await chases(verify.id)).toEqual([]);
    expect((await mine('leader')).some((m) => m.eventKey === `chase-leader:${verify.id}`)).toBe(false);
    await d.at(nine('2026-04-09') + HOUR);
    expect(await chases(verify.id)).toEqual(['2026-04-09']);
    expect((await mine('office')).find((m) => m.eventKey === `chase:${verify.id}:2026-04-09`)).toMatchObject({
      title: '催办：办公室验收已逾期（CH-1）',
      text: expect.stringContaining('期限：2026-04-08，已逾期 1 个工作日（1 天）'),
    });
    expect((await mine('leader')).filter((m) => m.eventKey === `chase-leader:${verify.id}`)).toEqual([
      expect.objectContaining({
        title: '督办办公室事项逾期：办公室验收（CH-1）',
        text: expect.stringContaining('督办办公室已逾期 1 个工作日（1 天）尚未办理'),
      }),
    ]);
    const listed = (await (await t.as('leader')).get('/api/web/office-overdue').expect(200)).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ taskId: verify.id, name: '办公室验收', process: 'signoff', dueOn: '2026-04-08' }),
    ]);
    await d.complete('CH-1', 'verify', siteCheck(true, '2026-04-09'));
    expect(await timerOf('CH-1', 'verifyOverdue')).toBeUndefined();
    expect((await (await t.as('leader')).get('/api/web/office-overdue').expect(200)).body.items).toEqual([]);
    // Thursday 9 April + 3 working days would be Tuesday 14 April: no second chase, the task is done.
    await d.at(nine('2026-04-20') + HOUR);
    expect(await chases(verify.id)).toEqual(['2026-04-09']);
    expect((await mine('leader')).filter((m) => m.eventKey === `chase-leader:${verify.id}`)).toHaveLength(1);
  });

  it('chases an overdue 安排约谈 and tells the leaders; 约谈纪要 is due after the interview date', async () => {
    const p = await d.problem('CH-2');
    await t.engine.startProcess('interview', {
      businessKey: 'CH-2',
      variables: {
        problemId: p.id,
        problemCode: 'CH-2',
        title: p.title,
        leadUnit: 'HBJ',
        deadline: p.deadline,
        ladderDeadline: p.deadline,
      },
    });
    await d.settle();
    const schedule = await task('CH-2', 'schedule');
    expect(new Date(schedule.due_at!).getTime()).toBe(d.endOf(d.addWorkdays('2026-04-20', 5)));
    const dueOn = d.addWorkdays('2026-04-20', 5);
    const firstChase = d.addWorkdays(dueOn, 1);
    await d.at(nine(firstChase) + HOUR);
    expect(await chases(schedule.id)).toEqual([firstChase]);
    expect((await mine('leader')).filter((m) => m.eventKey === `chase-leader:${schedule.id}`)).toHaveLength(1);
    const listed = (await (await t.as('leader')).get('/api/web/office-overdue').expect(200)).body.items;
    expect(listed).toEqual([expect.objectContaining({ name: '安排约谈', process: 'interview' })]);
    const interviewDate = d.addWorkdays(firstChase, 2);
    await d.complete('CH-2', 'schedule', {
      interviewDate,
      interviewPlace: '市政府第一会议室',
      attendees: ['市环保局局长'],
    });
    const hold = await task('CH-2', 'hold');
    expect(hold.due_spec).toBe(`workdays(5, ${interviewDate})`);
    expect(new Date(hold.due_at!).getTime()).toBe(d.endOf(d.addWorkdays(interviewDate, 5)));
    await d.at(nine(d.addWorkdays(firstChase, 6)) + HOUR);
    expect(await chases(schedule.id)).toEqual([firstChase]);
  });

  it('stops after 5 chases of a task nobody does (chaseTimes), every 3 working days', async () => {
    const sign = await task('CH-3', 'sign');
    const expected = ['2026-03-06'];
    for (let i = 1; i < 5; i++) expected.push(d.addWorkdays(expected[i - 1], 3));
    expect(await chases(sign.id)).toEqual(expected);
    expect(await timerOf('CH-3', 'signOverdue')).toBeUndefined();
  });

  it('moves a pending chase when the calendar or the chase’s settings change, logged, keeping its place in the series', async () => {
    await d.at(nine('2026-06-01'));
    await importFile(t, await problemSheet([problemRow(1, { 编号: 'CH-4', 责任单位: null, 整改时限: '2026-12-31' })]));
    await d.settle();
    const sign = await task('CH-4', 'sign');
    // Signed by Thursday 4 June; chased from Friday 5 June.
    expect(await timerOf('CH-4', 'signOverdue')).toEqual({
      spec: 'overdue(workdays(3, 2026-06-01), 3, 5)',
      expire_at: new Date(nine('2026-06-05')),
    });
    const timerId = async () =>
      (
        await t.db.query(
          `SELECT tm.id FROM engine_timer tm JOIN engine_instance i ON i.id = tm.instance_id
            WHERE i.business_key = 'CH-4' AND tm.activity_id = 'signOverdue'`,
        )
      )[0]?.id as string;

    // Friday 5 June becomes a rest day: the first chase goes to Monday 8 June, the due date stays.
    const y2026 = (await t.http.get('/api/calendar/years/2026').expect(200)).body;
    const first = await timerId();
    await t.http
      .put('/api/calendar/years/2026')
      .send({ holidays: [...y2026.holidays, { date: '2026-06-05', name: '临时调整' }], workdays: y2026.workdays })
      .expect(200);
    expect(await timerOf('CH-4', 'signOverdue')).toMatchObject({ expire_at: new Date(nine('2026-06-08')) });
    expect(new Date((await task('CH-4', 'sign')).due_at!).getTime()).toBe(d.endOf('2026-06-04'));
    const [change] = (await t.http.get('/api/calendar/changes?year=2026').expect(200)).body;
    expect(change.details.moved).toContainEqual(
      expect.objectContaining({
        kind: 'timer',
        id: first,
        activityId: 'signOverdue',
        before: new Date(nine('2026-06-05')).toISOString(),
        after: new Date(nine('2026-06-08')).toISOString(),
      }),
    );
    await d.at(nine('2026-06-05') + HOUR);
    expect(await chases(sign.id)).toEqual([]);
    await d.at(nine('2026-06-08') + HOUR);
    expect(await chases(sign.id)).toEqual(['2026-06-08']);
    // The next chase, 3 working days on, is Thursday 11 June; the office now chases every 2 working days (a new
    // count applies to tasks that fall late afterwards: this series keeps its 5).
    expect(await timerOf('CH-4', 'signOverdue')).toMatchObject({ expire_at: new Date(nine('2026-06-11')) });
    const changed = (await t.http.put('/api/supervision/settings').send({ chaseEvery: 2, chaseTimes: 4 }).expect(200))
      .body;
    expect(changed.recomputed).toMatchObject({ changed: ['chaseEvery', 'chaseTimes'] });
    expect(changed.chaseTimes).toBe(4);
    expect(changed.recomputed.chased).toBeGreaterThanOrEqual(1);
    expect(changed.recomputed.timers).toContainEqual(
      expect.objectContaining({
        problemCode: 'CH-4',
        activityId: 'signOverdue',
        spec: { before: 'overdue(workdays(3, 2026-06-01), 3, 5)', after: 'overdue(workdays(3, 2026-06-01), 2, 5)' },
        expireAt: {
          before: new Date(nine('2026-06-11')).toISOString(),
          after: new Date(nine('2026-06-10')).toISOString(),
        },
      }),
    );
    expect(await timerOf('CH-4', 'signOverdue')).toEqual({
      spec: 'overdue(workdays(3, 2026-06-01), 2, 5)',
      expire_at: new Date(nine('2026-06-10')),
    });
    await d.at(nine('2026-06-10') + HOUR);
    expect(await chases(sign.id)).toEqual(['2026-06-08', '2026-06-10']);
    await d.at(nine('2026-06-22') + HOUR);
    // Every 2 working days from there, 5 in all; no more.
    expect(await chases(sign.id)).toEqual(['2026-06-08', '2026-06-10', '2026-06-12', '2026-06-16', '2026-06-18']);
    expect(await timerOf('CH-4', 'signOverdue')).toBeUndefined();
  });

  it('draws a chase on every task with a due date of its own, on the same due date as the task', () => {
    for (const f of ['rectification', 'signoff', 'interview', 'inspection', 'accountability', 'extension']) {
      const xml = readFileSync(`processes/${f}.bpmn`, 'utf8');
      for (const m of xml.matchAll(/<bpmn:userTask id="(\w+)"[^>]*camunda:dueDate="workdays\(([^"]*)\)"/g)) {
        const [, id, args] = m;
        const boundary = new RegExp(
          `<bpmn:boundaryEvent id="${id}Overdue"[^>]*cancelActivity="false" attachedToRef="${id}">[\\s\\S]*?<bpmn:timeCycle[^>]*>overdue\\(workdays\\(([^)]*)\\), `,
        ).exec(xml);
        expect([f, id, boundary?.[1].replace(/environment\.variables\./g, '')]).toEqual([f, id, args]);
      }
    }
  });
});
