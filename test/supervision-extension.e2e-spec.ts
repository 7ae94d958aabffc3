import { LaggingService } from '../src/supervision/ladder/lagging.service.js';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const HOUR = 3_600_000;

describe('supervision: settings, 延期申请 (granted and refused), 催报', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await seedUnits(t);
    await t.http.post('/api/persons').send({ name: '张三', unitCode: 'HBJ', role: 'handler' }).expect(201);
    const rows = [
      problemRow(1, { 编号: 'EX-GRANT', 责任单位: null, 整改时限: '2026-03-20' }),
      problemRow(2, { 编号: 'EX-REFUSE', 责任单位: null, 整改时限: '2026-03-20' }),
      problemRow(3, { 编号: 'EX-LAG', 责任单位: null, 整改时限: '2026-06-30' }),
    ];
    await importFile(t, await problemSheet(rows));
    d = supervisionDriver(t);
    await d.settle();
  });
  afterAll(() => t.close());

  it('keeps the thresholds as settings: read by all who read, changed by the office, checked, taken by running ladders too (their timers recomputed)', async () => {
    const leader = await t.as('leader');
    expect((await leader.get('/api/supervision/settings').expect(200)).body).toEqual({
      remindBefore: 5,
      bulletinAfter: 10,
      interviewAfter: 20,
      inspectionAfter: 30,
      accountabilityAfter: 40,
      noticeReplyDays: 5,
      monthlyReplyDays: 10,
      monthlyReportDay: 25,
      noticeDays: 5,
      // Every task's due date and the chase of an overdue task.
      signDays: 3,
      planDays: 10,
      planReviewDays: 5,
      selfCheckDays: 5,
      verifyDays: 10,
      objectionReviewDays: 5,
      recheckDays: 20,
      scheduleDays: 5,
      minutesDays: 5,
      commitmentDays: 5,
      inspectDays: 10,
      investigateDays: 15,
      decideDays: 10,
      extensionReviewDays: 5,
      chaseEvery: 3,
      chaseTimes: 5,
    });
    await leader.put('/api/supervision/settings').send({ remindBefore: 3 }).expect(403);
    const bad = await t.http.put('/api/supervision/settings').send({ remindBefore: 3, interviewAfter: 40 }).expect(422);
    expect(bad.body.fields).toEqual([{ field: 'inspectionAfter', message: expect.stringContaining('逾期约谈') }]);
    await t.http.put('/api/supervision/settings').send({ remindBefore: 'soon' }).expect(422);
    await t.http.put('/api/supervision/settings').send({ colour: 1 }).expect(422);
    expect(await d.ladderTimer('EX-GRANT')).toMatchObject({
      activity_id: 'tReminder',
      spec: 'workdays(-5, 2026-03-20)',
    });
    const changed = (await t.http.put('/api/supervision/settings').send({ remindBefore: 3 }).expect(200)).body;
    expect(changed.remindBefore).toBe(3);
    // The running ladders (EX-GRANT, EX-REFUSE, EX-LAG) recompute their open reminder timer: 3 working days before.
    const remind3 = d.addWorkdays('2026-03-20', -3);
    expect(changed.recomputed).toMatchObject({ changed: ['remindBefore'], ladders: 3 });
    expect(changed.recomputed.timers.find((x: any) => x.problemCode === 'EX-GRANT')).toMatchObject({
      activityId: 'tReminder',
      spec: { before: 'workdays(-5, 2026-03-20)', after: 'workdays(-3, 2026-03-20)' },
      expireAt: { after: new Date(d.endOf(remind3)).toISOString() },
    });
    expect(await d.ladderTimer('EX-GRANT')).toMatchObject({
      spec: 'workdays(-3, 2026-03-20)',
      expire_at: new Date(d.endOf(remind3)),
    });
    expect((await d.ladder('EX-GRANT')).variables).toMatchObject({ remindBefore: 3 });

    await importFile(
      t,
      await problemSheet([problemRow(4, { 编号: 'EX-SET', 责任单位: null, 整改时限: '2026-03-20' })]),
    );
    await d.settle();
    expect((await d.ladder('EX-SET')).variables).toMatchObject({ remindBefore: 3 });
    expect(await d.ladderTimer('EX-SET')).toMatchObject({ spec: 'workdays(-3, 2026-03-20)' });
    await t.http.put('/api/supervision/settings').send({ remindBefore: 5 }).expect(200);
    expect(await d.ladderTimer('EX-GRANT')).toMatchObject({
      spec: 'workdays(-5, 2026-03-20)',
      expire_at: new Date(d.endOf('2026-03-13')),
    });
  });

  it('marks a lagging problem yellow with a 催报 once per period, never lowering red (markLagging)', async () => {
    const lagging = t.app.get(LaggingService);
    const p = await d.problem('EX-LAG');
    const first = await lagging.markLagging(p.id, { reason: '月度进展未报送', period: '2026-02' });
    const again = await lagging.markLagging(p.id, { reason: '月度进展未报送', period: '2026-02' });
    expect(again!.id).toBe(first!.id);
    expect((await d.problem('EX-LAG')).light).toBe('yellow');
    const [urge] = await d.actions('EX-LAG');
    expect(urge).toMatchObject({
      type: 'urge',
      status: 'issued',
      documentNo: '催办〔2026〕1号',
      body: expect.objectContaining({ reason: '月度进展未报送', period: '2026-02' }),
    });
  });

  it('refuses bad extension requests: not after the deadline, beyond the calendar, another unit, a second one pending', async () => {
    await d.toRectifying('EX-GRANT', '2026-03-20');
    await d.toRectifying('EX-REFUSE', '2026-03-20');
    await d.at(d.endOf('2026-03-20') + HOUR);
    for (const code of ['EX-GRANT', 'EX-REFUSE']) {
      expect((await d.problem(code)).light).toBe('red');
      expect((await d.actions(code)).map((a: any) => a.type)).toEqual(['reminder', 'notice']);
    }
    await t.app
      .get(LaggingService)
      .markLagging((await d.problem('EX-REFUSE')).id, { reason: '滞后于序时进度', period: '2026-03' });
    expect((await d.problem('EX-REFUSE')).light).toBe('red');
    const hbj = await t.as('unit', 'HBJ');
    await hbj.post('/api/problems/EX-GRANT/extension').send({ date: '2026-03-19', reason: '设备到货延迟' }).expect(422);
    await hbj.post('/api/problems/EX-GRANT/extension').send({ date: '2026-02-30', reason: '设备到货延迟' }).expect(422);
    const beyond = await hbj
      .post('/api/problems/EX-GRANT/extension')
      .send({ date: '2100-01-15', reason: '设备到货延迟' })
      .expect(422);
    expect(beyond.body.message).toMatch(/2100/);
    await hbj.post('/api/problems/EX-GRANT/extension').send({ date: '2026-04-30' }).expect(422);
    await (
      await t.as('unit', 'SLJ')
    )
      .post('/api/problems/EX-GRANT/extension')
      .send({ date: '2026-04-30', reason: '设备到货延迟' })
      .expect(403);
    await hbj.post('/api/problems/NOPE/extension').send({ date: '2026-04-30', reason: '设备到货延迟' }).expect(403);
    await t.http.post('/api/problems/NOPE/extension').send({ date: '2026-04-30', reason: '设备到货延迟' }).expect(404);
    expect(await d.actions('EX-GRANT', { type: 'extension' })).toEqual([]);
  });

  it('grants an extension in one step: the deadline, the light back to green, the task due date and the ladder timer move, all recorded', async () => {
    const hbj = await t.as('unit', 'HBJ');
    const asked = (
      await hbj
        .post('/api/problems/EX-GRANT/extension')
        .send({ date: '2026-04-30', reason: '净化设备到货延迟' })
        .expect(201)
    ).body;
    expect(asked).toMatchObject({
      type: 'extension',
      status: 'requested',
      documentNo: '延期〔2026〕1号',
      deadline: '2026-04-30',
      body: expect.objectContaining({ before: '2026-03-20', requested: '2026-04-30' }),
    });
    await hbj.post('/api/problems/EX-GRANT/extension').send({ date: '2026-05-30', reason: '再延' }).expect(409);
    const rectify = (await d.tasks('EX-GRANT')).find((x) => x.activity_id === 'rectify')!;
    expect(rectify).toMatchObject({ due_spec: '2026-03-20' });
    const ladderTimerBefore = await d.ladderTimer('EX-GRANT');
    expect(
      (await d.tasks('EX-GRANT'))
        .filter((x) => x.definition_key === 'extension')
        .map((x) => [x.activity_id, x.candidate_groups, x.form_key]),
    ).toEqual([['review', ['office'], 'extension-review']]);

    await expect(d.complete('EX-GRANT', 'review', { approved: 'yes' })).rejects.toMatchObject({ status: 422 });
    // The office decides in its inbox.
    const office = await t.as('office');
    const review = (await d.tasks('EX-GRANT')).find((x) => x.activity_id === 'review')!;
    const form = (await office.get(`/api/tasks/${review.id}`).expect(200)).body;
    expect(JSON.stringify(form)).toContain('同意延期');
    await office.post(`/api/tasks/${review.id}/complete`).send({ approved: 'yes' }).expect(422);
    await hbj.post(`/api/tasks/${review.id}/complete`).send({ approved: true }).expect(403);
    await office
      .post(`/api/tasks/${review.id}/complete`)
      .send({ approved: true, reviewComments: '同意延期，务必按期完成' })
      .expect(200);
    await d.settle();

    const p = await d.problem('EX-GRANT');
    expect(p).toMatchObject({ deadline: '2026-04-30', light: 'green', status: 'rectifying' });
    expect(p.tasks.find((x: any) => x.activityId === 'rectify').dueAt).toBe('2026-04-30T15:59:59.000Z');
    const remindOn = d.addWorkdays('2026-04-30', -5);
    const [granted] = await d.actions('EX-GRANT', { type: 'extension' });
    expect(granted).toMatchObject({
      id: asked.id,
      status: 'granted',
      deadline: '2026-04-30',
      closedAt: expect.any(String),
    });
    expect(granted.body).toMatchObject({
      before: '2026-03-20',
      after: '2026-04-30',
      reviewComments: '同意延期，务必按期完成',
      reviewer: expect.stringMatching(/^t-office/),
      tasksMoved: [
        expect.objectContaining({
          taskId: rectify.id,
          activityId: 'rectify',
          dueSpec: { before: '2026-03-20', after: '2026-04-30' },
          dueAt: { before: '2026-03-20T15:59:59.000Z', after: '2026-04-30T15:59:59.000Z' },
        }),
      ],
      timersMoved: [
        expect.objectContaining({
          activityId: 'tBulletin',
          spec: { before: 'workdays(10, 2026-03-20)', after: 'workdays(10, 2026-04-30)' },
          expireAt: { before: new Date(ladderTimerBefore.expire_at).toISOString(), after: expect.any(String) },
        }),
      ],
    });
    expect(granted.body.instancesUpdated).toHaveLength(2); // the rectification process and the ladder
    // The ladder heard 期限变更 and starts over: it waits for the new deadline's reminder.
    const ladder = await d.ladder('EX-GRANT');
    expect(ladder.variables).toMatchObject({ deadline: '2026-04-30' });
    const timer = await d.ladderTimer('EX-GRANT');
    expect(timer).toMatchObject({ activity_id: 'tReminder', spec: 'workdays(-5, 2026-04-30)' });
    expect(new Date(timer.expire_at).getTime()).toBe(d.endOf(remindOn));
    const heard = await t.db.query(
      `SELECT count(*)::int AS n FROM engine_history WHERE instance_id = $1 AND activity_id = 'bChanged' AND ended_at IS NOT NULL AND NOT canceled`,
      [ladder.id],
    );
    expect(heard[0].n).toBe(1);
    const [rect] = await t.db.query(`SELECT variables FROM engine_instance WHERE id = $1`, [p.processInstanceId]);
    expect(rect.variables.deadline).toBe('2026-04-30');

    // The ladder starts over from the new deadline.
    await d.at(d.endOf(remindOn) + HOUR);
    const reminders = (await d.actions('EX-GRANT', { type: 'reminder' })).map((a: any) => a.body.ladderDeadline);
    expect(reminders).toEqual(['2026-03-20', '2026-04-30']);
    expect((await d.problem('EX-GRANT')).light).toBe('blue');
  });

  it('refuses an extension: recorded, nothing moves', async () => {
    const before = {
      problem: await d.problem('EX-REFUSE'),
      timer: await d.ladderTimer('EX-REFUSE'),
      tasks: await d.tasks('EX-REFUSE'),
    };
    const asked = (
      await t.http
        .post('/api/problems/EX-REFUSE/extension')
        .send({ date: '2026-06-30', reason: '资金未到位' })
        .expect(201)
    ).body;
    await d.complete('EX-REFUSE', 'review', { approved: false, reviewComments: '理由不充分，按原期限整改' });
    const [refused] = await d.actions('EX-REFUSE', { type: 'extension' });
    expect(refused).toMatchObject({
      id: asked.id,
      status: 'refused',
      deadline: '2026-06-30',
      body: expect.objectContaining({
        before: before.problem.deadline,
        requested: '2026-06-30',
        reviewComments: '理由不充分，按原期限整改',
      }),
    });
    expect(refused.body.after).toBeUndefined();
    const after = await d.problem('EX-REFUSE');
    expect(after).toMatchObject({ deadline: before.problem.deadline, light: before.problem.light });
    const rectify = (x: any[]) =>
      x
        .filter((k) => k.definition_key === 'rectification')
        .map((k) => [k.id, k.due_spec, new Date(k.due_at).getTime()]);
    expect(rectify(await d.tasks('EX-REFUSE'))).toEqual(rectify(before.tasks));
    const ladder = await d.ladder('EX-REFUSE');
    expect(ladder.variables.deadline).toBe('2026-03-20');
    const heard = await t.db.query(
      `SELECT count(*)::int AS n FROM engine_history WHERE instance_id = $1 AND activity_id = 'bChanged' AND ended_at IS NOT NULL AND NOT canceled`,
      [ladder.id],
    );
    expect(heard[0].n).toBe(0);
  });

  it('ends the ladder when the problem is signed off during its interview: the commitment counts as kept, no further rung', async () => {
    expect((await d.actions('EX-REFUSE', { type: 'interview' }))[0]).toMatchObject({ status: 'scheduling' });
    await d.complete('EX-REFUSE', 'schedule', {
      interviewDate: '2026-04-27T09:30:00+08:00',
      interviewPlace: '市政府2楼会议室',
      attendees: ['市环保局局长'],
    });
    await d.complete('EX-REFUSE', 'hold', { minutes: '限期整改' });
    await d.complete('EX-REFUSE', 'commit', { commitment: '5月底前完成', commitmentDeadline: '2026-05-29' });
    await d.signOff('EX-REFUSE');
    expect((await d.problem('EX-REFUSE')).status).toBe('closed');
    expect((await d.actions('EX-REFUSE', { type: 'interview' }))[0]).toMatchObject({
      status: 'kept',
      body: expect.objectContaining({ keptBy: 'signOff' }),
    });
    const ladder = await d.ladder('EX-REFUSE');
    expect(ladder).toMatchObject({ status: 'completed' });
    const ends = await t.db.query(
      `SELECT activity_id FROM engine_history WHERE instance_id = $1 AND activity_id IN ('bSigned', 'endClosed') ORDER BY activity_id`,
      [ladder.id],
    );
    expect(ends.map((e: any) => e.activity_id)).toEqual(['bSigned', 'endClosed']);
    await d.at(d.endOf(d.addWorkdays('2026-03-20', 30)) + HOUR);
    expect(await d.actions('EX-REFUSE', { type: 'inspection' })).toEqual([]);
  });

  it('shows a unit only the actions addressed to it', async () => {
    const slj = await t.as('unit', 'SLJ');
    expect((await slj.get('/api/supervision/actions').expect(200)).body.total).toBe(0);
    const hbj = await t.as('unit', 'HBJ');
    const mine = (await hbj.get('/api/supervision/actions').query({ unit: 'SLJ' }).expect(200)).body;
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((a: any) => a.unitCode === 'HBJ')).toBe(true);
    await hbj.get(`/api/supervision/actions/${mine.items[0].id}`).expect(403);
    await (await t.as('inspector')).get(`/api/supervision/actions/${mine.items[0].id}`).expect(200);
  });
});
