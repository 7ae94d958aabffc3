import { ClockWalker } from '../src/engine/timers/clock-walker.js';
import { DAY, bpmn, startTestApp, type TestApp } from './support/test-app.js';

const reminderProcess = bpmn(`
  <process id="rectify" name="整改" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <userTask id="work" name="整改" camunda:candidateGroups="HBJ"/>
    <boundaryEvent id="late" attachedToRef="work"><timerEventDefinition><timeDuration>P40D</timeDuration></timerEventDefinition></boundaryEvent>
    <boundaryEvent id="remind" attachedToRef="work" cancelActivity="false"><timerEventDefinition><timeCycle>R/P7D</timeCycle></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="remind" targetRef="reminded"/><endEvent id="reminded" name="已提醒"/>
    <sequenceFlow id="f3" sourceRef="late" targetRef="escalated"/><userTask id="escalated" name="督办"/>
    <sequenceFlow id="f4" sourceRef="escalated" targetRef="end"/>
    <sequenceFlow id="f5" sourceRef="work" targetRef="end"/><endEvent id="end"/>
  </process>`);

// Three reminders an hour apart while the task is open; and another process's timer due between the first two.
const hourlyProcess = bpmn(
  `<process id="hourly" isExecutable="true">
    <startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <userTask id="work" name="整改"/>
    <boundaryEvent id="remind" attachedToRef="work" cancelActivity="false">
      <timerEventDefinition><timeCycle>R3/PT1H</timeCycle></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="f2" sourceRef="remind" targetRef="reminded"/><endEvent id="reminded" name="已提醒"/>
    <sequenceFlow id="f3" sourceRef="work" targetRef="end"/><endEvent id="end"/>
  </process>`,
  'hourly-defs',
);
const halfPastProcess = bpmn(
  `<process id="halfPast" isExecutable="true">
    <startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <intermediateCatchEvent id="wait">
      <timerEventDefinition><timeDuration>PT90M</timeDuration></timerEventDefinition>
    </intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="after"/><userTask id="after" name="九十分钟后"/>
  </process>`,
  'half-past-defs',
);

