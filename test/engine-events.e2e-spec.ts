import { HandlerRegistry } from '../src/engine/handler-registry.js';
import { bpmn, startTestApp, type TestApp } from './support/test-app.js';

describe('messages, signals, call activities, escalation and incidents', () => {
  let t: TestApp;
  let failNotify = true;
  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(HandlerRegistry).register('flakyNotify', async (ctx) => {
      if (failNotify) throw new Error('SMTP server refused the connection');
      return { notified: true, sawCommitment: ctx.variables.commitment };
    });
    await t.definitions.deploy('events', [
      {
        resource: 'waits.bpmn',
        content: bpmn(
          `
          <message id="msgReport" name="月度报告"/><signal id="sigBulletin" name="月通报"/>
          <process id="waits" isExecutable="true">
            <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="fork"/>
            <parallelGateway id="fork"/>
            <sequenceFlow id="f2" sourceRef="fork" targetRef="report"/>
            <sequenceFlow id="f3" sourceRef="fork" targetRef="bulletin"/>
            <intermediateCatchEvent id="report"><messageEventDefinition messageRef="msgReport"/></intermediateCatchEvent>
            <intermediateCatchEvent id="bulletin"><signalEventDefinition signalRef="sigBulletin"/></intermediateCatchEvent>
            <sequenceFlow id="f4" sourceRef="report" targetRef="join"/><sequenceFlow id="f5" sourceRef="bulletin" targetRef="join"/>
            <parallelGateway id="join"/><sequenceFlow id="f6" sourceRef="join" targetRef="e"/><endEvent id="e"/>
          </process>`,
          'waits-defs',
        ),
      },
      {
        resource: 'interview.bpmn',
        content: bpmn(
          `
          <process id="interview" name="约谈" isExecutable="true">
            <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="hold"/>
            <userTask id="hold" name="约谈"/><sequenceFlow id="f2" sourceRef="hold" targetRef="e"/><endEvent id="e"/>
          </process>`,
          'interview-defs',
        ),
      },
      {
        resource: 'ladder.bpmn',
        content: bpmn(
          `
          <escalation id="escLate" escalationCode="late"/>
          <process id="ladder" isExecutable="true">
            <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="sub"/>
            <subProcess id="sub">
              <startEvent id="ss"/><sequenceFlow id="sf1" sourceRef="ss" targetRef="raise"/>
              <intermediateThrowEvent id="raise"><escalationEventDefinition escalationRef="escLate"/></intermediateThrowEvent>
              <sequenceFlow id="sf2" sourceRef="raise" targetRef="work"/><userTask id="work" name="整改"/>
              <sequenceFlow id="sf3" sourceRef="work" targetRef="se"/><endEvent id="se"/>
            </subProcess>
            <boundaryEvent id="onLate" attachedToRef="sub" cancelActivity="false"><escalationEventDefinition escalationRef="escLate"/></boundaryEvent>
            <sequenceFlow id="f2" sourceRef="onLate" targetRef="call"/>
            <callActivity id="call" calledElement="interview"/>
            <sequenceFlow id="f3" sourceRef="call" targetRef="notify"/>
            <serviceTask id="notify" implementation="\${environment.services.flakyNotify}"/>
            <sequenceFlow id="f4" sourceRef="notify" targetRef="ne"/><endEvent id="ne"/>
            <sequenceFlow id="f5" sourceRef="sub" targetRef="e"/><endEvent id="e"/>
          </process>`,
          'ladder-defs',
        ),
      },
    ]);
  });
  afterAll(() => t.close());

  const tasks = (instanceId: string) =>
    t.db.query(`SELECT id, activity_id FROM engine_task WHERE instance_id = $1`, [instanceId]);

  it('correlates a message by business key and broadcasts a signal', async () => {
    const a = await t.engine.startProcess('waits', { businessKey: 'A' });
    const b = await t.engine.startProcess('waits', { businessKey: 'B' });
    await t.engine.correlateMessage('月度报告', { businessKey: 'A', variables: { percent: 60 } });
    const vars = (await t.engine.getInstance(a.id)).variables;
    expect(vars).toMatchObject({ percent: 60 });
    expect(Object.keys(vars)).not.toEqual(expect.arrayContaining(['fields']));
    expect(vars).not.toHaveProperty('content');
    await expect(t.engine.correlateMessage('月度报告', { businessKey: 'nobody' })).rejects.toMatchObject({
      status: 400,
    });
    expect(await t.engine.signal('月通报')).toBe(2);
    expect((await t.engine.getInstance(a.id)).status).toBe('completed');
    expect((await t.engine.getInstance(b.id)).status).toBe('active');
    const history = await t.db.query(
      `SELECT activity_id FROM engine_history WHERE instance_id = $1 AND ended_at IS NOT NULL`,
      [a.id],
    );
    expect(history.map((h: any) => h.activity_id)).toEqual(
      expect.arrayContaining(['s', 'report', 'bulletin', 'join', 'e']),
    );
  });

  it('catches an escalation, runs a call activity in another file, and turns a failing handler into an incident that a retry clears', async () => {
    const inst = await t.engine.startProcess('ladder', { businessKey: 'L-1' });
    const [child] = await t.db.query(`SELECT id, definition_key FROM engine_instance WHERE parent_id = $1`, [inst.id]);
    expect(child.definition_key).toBe('interview');
    const [hold] = await tasks(child.id);
    await t.engine.completeTask(hold.id, { commitment: '2026-06-30' });
    await t.engine.drainDue();
    const [incident] = await t.db.query(
      `SELECT id, activity_id, message FROM engine_incident WHERE instance_id = $1 AND resolved_at IS NULL`,
      [inst.id],
    );
    expect(incident).toMatchObject({ activity_id: 'notify' });
    expect(incident.message).toMatch(/SMTP/);
    // The poisoned instance still takes its other commands.
    expect((await tasks(inst.id)).map((x: any) => x.activity_id)).toEqual(['work']);
    failNotify = false;
    const after = await t.engine.retryIncident(incident.id);
    expect(after.variables).toMatchObject({ notified: true, commitment: '2026-06-30', sawCommitment: '2026-06-30' });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM engine_incident WHERE resolved_at IS NULL`))[0].n).toBe(0);
  });
});
