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

describe('durable timers on the service clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.definitions.deploy('test', [{ resource: 'rectify.bpmn', content: reminderProcess }]);
    t.clock.pin(Date.parse('2026-03-02T00:00:00Z'));
  });
  afterAll(() => t.close());

  async function openTasks(instanceId: string): Promise<{ activity_id: string; id: string }[]> {
    return t.db.query(`SELECT id, activity_id FROM engine_task WHERE instance_id = $1 ORDER BY activity_id`, [instanceId]);
  }
  async function historyCount(instanceId: string, activityId: string): Promise<number> {
    const [r] = await t.db.query(`SELECT count(*)::int AS n FROM engine_history WHERE instance_id = $1 AND activity_id = $2 AND ended_at IS NOT NULL`, [instanceId, activityId]);
    return r.n;
  }

  it('fires a P40D boundary timer after the clock moves 41 days, not before', async () => {
    const inst = await t.engine.startProcess('rectify', { businessKey: 'P-1' });
    await t.http.post('/api/admin/clock/add').send({ offsetMilli: 39 * DAY }).expect(200);
    expect((await openTasks(inst.id)).map((x) => x.activity_id)).toEqual(['work']);
    const res = await t.http.post('/api/admin/clock/add').send({ offsetMilli: 2 * DAY }).expect(200);
    expect(res.body.timersFired).toBeGreaterThanOrEqual(1);
    expect((await openTasks(inst.id)).map((x) => x.activity_id)).toEqual(['escalated']);
  });

  it('repeats a non-interrupting reminder while the task stays open, and completing the task cancels its timers', async () => {
    const inst = await t.engine.startProcess('rectify', { businessKey: 'P-2' });
    for (let i = 0; i < 3; i++) await t.http.post('/api/admin/clock/add').send({ offsetMilli: 7 * DAY + 60_000 }).expect(200);
    expect(await historyCount(inst.id, 'reminded')).toBe(3);
    const [task] = await openTasks(inst.id);
    expect(task.activity_id).toBe('work');
    await t.engine.completeTask(task.id, { done: true });
    const timers = await t.db.query(`SELECT * FROM engine_timer WHERE instance_id = $1`, [inst.id]);
    expect(timers).toHaveLength(0);
    expect((await t.engine.getInstance(inst.id)).status).toBe('completed');
  });

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
