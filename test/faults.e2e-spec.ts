import { HandlerRegistry } from '../src/engine/handler-registry.js';
import { StepService } from '../src/engine/step.service.js';
import { DAY, bpmn, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Faults of delivery on the service clock, in one process: a timer delivered twice at once, late ones out
 * of order, one too early, the clock jumping months over many timers; and an instance whose service task
 * always fails, among others that must not notice it.
 */
const fanProcess = bpmn(
  `<process id="fan" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f0" sourceRef="start" targetRef="fork"/>
    <parallelGateway id="fork"/>
    <sequenceFlow id="f1" sourceRef="fork" targetRef="t1"/>
    <sequenceFlow id="f2" sourceRef="fork" targetRef="t10"/>
    <intermediateCatchEvent id="t1"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <intermediateCatchEvent id="t10"><timerEventDefinition><timeDuration>P10D</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="g1" sourceRef="t1" targetRef="u1"/><userTask id="u1" name="一天后"/>
    <sequenceFlow id="g2" sourceRef="t10" targetRef="u10"/><userTask id="u10" name="十天后"/>
  </process>`,
  'fan-defs',
);

// A rectification task: a non-interrupting reminder after 5 days, escalation (the task cancelled) after 30.
const ladderProcess = bpmn(
  `<process id="ladder" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <userTask id="work" name="整改"/>
    <boundaryEvent id="late" attachedToRef="work"><timerEventDefinition><timeDuration>P30D</timeDuration></timerEventDefinition></boundaryEvent>
    <boundaryEvent id="remind" attachedToRef="work" cancelActivity="false"><timerEventDefinition><timeDuration>P5D</timeDuration></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="remind" targetRef="reminded"/><endEvent id="reminded" name="已提醒"/>
    <sequenceFlow id="f3" sourceRef="late" targetRef="escalated"/><userTask id="escalated" name="督办"/>
    <sequenceFlow id="f4" sourceRef="work" targetRef="done"/><endEvent id="done"/>
  </process>`,
  'ladder-defs',
);

const poisonProcess = bpmn(
  `<process id="poison" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="notify"/>
    <serviceTask id="notify" name="通知" implementation="\${environment.services.unreliableUpstream}"/>
    <sequenceFlow id="f2" sourceRef="notify" targetRef="after"/>
    <userTask id="after" name="通知后"/>
  </process>`,
  'poison-defs',
);

const neighbourProcess = bpmn(
  `<process id="neighbour" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <userTask id="review" name="签收" camunda:formKey="sign" camunda:candidateGroups="office"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="wait"/>
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>P2D</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f3" sourceRef="wait" targetRef="after"/>
    <userTask id="after" name="两天后"/>
  </process>`,
  'neighbour-defs',
);

describe('faults of delivery and a poisoned instance', () => {
  let t: TestApp;
  let upstreamDown = true;
  const created: { instanceId: string; activityId: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(HandlerRegistry).register('unreliableUpstream', () => {
      if (upstreamDown) throw new Error('upstream refused the connection');
      return { notified: true };
    });
    // The order in which steps open tasks, as the domain modules see it.
    t.app.get(StepService).onStep((e) => {
      if (e.type === 'task.created')
        created.push({ instanceId: e.instanceId, activityId: String(e.payload.activityId) });
    });
    await t.definitions.deploy('faults', [
      { resource: 'fan.bpmn', content: fanProcess },
      { resource: 'ladder.bpmn', content: ladderProcess },
      { resource: 'poison.bpmn', content: poisonProcess },
      { resource: 'neighbour.bpmn', content: neighbourProcess },
    ]);
    t.clock.pin(Date.parse('2026-03-02T00:00:00Z'));
  });
  afterAll(() => t.close());

  const timersOf = (instanceId: string): Promise<{ id: string; activity_id: string; expire_at: Date }[]> =>
    t.db.query(`SELECT id, activity_id, expire_at FROM engine_timer WHERE instance_id = $1 ORDER BY expire_at`, [
      instanceId,
    ]);
  const tasksOf = async (instanceId: string): Promise<string[]> =>
    (
      await t.db.query(`SELECT activity_id FROM engine_task WHERE instance_id = $1 ORDER BY activity_id`, [instanceId])
    ).map((r: any) => r.activity_id);
  const ended = async (instanceId: string, activityId: string): Promise<{ n: number; canceled: number }> =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE canceled)::int AS canceled FROM engine_history WHERE instance_id = $1 AND activity_id = $2 AND ended_at IS NOT NULL`,
        [instanceId, activityId],
      )
    )[0];
  const version = async (instanceId: string): Promise<number> => (await t.engine.getInstance(instanceId)).version;

  it('a timer delivered several times at once fires once', async () => {
    const inst = await t.engine.startProcess('fan', { businessKey: 'DUP-1' });
    const [t1] = await timersOf(inst.id);
    t.clock.add(DAY + 60_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => t.engine.fireTimer(t1.id, inst.id)));
    // Any other delivery (the service's own driver) may have been first: then every one of these found it gone.
    expect(results.filter((r) => r === 'fired').length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r !== 'fired' && r !== 'gone')).toEqual([]);
    expect(await version(inst.id)).toBe(2);
    expect(await ended(inst.id, 't1')).toEqual({ n: 1, canceled: 0 });
    expect(await tasksOf(inst.id)).toEqual(['u1']);
    expect((await timersOf(inst.id)).map((x) => x.activity_id)).toEqual(['t10']);
    // Delivered again later: nothing more happens.
    expect(await t.engine.fireTimer(t1.id, inst.id)).toBe('gone');
    expect(await version(inst.id)).toBe(2);
  });

  it('a timer delivered too early is kept for its time, and then fires once', async () => {
    const inst = await t.engine.startProcess('fan', { businessKey: 'EARLY-1' });
    const [t1] = await timersOf(inst.id);
    t.clock.add(DAY / 2);
    expect(await t.engine.fireTimer(t1.id, inst.id)).toBe('early');
    expect(await version(inst.id)).toBe(1);
    expect(await tasksOf(inst.id)).toEqual([]);
    expect((await timersOf(inst.id)).map((x) => x.id)).toContain(t1.id);
    const res = await t.http
      .post('/api/admin/clock/add')
      .send({ offsetMilli: DAY / 2 + 60_000 })
      .expect(200);
    expect(res.body.timersFired).toBeGreaterThanOrEqual(1);
    expect(await tasksOf(inst.id)).toEqual(['u1']);
    expect(await ended(inst.id, 't1')).toEqual({ n: 1, canceled: 0 });
    expect(await version(inst.id)).toBe(2);
  });

  it('timers delivered out of order, the later first, each fire once', async () => {
    const inst = await t.engine.startProcess('fan', { businessKey: 'ORDER-1' });
    const [t1, t10] = await timersOf(inst.id);
    expect([t1.activity_id, t10.activity_id]).toEqual(['t1', 't10']);
    t.clock.add(11 * DAY);
    const later = await t.engine.fireTimer(t10.id, inst.id);
    const earlier = await t.engine.fireTimer(t1.id, inst.id);
    expect([later, earlier].filter((r) => r === 'fired').length).toBeGreaterThanOrEqual(1);
    expect(await tasksOf(inst.id)).toEqual(['u1', 'u10']);
    expect(await ended(inst.id, 't1')).toEqual({ n: 1, canceled: 0 });
    expect(await ended(inst.id, 't10')).toEqual({ n: 1, canceled: 0 });
    expect(await timersOf(inst.id)).toEqual([]);
    expect(await version(inst.id)).toBeLessThanOrEqual(3);
    // Both delivered again: nothing more.
    expect(await t.engine.fireTimer(t10.id, inst.id)).toBe('gone');
    expect(await t.engine.fireTimer(t1.id, inst.id)).toBe('gone');
  });

  it('the clock jumping three months over many pending timers fires each once, in due order per instance', async () => {
    const N = 40;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) ids.push((await t.engine.startProcess('ladder', { businessKey: `JUMP-${i}` })).id);
    created.length = 0;
    // Answered once everything due has fired (by this call, or by the service's own timer loop meanwhile).
    await t.http
      .post('/api/admin/clock/add')
      .send({ offsetMilli: 90 * DAY })
      .expect(200);
    const [pending] = await t.db.query(
      `SELECT count(*)::int AS n FROM engine_timer WHERE instance_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(pending.n).toBe(0);
    for (const id of ids) {
      // The reminder (day 5) came before the escalation (day 30) that ended the task: both happened, once.
      expect(await ended(id, 'remind')).toEqual({ n: 1, canceled: 0 });
      expect(await ended(id, 'reminded')).toEqual({ n: 1, canceled: 0 });
      expect(await ended(id, 'late')).toEqual({ n: 1, canceled: 0 });
      expect(await ended(id, 'work')).toMatchObject({ n: 1 });
      expect(await tasksOf(id)).toEqual(['escalated']);
      expect(created.filter((c) => c.instanceId === id).map((c) => c.activityId)).toEqual(['escalated']);
    }
  });

  it('an instance whose service task always fails gets one incident, holds up no other instance, fails again cleanly on retry, and goes on once the cause is gone', async () => {
    const poisoned = await t.engine.startProcess('poison', { businessKey: 'POISON-1' });
    const openIncidents = () =>
      t.db.query(
        `SELECT id, activity_id, message FROM engine_incident WHERE instance_id = $1 AND resolved_at IS NULL`,
        [poisoned.id],
      );
    const deadline = Date.now() + 20_000;
    while (!(await openIncidents()).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const [incident] = await openIncidents();
    expect(incident).toMatchObject({ activity_id: 'notify' });
    expect(incident.message).toMatch(/upstream refused the connection/);
    const stuckAt = await version(poisoned.id);

    // The neighbours: tasks completed through the inbox in normal time, their timers fire when due.
    const neighbours: string[] = [];
    for (let i = 0; i < 20; i++)
      neighbours.push((await t.engine.startProcess('neighbour', { businessKey: `NB-${i}` })).id);
    const office = await t.as('office');
    for (const id of neighbours) {
      const [task] = await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [id]);
      const t0 = Date.now();
      await office.post(`/api/tasks/${task.id}/complete`).send({ note: '收到' }).expect(200);
      expect(Date.now() - t0).toBeLessThan(5_000);
    }
    await t.http
      .post('/api/admin/clock/add')
      .send({ offsetMilli: 2 * DAY + 60_000 })
      .expect(200);
    for (const id of neighbours) expect(await tasksOf(id)).toEqual(['after']);

    // Retried while the cause is still there: the same incident, its message renewed, the instance where it was.
    const jobs = await t.http.get('/engine-rest/job').query({ processInstanceId: poisoned.id }).expect(200);
    expect(jobs.body).toEqual([
      expect.objectContaining({
        id: incident.id,
        retries: 0,
        exceptionMessage: expect.stringMatching(/upstream refused/),
      }),
    ]);
    for (let i = 0; i < 3; i++)
      await t.http.put(`/engine-rest/job/${incident.id}/retries`).send({ retries: 1 }).expect(204);
    expect(await openIncidents()).toEqual([expect.objectContaining({ id: incident.id })]);
    const [{ n: incidents }] = await t.db.query(
      `SELECT count(*)::int AS n FROM engine_incident WHERE instance_id = $1`,
      [poisoned.id],
    );
    expect(incidents).toBe(1);
    expect(await version(poisoned.id)).toBe(stuckAt);
    expect(await tasksOf(poisoned.id)).toEqual([]);

    // The cause gone, a retry clears the incident and the instance goes on.
    upstreamDown = false;
    await t.http.put(`/engine-rest/job/${incident.id}/retries`).send({ retries: 1 }).expect(204);
    expect(await openIncidents()).toEqual([]);
    expect(await tasksOf(poisoned.id)).toEqual(['after']);
    expect((await t.engine.getInstance(poisoned.id)).variables).toMatchObject({ notified: true });
    expect(await ended(poisoned.id, 'notify')).toEqual({ n: 1, canceled: 0 });
  });
});
