import TestAgent from 'supertest/lib/agent.js';
import { bpmn, emptyDir, freshDatabaseEnv, realServers, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Timer values that never finish (`R/PT0S` made the date library loop forever and froze the node), sent as an
 * attacker sends them: in a deployed file, through a variable at run time, and as a row already pending when a
 * node boots. Each is refused or becomes an incident naming the value, and /health keeps answering.
 */
const HOUR = 3_600_000;
const BAD_CYCLES = ['R/PT0S', 'R/PT1S', 'R100000/PT1H', 'R0/PT1H'];
const BAD_DURATIONS = ['PT0S', '-PT1H', 'PT-1H', 'PT1S', 'P999999999Y'];

/** A task `work` with a reminder cycle beside it (non-interrupting), or a wait of `duration` before it. */
const withCycle = (key: string, cycle: string) =>
  bpmn(`<process id="${key}" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="work"/>
    <userTask id="work" name="整改"/>
    <boundaryEvent id="remind" attachedToRef="work" cancelActivity="false">
      <timerEventDefinition><timeCycle>${cycle}</timeCycle></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="f2" sourceRef="remind" targetRef="reminded"/><endEvent id="reminded"/>
    <sequenceFlow id="f3" sourceRef="work" targetRef="e"/><endEvent id="e"/>
  </process>`);
const withWait = (key: string, duration: string, kind = 'timeDuration') =>
  bpmn(`<process id="${key}" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="set"/>
    <userTask id="set" name="设定"/><sequenceFlow id="f2" sourceRef="set" targetRef="wait"/>
    <intermediateCatchEvent id="wait">
      <timerEventDefinition><${kind}>${duration}</${kind}></timerEventDefinition>
    </intermediateCatchEvent>
    <sequenceFlow id="f3" sourceRef="wait" targetRef="after"/><userTask id="after" name="到期后"/>
  </process>`);

const deploy = (agent: TestAgent, name: string, xml: string) =>
  agent
    .post('/engine-rest/deployment/create')
    .field('deployment-name', name)
    .attach(name, Buffer.from(xml), `${name}.bpmn`);

/** Runs `work` while /health is asked every 50 ms; answers the slowest /health seen. */
async function healthDuring<T>(t: TestApp, work: () => Promise<T>): Promise<{ result: T; slowestMs: number }> {
  let done = false;
  let slowestMs = 0;
  const poll = (async () => {
    while (!done) {
      const t0 = Date.now();
      await t.anon.get('/health').expect(200);
      slowestMs = Math.max(slowestMs, Date.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const result = await work();
    done = true;
    await poll;
    return { result, slowestMs };
  } finally {
    done = true;
    await poll;
  }
}

describe('timer values that never finish', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(Date.parse('2026-03-02T09:00:00+08:00'));
  });
  afterAll(() => t.close());

  const stored = async () => (await t.db.query(`SELECT count(*)::int AS n FROM engine_definition`))[0].n as number;

  describe('at deploy', () => {
    it.each([
      ...BAD_CYCLES.map((v) => ['cycle', v, 'remind', withCycle('cyc', v)] as const),
      ...BAD_DURATIONS.map((v) => ['duration', v, 'wait', withWait('dur', v)] as const),
    ])(
      'a %s of %s: 400 naming the element and the value, nothing stored, /health answering',
      async (_, value, element, xml) => {
        const before = await stored();
        const { result: res, slowestMs } = await healthDuring(t, () => deploy(t.http, 'bad', xml));
        expect(res.status).toBe(400);
        expect(res.body.type).toBe('ParseException');
        const errors = res.body.details['bad.bpmn'].errors as { message: string; mainElementId: string }[];
        const named = expect.objectContaining({
          mainElementId: element,
          message: expect.stringContaining(`timer '${value}'`),
        });
        expect(errors).toEqual([named]);
        const why =
          /period of zero|shorter than PT1M|is negative|repeats .* the 1000 allowed|repeats zero times|year 9999/;
        expect(errors[0].message).toMatch(why);
        expect(await stored()).toBe(before);
        expect(slowestMs).toBeLessThan(1000);
      },
    );

    it('R/… without a count is accepted and repeats at most DUBAN_MAX_TIMER_REPEAT times', async () => {
      await deploy(t.http, 'endless', withCycle('endless', 'R/PT1H')).expect(200);
      const inst = await t.engine.startProcess('endless');
      const [timer] = await t.db.query(`SELECT spec, repeat, expire_at FROM engine_timer WHERE instance_id = $1`, [
        inst.id,
      ]);
      expect(timer).toMatchObject({ spec: 'R/PT1H', repeat: 1000 });
      expect(new Date(timer.expire_at).getTime()).toBe(t.clock.now() + HOUR);
    });
  });

  describe('from a variable at run time', () => {
    beforeAll(async () => {
      await t.definitions.deploy('vars', [
        { resource: 'var-duration.bpmn', content: withWait('varDuration', '${environment.variables.period}') },
        { resource: 'var-date.bpmn', content: withWait('varDate', '${environment.variables.period}', 'timeDate') },
        { resource: 'var-cycle.bpmn', content: withWait('varCycle', '${environment.variables.period}', 'timeCycle') },
      ]);
    });

    it.each<[string, string]>([
      ...BAD_DURATIONS.map((v): [string, string] => ['varDuration', v]),
      ...BAD_CYCLES.map((v): [string, string] => ['varCycle', v]),
      ['varDate', 'workdays(-99999)'],
      ['varDate', 'workdays(5, 不是日期)'],
      ['varDate', '0/5 * * * * ?'],
    ])('%s = %s: the step ends in an incident naming the value, /health answering', async (key, value) => {
      const inst = (await t.http.post(`/engine-rest/process-definition/key/${key}/start`).send({}).expect(200)).body;
      const [task] = (await t.http.get('/engine-rest/task').query({ processInstanceId: inst.id }).expect(200)).body;
      const { result: res, slowestMs } = await healthDuring(t, () =>
        t.http.post(`/engine-rest/task/${task.id}/complete`).send({ variables: { period: { value, type: 'String' } } }),
      );
      expect(res.status).toBe(500);
      expect(res.body.message).toContain(value);
      expect(slowestMs).toBeLessThan(1000);
      const incidents = (await t.http.get('/engine-rest/incident').query({ processInstanceId: inst.id }).expect(200))
        .body;
      const incident = expect.objectContaining({ activityId: 'wait', incidentMessage: expect.stringContaining(value) });
      expect(incidents).toEqual([incident]);
      // Nothing half-done: the task is still open, no timer was stored.
      const open: { activity_id: string }[] = await t.db.query(
        `SELECT activity_id FROM engine_task WHERE instance_id = $1`,
        [inst.id],
      );
      expect(open.map((r) => r.activity_id)).toEqual(['set']);
      expect(await t.db.query(`SELECT 1 FROM engine_timer WHERE instance_id = $1`, [inst.id])).toEqual([]);
    });

    it('a good value from the same variable runs', async () => {
      const inst = await t.engine.startProcess('varDuration');
      const [task] = await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
      await t.engine.completeTask(task.id, { period: 'PT2H' });
      const [timer] = await t.db.query(`SELECT expire_at FROM engine_timer WHERE instance_id = $1`, [inst.id]);
      expect(new Date(timer.expire_at).getTime()).toBe(t.clock.now() + 2 * HOUR);
    });
  });
});

describe('a node booting with a never-ending timer row pending', () => {
  const db = realServers ? null : { env: { DUBAN_DATA_DIR: emptyDir() }, drop: async () => undefined };
  let database: { env: Record<string, string>; drop: () => Promise<void> };
  let t: TestApp | null = null;
  beforeAll(async () => {
    database = db ?? (await freshDatabaseEnv());
  });
  afterAll(async () => {
    await t?.close();
    await database.drop();
  });

  it('boots healthy, the row an incident naming the value, its neighbours firing', async () => {
    const first = await startTestApp(database.env, database);
    // Pinned far back: this node fires none of the timers made due below.
    first.clock.pin(Date.parse('2020-01-01T00:00:00Z'));
    await first.definitions.deploy('boot', [
      { resource: 'poisoned.bpmn', content: withCycle('poisoned', '${environment.variables.every}') },
      { resource: 'healthy.bpmn', content: withCycle('healthy', 'R2/PT1H') },
    ]);
    const poisoned = await first.engine.startProcess('poisoned', { variables: { every: 'R3/PT1H' } });
    const healthy = await first.engine.startProcess('healthy');
    // What a node before the limits stored, written straight into the database: a cycle with no period.
    await first.db.query(
      `UPDATE engine_instance SET state = replace(state::text, 'R3/PT1H', 'R/PT0S')::jsonb,
      variables = jsonb_set(variables, '{every}', '"R/PT0S"') WHERE id = $1`,
      [poisoned.id],
    );
    await first.db.query(`UPDATE engine_timer SET spec = 'R/PT0S' WHERE instance_id = $1`, [poisoned.id]);
    await first.db.query(
      `UPDATE engine_timer SET expire_at = now() - interval '1 hour' WHERE instance_id = ANY($1::uuid[])`,
      [[poisoned.id, healthy.id]],
    );
    await first.app.close();

    const t0 = Date.now();
    t = await startTestApp(database.env, database);
    const app = t;
    expect(Date.now() - t0).toBeLessThan(60_000);
    const deadline = Date.now() + 30_000;
    let incident: { activity_id: string; message: string } | undefined;
    while (!incident && Date.now() < deadline) {
      [incident] = await app.db.query(`SELECT activity_id, message FROM engine_incident WHERE instance_id = $1`, [
        poisoned.id,
      ]);
      if (!incident) await new Promise((r) => setTimeout(r, 100));
    }
    const named = expect.stringContaining("timer remind: 'R/PT0S' has a period of zero");
    expect(incident).toEqual({ activity_id: 'remind', message: named });
    // The neighbour's reminder, due as long, fires (its next occurrence counts from now); /health answers meanwhile.
    const reminders = async (): Promise<number> =>
      (
        await app.db.query(
          `SELECT count(*)::int AS n FROM engine_history WHERE instance_id = $1 AND activity_id = 'reminded'`,
          [healthy.id],
        )
      )[0].n;
    const { slowestMs } = await healthDuring(app, async () => {
      while (Date.now() < deadline && (await reminders()) < 1) await new Promise((res) => setTimeout(res, 100));
      await new Promise((res) => setTimeout(res, 1000));
    });
    expect(await reminders()).toBe(1);
    expect(slowestMs).toBeLessThan(1000);
    // The poisoned instance is where it was, waiting for its incident to be retried.
    const [{ version }] = await app.db.query(`SELECT version FROM engine_instance WHERE id = $1`, [poisoned.id]);
    expect(version).toBe(1);
    // And the node goes on serving: a fresh deployment and start work.
    await deploy(app.http, 'after', withCycle('afterBoot', 'R/PT1H')).expect(200);
    await app.http.post('/engine-rest/process-definition/key/afterBoot/start').send({}).expect(200);
  });
});
