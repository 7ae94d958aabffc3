import { BpmnModdle } from 'bpmn-moddle';
import {
  camundaModdle,
  deserializeContext,
  runStep,
  serializeContext,
  type StepCommand,
  type StepOutcome,
} from './bpmn-runtime.js';
import type { ServiceHandler } from './step-context.js';

const NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const DAY = 86_400_000;

async function load(body: string) {
  const xml = `<?xml version="1.0"?><definitions ${NS} id="d" targetNamespace="t">${body}</definitions>`;
  const ctx = await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml);
  return deserializeContext(serializeContext(ctx));
}

function harness(sourceContext: unknown, handlers: Record<string, ServiceHandler> = {}) {
  let now = Date.parse('2026-03-02T00:00:00Z');
  let state: any = null;
  let last: StepOutcome;
  const step = async (command: StepCommand, runServices = true) => {
    last = await runStep({
      instance: { id: 'i1', businessKey: 'bk', definitionKey: 'p' },
      definitionId: 'p:1',
      sourceContext,
      state,
      command,
      now: () => now,
      handlers: new Map(Object.entries(handlers)),
      runServices,
    });
    if (!last.error) state = last.state;
    return last;
  };
  return {
    step,
    advance: (ms: number) => (now += ms),
    get now() {
      return now;
    },
  };
}