describe('durable timers on the service clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.definitions.deploy('test', [
      { resource: 'rectify.bpmn', content: reminderProcess },
      { resource: 'hourly.bpmn', content: hourlyProcess },
      { resource: 'half-past.bpmn', content: halfPastProcess },
    ]);
    t.clock.pin(Date.parse('2026-03-02T00:00:00Z'));
  });
  afterAll(() => t.close());

  async function openTasks(instanceId: string): Promise<{ activity_id: string; id: string }[]> {
    return t.db.query(`SELECT id, activity_id FROM engine_task WHERE instance_id = $1 ORDER BY activity_id`, [
      instanceId,
    ]);
  }
  async function historyCount(instanceId: string, activityId: string): Promise<number> {
    const [r] = await t.db.query(
      `SELECT count(*)::int AS n FROM engine_history WHERE instance_id = $1 AND activity_id = $2 AND ended_at IS NOT NULL`,
      [instanceId, activityId],
    );
    return r.n;
  }

  it('fires a P40D boundary timer after the clock moves 41 days, not before', async () => {
    const inst = await t.engine.startProcess('rectify', { businessKey: 'P-1' });
    await t.http
      .post('/api/admin/clock/add')
      .send({ offsetMilli: 39 * DAY })
      .expect(200);
    expect((await openTasks(inst.id)).map((x) => x.activity_id)).toEqual(['work']);
    const res = await t.http
      .post('/api/admin/clock/add')
      .send({ offsetMilli: 2 * DAY })
      .expect(200);
    expect(res.body.timersFired).toBeGreaterThanOrEqual(1);
    expect((await openTasks(inst.id)).map((x) => x.activity_id)).toEqual(['escalated']);
  });

  it('repeats a non-interrupting reminder while the task stays open, and completing the task cancels its timers', async () => {
    const inst = await t.engine.startProcess('rectify', { businessKey: 'P-2' });
    for (let i = 0; i < 3; i++)
      await t.http
        .post('/api/admin/clock/add')
        .send({ offsetMilli: 7 * DAY + 60_000 })
        .expect(200);
    expect(await historyCount(inst.id, 'reminded')).toBe(3);
    const [task] = await openTasks(inst.id);
    expect(task.activity_id).toBe('work');
    await t.engine.completeTask(task.id, { done: true });
    const timers = await t.db.query(`SELECT * FROM engine_timer WHERE instance_id = $1`, [inst.id]);
    expect(timers).toHaveLength(0);
    expect((await t.engine.getInstance(inst.id)).status).toBe('completed');
  });

  it('a clock moved 41 days at once fires an R3/PT1H reminder three times, each at its hour, among other timers', async () => {
    const t0 = t.clock.now();
    const hourly = await t.engine.startProcess('hourly', { businessKey: 'H-1' });
    const halfPast = await t.engine.startProcess('halfPast', { businessKey: 'H-2' });
    const res = await t.http
      .post('/api/admin/clock/add')
      .send({ offsetMilli: 41 * DAY })
      .expect(200);
    expect(res.body).toMatchObject({ epochMilli: t0 + 41 * DAY, jumped: false });
    expect(res.body.timersFired).toBeGreaterThanOrEqual(4);
    const fired: { activity_id: string; at: Date }[] = await t.db.query(
      `SELECT activity_id, started_at AS at FROM engine_history
       WHERE instance_id = ANY($1::uuid[]) AND activity_id IN ('reminded', 'after') ORDER BY started_at, activity_id`,
      [[hourly.id, halfPast.id]],
    );
    const HOUR = 3_600_000;
    expect(fired.map((f) => [f.activity_id, (new Date(f.at).getTime() - t0) / HOUR])).toEqual([
      ['reminded', 1],
      ['after', 1.5],
      ['reminded', 2],
      ['reminded', 3],
    ]);
    // The cycle is spent; the task is still open.
    expect(await t.db.query(`SELECT 1 FROM engine_timer WHERE instance_id = $1`, [hourly.id])).toEqual([]);
    expect((await openTasks(hourly.id)).map((x) => x.activity_id)).toEqual(['work']);
  });

  it('a clock pinned ahead walks the same way', async () => {
    const t0 = t.clock.now();
    const hourly = await t.engine.startProcess('hourly', { businessKey: 'H-3' });
    await t.http
      .post('/api/admin/clock/pin')
      .send({ epochMilli: t0 + 10 * DAY })
      .expect(200);
    expect(await historyCount(hourly.id, 'reminded')).toBe(3);
    expect(t.clock.now()).toBe(t0 + 10 * DAY);
  });

  it('a cycle with a start date fires at its own occurrences; fired late, it does not replay the missed ones', async () => {
    const t0 = t.clock.now();
    const HOUR = 3_600_000;
    const dated = (from: number) =>
      hourlyProcess.replace('R3/PT1H', `R3/${new Date(from).toISOString()}/PT1H`).replace('id="hourly"', 'id="dated"');
    await t.definitions.deploy('dated', [{ resource: 'dated.bpmn', content: dated(t0 + HOUR / 2) }]);
    const onTime = await t.engine.startProcess('dated', { businessKey: 'D-1' });
    await t.http.post('/api/admin/clock/add').send({ offsetMilli: DAY }).expect(200);
    const at: { at: Date }[] = await t.db.query(
      `SELECT started_at AS at FROM engine_history WHERE instance_id = $1 AND activity_id = 'reminded' ORDER BY started_at`,
      [onTime.id],
    );
    expect(at.map((r) => (new Date(r.at).getTime() - t0) / HOUR)).toEqual([0.5, 1.5, 2.5]);
    // Started again, its three occurrences lie in the past: it fires once, now, and stops.
    const late = await t.engine.startProcess('dated', { businessKey: 'D-2' });
    await t.http.post('/api/admin/clock/add').send({ offsetMilli: 60_000 }).expect(200);
    expect(await historyCount(late.id, 'reminded')).toBe(1);
    expect(await t.db.query(`SELECT 1 FROM engine_timer WHERE instance_id = $1`, [late.id])).toEqual([]);
    // Its first occurrence delivered a day late (a node down, not the walk): one firing for the three.
    const t1 = t.clock.now();
    await t.definitions.deploy('dated', [{ resource: 'dated.bpmn', content: dated(t1 + HOUR / 2) }]);
    const down = await t.engine.startProcess('dated', { businessKey: 'D-3' });
    await t.app.get(ClockWalker).advanceTo(t1 + DAY, 0);
    expect(await historyCount(down.id, 'reminded')).toBe(1);
    expect(await t.db.query(`SELECT 1 FROM engine_timer WHERE instance_id = $1`, [down.id])).toEqual([]);
  });

  it('a walk out of stops makes the rest of the way one jump, and says so', async () => {
    const t0 = t.clock.now();
    const hourly = await t.engine.startProcess('hourly', { businessKey: 'H-4' });
    const walk = await t.app.get(ClockWalker).advanceTo(t0 + DAY, 1);
    expect(walk).toMatchObject({ epochMilli: t0 + DAY, stops: 1, jumped: true });
    // One reminder at its hour, then the jump: the next one fires late, once, and the last counts from then.
    expect(await historyCount(hourly.id, 'reminded')).toBe(2);
    const [left] = await t.db.query(`SELECT repeat, expire_at FROM engine_timer WHERE instance_id = $1`, [hourly.id]);
    expect({ repeat: left.repeat, at: new Date(left.expire_at).getTime() }).toEqual({
      repeat: 1,
      at: t0 + DAY + 3_600_000,
    });
  });

  // A reminder cycle and an interrupting deadline on one task (alone, or one per unit): the deadline cancels the
  // task and every timer of it, also when the reminder, restarted after its first firing, resumes after the task.
  const deadlineProcess = (id: string, deadline: string, perUnit: boolean) =>
    bpmn(
      `<process id="${id}" isExecutable="true">
        <startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
        <userTask id="work" name="整改">${
          perUnit
            ? '<multiInstanceLoopCharacteristics camunda:collection="${environment.variables.units}" camunda:elementVariable="unit"/>'
            : ''
        }</userTask>
        <boundaryEvent id="remind" attachedToRef="work" cancelActivity="false">
          <timerEventDefinition><timeCycle>R3/PT1H</timeCycle></timerEventDefinition>
        </boundaryEvent>
        <sequenceFlow id="f2" sourceRef="remind" targetRef="reminded"/><endEvent id="reminded" name="已提醒"/>
        <boundaryEvent id="late" attachedToRef="work">
          <timerEventDefinition><timeDuration>${deadline}</timeDuration></timerEventDefinition>
        </boundaryEvent>
        <sequenceFlow id="f3" sourceRef="late" targetRef="escalated"/><userTask id="escalated" name="督办"/>
        <sequenceFlow id="f4" sourceRef="work" targetRef="end"/><sequenceFlow id="f5" sourceRef="escalated" targetRef="end"/>
        <endEvent id="end"/>
      </process>`,
      `${id}-defs`,
    );

  it.each([
    ['one task, after the reminder fired once', false, 'PT90M', 1],
    ['one task, before the reminder fired', false, 'PT30M', 0],
    ['a task per unit, after the reminder fired once', true, 'PT90M', 1],
    ['a task per unit, before the reminder fired', true, 'PT30M', 0],
  ])(
    'an interrupting deadline cancels the task with its reminder cycle: %s',
    async (_, perUnit, deadline, reminders) => {
      const HOUR = 3_600_000;
      const key = `deadline${perUnit ? 'Units' : 'One'}${reminders}`;
      await t.definitions.deploy(key, [{ resource: `${key}.bpmn`, content: deadlineProcess(key, deadline, perUnit) }]);
      const inst = await t.engine.startProcess(key, { businessKey: key, variables: { units: ['HBJ', 'SLJ'] } });
      const timersOf = async () =>
        (
          await t.db.query(`SELECT activity_id FROM engine_timer WHERE instance_id = $1 ORDER BY activity_id`, [
            inst.id,
          ])
        ).map((r: { activity_id: string }) => r.activity_id);
      const tasks = perUnit ? ['work', 'work'] : ['work'];
      expect((await openTasks(inst.id)).map((x) => x.activity_id)).toEqual(tasks);
      expect(await timersOf()).toEqual(['late', 'remind']);
      if (reminders) {
        await t.http
          .post('/api/admin/clock/add')
          .send({ offsetMilli: HOUR + 60_000 })
          .expect(200);
        expect(await historyCount(inst.id, 'reminded')).toBe(1);
        expect((await openTasks(inst.id)).map((x) => x.activity_id)).toEqual(tasks);
        expect(await timersOf()).toEqual(['late', 'remind']);
      }
      await t.http.post('/api/admin/clock/add').send({ offsetMilli: HOUR }).expect(200);
      expect((await openTasks(inst.id)).map((x) => x.activity_id)).toEqual(['escalated']);
      expect(await historyCount(inst.id, 'late')).toBe(1);
      expect(await historyCount(inst.id, 'reminded')).toBe(reminders);
      expect(await timersOf()).toEqual([]);
      const open = await t.db.query(
        `SELECT activity_id FROM engine_history WHERE instance_id = $1 AND ended_at IS NULL`,
        [inst.id],
      );
      expect(open.map((r: { activity_id: string }) => r.activity_id)).toEqual(['escalated']);
      // Nothing of the cancelled task is left to fire.
      await t.http.post('/api/admin/clock/add').send({ offsetMilli: DAY }).expect(200);
      expect(await historyCount(inst.id, 'reminded')).toBe(reminders);
      expect((await openTasks(inst.id)).map((x) => x.activity_id)).toEqual(['escalated']);
      expect(await timersOf()).toEqual([]);
    },
  );

  it('answers a second completion of the same task with a 409', async () => {
    const inst = await t.engine.startProcess('rectify', { businessKey: 'P-3' });
    const [task] = await openTasks(inst.id);
    const results = await Promise.allSettled([t.engine.completeTask(task.id), t.engine.completeTask(task.id)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect([404, 409]).toContain(refused[0].reason.status);
  });

  it('refuses to pin the clock with a bad body', async () => {
    const res = await t.http.post('/api/admin/clock/pin').send({ epochMilli: 'soon' }).expect(422);
    expect(res.body.fields[0].field).toBe('epochMilli');
  });
});
