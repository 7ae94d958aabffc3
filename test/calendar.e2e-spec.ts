import { CalendarService } from '../src/calendar/calendar.service.js';
import { bpmn, startTestApp, type TestApp } from './support/test-app.js';

/** A rectification task with a due date 2 working days before the deadline and an overdue timer at the deadline's end. */
const deadlineProcess = bpmn(`
  <process id="deadline" name="整改期限" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="rectify"/>
    <userTask id="rectify" name="整改" camunda:dueDate="workdays(-2, \${environment.variables.deadline})"/>
    <boundaryEvent id="late" attachedToRef="rectify">
      <timerEventDefinition><timeDate>workdays(0, \${environment.variables.deadline})</timeDate></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="f2" sourceRef="late" targetRef="overdue"/>
    <userTask id="overdue" name="逾期督办"/>
    <sequenceFlow id="f3" sourceRef="overdue" targetRef="end"/>
    <sequenceFlow id="f4" sourceRef="rectify" targetRef="end"/>
    <endEvent id="end"/>
  </process>`);

const china = (local: string) => Date.parse(`${local}+08:00`);

describe('the working-day calendar', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.definitions.deploy('t', [{ resource: 'x.bpmn', content: deadlineProcess }]);
  });
  afterAll(() => t.close());

  async function tasks(
    instanceId: string,
  ): Promise<{ id: string; activity_id: string; due_at: Date | null; due_spec: string | null }[]> {
    return t.db.query(
      `SELECT id, activity_id, due_at, due_spec FROM engine_task WHERE instance_id = $1 ORDER BY activity_id`,
      [instanceId],
    );
  }
  async function timers(instanceId: string): Promise<{ id: string; spec: string; expire_at: Date }[]> {
    return t.db.query(`SELECT id, spec, expire_at FROM engine_timer WHERE instance_id = $1`, [instanceId]);
  }
  async function clockTo(at: number) {
    const { body } = await t.http.get('/api/admin/clock').expect(200);
    return t.http
      .post('/api/admin/clock/add')
      .send({ offsetMilli: at - body.epochMilli })
      .expect(200);
  }

  it('is seeded from chinese-days for 2004–2026', async () => {
    const { body } = await t.http.get('/api/calendar/years').expect(200);
    expect(body.map((y: any) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(body.every((y: any) => y.source === 'chinese-days')).toBe(true);
    const y2017 = (await t.http.get('/api/calendar/years/2017').expect(200)).body;
    expect(y2017.workdays).toContainEqual({ date: '2017-09-30', name: '国庆节' });
    expect(y2017.holidays.map((d: any) => d.date)).toEqual(expect.arrayContaining(['2017-10-01', '2017-10-08']));
    await t.http.get('/api/calendar/years/2027').expect(404);
  });

  it('counts working days over National Day', async () => {
    const ok = (date: string) => ({ date, provisional: false });
    expect((await t.http.get('/api/calendar/workdays?from=2026-09-25&add=15').expect(200)).body).toEqual(
      ok('2026-10-22'),
    );
    expect((await t.http.get('/api/calendar/workdays?from=2017-09-28&add=3').expect(200)).body).toEqual(
      ok('2017-10-09'),
    );
    expect((await t.http.get('/api/calendar/workdays?from=2017-10-09&add=-3').expect(200)).body).toEqual(
      ok('2017-09-28'),
    );
    expect((await t.http.get('/api/calendar/days/2017-09-30').expect(200)).body).toEqual({
      date: '2017-09-30',
      workday: true,
      kind: 'workday',
      name: '国庆节',
      provisional: false,
    });
  });

  it('answers 422 naming a year it can neither read nor compute by rule, and 422 for a bad query', async () => {
    const res = await t.http.get('/api/calendar/workdays?from=2099-12-20&add=15').expect(422);
    expect(res.body.error).toBe('UNKNOWN_YEAR');
    expect(res.body.message).toMatch(/2100 年没有工作日历/);
    await t.http.get('/api/calendar/workdays?from=tomorrow&add=1').expect(422);
    await t.http.get('/api/calendar/workdays?from=2026-01-05&add=1.5').expect(422);
  });

  it('refuses a year with a date in both lists, outside the year, or a weekday make-up day', async () => {
    const both = await t.http
      .put('/api/calendar/years/2027')
      .send({ holidays: [{ date: '2027-02-06', name: '春节' }], workdays: [{ date: '2027-02-06', name: '春节' }] })
      .expect(422);
    expect(both.body.message).toMatch(/同时列为节假日和调休上班日/);
    await t.http
      .put('/api/calendar/years/2027')
      .send({ holidays: [{ date: '2026-12-31' }], workdays: [] })
      .expect(422);
    await t.http
      .put('/api/calendar/years/2027')
      .send({ holidays: [], workdays: [{ date: '2027-02-08' }] })
      .expect(422);
    await t.http
      .put('/api/calendar/years/2027')
      .send({ holidays: [{ date: 'soon' }], workdays: [] })
      .expect(422);
    await t.http.put('/api/calendar/years/2027').send({ holidays: [], workdays: [], extra: 1 }).expect(422);
    await t.http.get('/api/calendar/years/2027').expect(404);
  });

  it('computes into 2027 once the office adds it', async () => {
    const res = await t.http
      .put('/api/calendar/years/2027')
      .send({ holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [], note: '2027 安排（部分）' })
      .expect(200);
    expect(res.body).toMatchObject({ year: 2027, timersMoved: 0, tasksMoved: 0 });
    expect((await t.http.get('/api/calendar/workdays?from=2026-12-25&add=5').expect(200)).body).toEqual({
      date: '2027-01-04',
      provisional: false,
    });
    const y = (await t.http.get('/api/calendar/years/2027').expect(200)).body;
    expect(y).toMatchObject({
      year: 2027,
      source: 'office',
      note: '2027 安排（部分）',
      holidays: [{ date: '2027-01-01', name: '元旦' }],
      workdays: [],
    });
  });

  it('records an engine error naming the year when a literal reaches a year it cannot compute', async () => {
    await expect(t.engine.startProcess('deadline', { variables: { deadline: '2100-03-01' } })).rejects.toThrow(/2100/);
  });

  describe('a deadline timer', () => {
    let a: string;
    let b: string;

    beforeAll(async () => {
      t.clock.pin(china('2026-11-02T09:00:00'));
      a = (await t.engine.startProcess('deadline', { businessKey: 'A', variables: { deadline: '2026-11-13' } })).id;
      b = (
        await t.engine.startProcess('deadline', {
          businessKey: 'B',
          variables: { deadline: '2026-11-20T10:00:00+08:00' },
        })
      ).id;
    });

    it('resolves the literals at the end of the working day', async () => {
      const [ta] = await timers(a);
      expect(ta.spec).toBe('workdays(0, 2026-11-13)');
      expect(new Date(ta.expire_at).getTime()).toBe(china('2026-11-14T00:00:00'));
      const [task] = await tasks(a);
      expect(task.due_spec).toBe('workdays(-2, 2026-11-13)');
      expect(new Date(task.due_at!).getTime()).toBe(china('2026-11-12T00:00:00')); // end of 11-11
      const [tb] = await timers(b);
      expect(new Date(tb.expire_at).getTime()).toBe(china('2026-11-21T00:00:00'));
    });

    it('moves with a calendar correction, keeping the timer id, and logs the move', async () => {
      const [before] = await timers(b);
      const [taskBefore] = await tasks(b);
      const y2026 = (await t.http.get('/api/calendar/years/2026').expect(200)).body;
      const extra = ['2026-11-19', '2026-11-20', '2026-11-23'].map((date) => ({ date, name: '临时调整' }));
      const res = await t.http
        .put('/api/calendar/years/2026')
        .send({ holidays: [...y2026.holidays, ...extra], workdays: y2026.workdays, note: '更正' })
        .expect(200);
      expect(res.body).toMatchObject({ year: 2026, timersMoved: 1, tasksMoved: 1, skipped: 0 });

      const [after] = await timers(b);
      expect(after.id).toBe(before.id);
      // 11-20 is now a holiday: the next working day is Tue 11-24, over at 11-25 00:00.
      expect(new Date(after.expire_at).getTime()).toBe(china('2026-11-25T00:00:00'));
      const [taskAfter] = await tasks(b);
      expect(taskAfter.id).toBe(taskBefore.id);
      expect(new Date(taskAfter.due_at!).getTime()).toBe(china('2026-11-18T00:00:00')); // 2 working days before 11-20: 11-18, 11-17
      // A's deadline is untouched.
      expect(new Date((await timers(a))[0].expire_at).getTime()).toBe(china('2026-11-14T00:00:00'));

      const changes = (await t.http.get('/api/calendar/changes?year=2026').expect(200)).body;
      expect(changes[0]).toMatchObject({ year: 2026, note: '更正', timersMoved: 1, tasksMoved: 1 });
      expect(changes[0].details.moved).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'timer',
            id: before.id,
            instanceId: b,
            before: '2026-11-20T16:00:00.000Z',
            after: '2026-11-24T16:00:00.000Z',
          }),
          expect.objectContaining({
            kind: 'task',
            id: taskBefore.id,
            instanceId: b,
            before: '2026-11-18T16:00:00.000Z',
            after: '2026-11-17T16:00:00.000Z',
          }),
        ]),
      );
      const years = (await t.http.get('/api/calendar/years').expect(200)).body;
      expect(years.find((y: any) => y.year === 2026).source).toBe('office');
    });

    it('fires only after the deadline day is over', async () => {
      await clockTo(china('2026-11-13T23:59:00'));
      expect((await tasks(a)).map((x) => x.activity_id)).toEqual(['rectify']);
      const res = await t.http
        .post('/api/admin/clock/add')
        .send({ offsetMilli: 2 * 60_000 })
        .expect(200);
      expect(res.body.timersFired).toBeGreaterThanOrEqual(1);
      expect((await tasks(a)).map((x) => x.activity_id)).toEqual(['overdue']);
    });

    it('fires the corrected deadline at its new time, not the old one', async () => {
      await clockTo(china('2026-11-21T00:01:00'));
      expect((await tasks(b)).map((x) => x.activity_id)).toEqual(['rectify']);
      await clockTo(china('2026-11-24T23:59:00'));
      expect((await tasks(b)).map((x) => x.activity_id)).toEqual(['rectify']);
      await clockTo(china('2026-11-25T00:00:30'));
      expect((await tasks(b)).map((x) => x.activity_id)).toEqual(['overdue']);
    });
  });

  describe('after a deadline was moved by hand', () => {
    it('leaves the timer alone and logs it as skipped', async () => {
      const c = (await t.engine.startProcess('deadline', { businessKey: 'C', variables: { deadline: '2026-12-10' } }))
        .id;
      const [timer] = await timers(c);
      expect(new Date(timer.expire_at).getTime()).toBe(china('2026-12-11T00:00:00'));
      const extended = new Date(china('2026-12-16T00:00:00'));
      await t.db.query(`UPDATE engine_timer SET expire_at = $2 WHERE id = $1`, [timer.id, extended]);

      const y2026 = (await t.http.get('/api/calendar/years/2026').expect(200)).body;
      const res = await t.http
        .put('/api/calendar/years/2026')
        .send({ holidays: [...y2026.holidays, { date: '2026-12-10', name: '临时调整' }], workdays: y2026.workdays })
        .expect(200);
      expect(res.body).toMatchObject({ timersMoved: 0, tasksMoved: 0, skipped: 1 });
      expect(new Date((await timers(c))[0].expire_at).getTime()).toBe(extended.getTime());
      const [change] = (await t.http.get('/api/calendar/changes').expect(200)).body;
      expect(change.details.skipped).toEqual([
        expect.objectContaining({
          kind: 'timer',
          id: timer.id,
          instanceId: c,
          reason: expect.stringMatching(/已人工调整/),
        }),
      ]);
    });
  });

  describe('several nodes', () => {
    it('picks up a year another node added when the stamp moves', async () => {
      const calendar = t.app.get(CalendarService);
      expect(await calendar.refresh()).toBe(false);
      expect(calendar.current.knows(2028)).toBe(false);
      // What another node's PUT leaves in the database.
      await t.db.query(
        `INSERT INTO calendar_year (year, source, updated_at, note) VALUES (2028, 'office', now(), 'other node')`,
      );
      await t.db.query(
        `INSERT INTO calendar_day (date, kind, name, year) VALUES ('2028-01-03', 'holiday', '元旦', 2028)`,
      );
      expect(await calendar.refresh()).toBe(true);
      expect(calendar.addWorkdays('2027-12-31', 1)).toBe('2028-01-04');
      expect(calendar.resolveLiteral('workdays(0, 2028-01-03)', 0)).toEqual({ expireAt: china('2028-01-05T00:00:00') });
    });
  });
});