describe('runStep', () => {
  const userTaskWithTimers = `
    <process id="p" isExecutable="true">
      <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
      <userTask id="t" name="签收" camunda:assignee="\${environment.variables.who}" camunda:candidateGroups="HBJ,SLJ" camunda:formKey="sign" camunda:priority="70">
        <documentation>请签收</documentation>
        <extensionElements><camunda:properties><camunda:property name="stage" value="assign"/></camunda:properties></extensionElements>
      </userTask>
      <boundaryEvent id="late" attachedToRef="t"><timerEventDefinition><timeDuration>P40D</timeDuration></timerEventDefinition></boundaryEvent>
      <boundaryEvent id="remind" attachedToRef="t" cancelActivity="false"><timerEventDefinition><timeCycle>R/P7D</timeCycle></timerEventDefinition></boundaryEvent>
      <sequenceFlow id="f2" sourceRef="remind" targetRef="reminded"/><endEvent id="reminded"/>
      <sequenceFlow id="f3" sourceRef="late" targetRef="lateEnd"/><endEvent id="lateEnd"/>
      <sequenceFlow id="f4" sourceRef="t" targetRef="g"/>
      <exclusiveGateway id="g" default="no"/>
      <sequenceFlow id="yes" sourceRef="g" targetRef="approved"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.approved}</conditionExpression></sequenceFlow>
      <sequenceFlow id="no" sourceRef="g" targetRef="rejected"/>
      <endEvent id="approved"/><endEvent id="rejected"/>
    </process>`;

  it('derives the user task with its attributes and the timers on the service clock', async () => {
    const h = harness(await load(userTaskWithTimers));
    const out = await h.step({ kind: 'start', variables: { who: 'li' } });
    expect(out.status).toBe('running');
    expect(out.tasks).toHaveLength(1);
    expect(out.tasks[0]).toMatchObject({
      activityId: 't',
      name: '签收',
      assignee: 'li',
      candidateGroups: ['HBJ', 'SLJ'],
      formKey: 'sign',
      priority: 70,
      documentation: '请签收',
      properties: { stage: 'assign' },
    });
    const byActivity = Object.fromEntries(out.timers.map((t) => [t.activityId, t.expireAt]));
    expect(byActivity.late).toBe(h.now + 40 * DAY);
    expect(byActivity.remind).toBe(h.now + 7 * DAY);
  });

  it('fires a P40D timer only once the clock has passed it', async () => {
    const h = harness(await load(userTaskWithTimers));
    await h.step({ kind: 'start', variables: {} });
    h.advance(39 * DAY);
    let out = await h.step({ kind: 'wake' });
    expect(out.status).toBe('running');
    h.advance(2 * DAY);
    out = await h.step({ kind: 'wake' });
    expect(out.status).toBe('completed');
    expect(out.history.some((e) => e.activityId === 'lateEnd' && e.event === 'end')).toBe(true);
  });

  it('repeats a non-interrupting reminder while the task stays open', async () => {
    const h = harness(await load(userTaskWithTimers));
    await h.step({ kind: 'start', variables: {} });
    let fired = 0;
    for (let week = 0; week < 3; week++) {
      h.advance(7 * DAY + 1000);
      const out = await h.step({ kind: 'wake' });
      fired += out.history.filter((e) => e.activityId === 'reminded' && e.event === 'end').length;
      expect(out.tasks).toHaveLength(1);
      expect(out.timers.find((t) => t.activityId === 'remind')!.expireAt).toBeGreaterThan(h.now);
    }
    expect(fired).toBe(3);
  });

  it('completes the task with data that the gateway reads, cancelling its timers', async () => {
    const h = harness(await load(userTaskWithTimers));
    const started = await h.step({ kind: 'start', variables: {} });
    const out = await h.step({
      kind: 'completeTask',
      executionId: started.tasks[0].executionId,
      variables: { approved: true },
    });
    expect(out.status).toBe('completed');
    expect(out.timers).toHaveLength(0);
    expect(out.variables.approved).toBe(true);
    expect(out.history.some((e) => e.activityId === 'approved')).toBe(true);
  });

  it('an interrupting timer ends every boundary event of the task it cancels, also one resumed after the task', async () => {
    const HOUR = 3_600_000;
    // A task per unit: its reminder, restarted after the first firing, comes after the task in the stored state.
    const h = harness(
      await load(`
      <process id="p" isExecutable="true">
        <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
        <userTask id="t"><multiInstanceLoopCharacteristics camunda:collection="\${environment.variables.units}" camunda:elementVariable="unit"/></userTask>
        <boundaryEvent id="remind" attachedToRef="t" cancelActivity="false"><timerEventDefinition><timeCycle>R3/PT1H</timeCycle></timerEventDefinition></boundaryEvent>
        <sequenceFlow id="f2" sourceRef="remind" targetRef="reminded"/><endEvent id="reminded"/>
        <boundaryEvent id="late" attachedToRef="t"><timerEventDefinition><timeDuration>PT90M</timeDuration></timerEventDefinition></boundaryEvent>
        <sequenceFlow id="f3" sourceRef="late" targetRef="escalated"/><userTask id="escalated"/>
        <sequenceFlow id="f4" sourceRef="t" targetRef="e"/><endEvent id="e"/>
      </process>`),
    );
    await h.step({ kind: 'start', variables: { units: ['HBJ', 'SLJ'] } });
    h.advance(HOUR);
    let out = await h.step({ kind: 'wake' });
    expect(out.history.filter((e) => e.activityId === 'reminded' && e.event === 'end')).toHaveLength(1);
    expect(out.timers.map((t) => t.activityId).sort()).toEqual(['late', 'remind']);
    h.advance(HOUR / 2);
    out = await h.step({ kind: 'wake' });
    expect(out.tasks.map((t) => t.activityId)).toEqual(['escalated']);
    expect(out.timers).toEqual([]);
    expect(out.waiting.every((id) => id.startsWith('escalated'))).toBe(true);
    h.advance(HOUR);
    out = await h.step({ kind: 'wake' });
    expect(out.history.filter((e) => e.activityId === 'reminded')).toEqual([]);
    expect(out.timers).toEqual([]);
  });

  it('runs named handlers, parks them outside a service step, and reports a failing one', async () => {
    const src = await load(`
      <process id="p" isExecutable="true">
        <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="svc"/>
        <serviceTask id="svc" implementation="\${environment.services.notify}"/>
        <sequenceFlow id="f2" sourceRef="svc" targetRef="t"/><userTask id="t"/>
      </process>`);
    let calls = 0;
    const h = harness(src, { notify: async (ctx) => ({ notified: ++calls, seenKey: ctx.businessKey }) });
    let out = await h.step({ kind: 'start', variables: {} }, false);
    expect(out.parkedServices).toBe(1);
    expect(calls).toBe(0);
    out = await h.step({ kind: 'wake' }, true);
    expect(calls).toBe(1);
    expect(out.variables).toMatchObject({ notified: 1, seenKey: 'bk' });
    expect(out.tasks).toHaveLength(1);

    const failing = harness(src, {
      notify: async () => {
        throw new Error('SMTP down');
      },
    });
    out = await failing.step({ kind: 'start', variables: {} }, true);
    expect(out.error?.message).toMatch(/SMTP down/);
  });

  it('gives each unit of a collection its own task', async () => {
    const h = harness(
      await load(`
      <process id="p" isExecutable="true">
        <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
        <userTask id="t" camunda:candidateGroups="\${unit}">
          <multiInstanceLoopCharacteristics camunda:collection="\${environment.variables.units}" camunda:elementVariable="unit"/>
        </userTask>
        <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>
      </process>`),
    );
    let out = await h.step({ kind: 'start', variables: { units: ['HBJ', 'SLJ', 'NYJ'] } });
    expect(out.tasks.map((t) => t.candidateGroups[0]).sort()).toEqual(['HBJ', 'NYJ', 'SLJ']);
    for (const task of out.tasks) {
      out = await h.step({ kind: 'completeTask', executionId: task.executionId, variables: {} });
    }
    expect(out.status).toBe('completed');
  });
});
