import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import { createTimerLiteral } from '../../../test/fixtures/step-pool-literal.js';
import { camundaModdle, deserializeContext, runStep, serializeContext, type StepOutcome } from './bpmn-runtime.js';
import {
  DeferredStartMismatch,
  adoptStart,
  isDeferred,
  learnStartShape,
  predictStart,
  type StartShape,
} from './deferred-start.js';
import { DEFAULT_TIMER_LIMITS } from './timer-rules.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-02T01:00:00Z');
const LADDER = readFileSync(new URL('../../../processes/escalation-ladder.bpmn', import.meta.url), 'utf8');
const NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

const settings = {
  remindBefore: 5,
  bulletinAfter: 10,
  interviewAfter: 20,
  inspectionAfter: 30,
  accountabilityAfter: 40,
};
const vars = (deadline: string) => ({ problemId: 'p', problemCode: 'P-1', deadline, ...settings });

async function contextOf(xml: string): Promise<unknown> {
  const moddle = await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml);
  return JSON.parse(serializeContext(moddle));
}

const literal = createTimerLiteral({ dayMs: DAY });
let source: unknown;
const ctx = () => deserializeContext(JSON.stringify(source));

function run(source: unknown, processId: string, command: any, state: unknown, now: number, moved = new Map()) {
  return runStep({
    instance: { id: 'i', businessKey: 'P-1', definitionKey: processId },
    definitionId: 'd',
    sourceContext: deserializeContext(JSON.stringify(source)),
    state,
    command,
    now: () => now,
    handlers: new Map(['issueReminder', 'issueNotice'].map((n) => [n, () => ({})])),
    runServices: false,
    movedTimers: moved,
    timerLiteral: literal.resolve,
  });
}

/** A step's rows with the execution ids left out (they are random). */
function rows(o: StepOutcome) {
  return {
    status: o.status,
    variables: o.variables,
    timers: o.timers.map(({ executionId: _e, ...t }) => t),
    subscriptions: o.subscriptions.map(({ executionId: _e, ...s }) => s),
    history: o.history.map((h) => [h.event, h.activityId, h.activityType, h.at]),
    waiting: o.waiting.length,
  };
}

describe('a start put off until its first step', () => {
  let shape: StartShape;
  beforeAll(async () => {
    source = await contextOf(LADDER);
    const first = await run(source, 'escalation-ladder', { kind: 'start', variables: vars('2026-03-20') }, null, NOW);
    const learned = learnStartShape(
      first,
      vars('2026-03-20'),
      deserializeContext(JSON.stringify(source)),
      'escalation-ladder',
    );
    if (typeof learned === 'string') throw new Error(learned);
    shape = learned;
  });

  /** A ladder due on `deadline`, put off at NOW, and its marker. */
  function putOff(deadline: string) {
    const put = predictStart(shape, ctx(), vars(deadline), NOW, {
      literal: literal.resolve,
      limits: DEFAULT_TIMER_LIMITS,
    });
    if (!put || !isDeferred(put.state)) throw new Error('not put off');
    return { put, marker: put.state };
  }

  it('writes the rows a real start of the ladder writes, its first rung computed from its own variables', async () => {
    const real = await run(source, 'escalation-ladder', { kind: 'start', variables: vars('2026-04-30') }, null, NOW);
    const put = predictStart(shape, ctx(), vars('2026-04-30'), NOW, {
      literal: literal.resolve,
      limits: DEFAULT_TIMER_LIMITS,
    });
    expect(put).not.toBeNull();
    expect(rows(put!)).toEqual(rows(real));
    expect(put!.timers).toEqual([
      expect.objectContaining({
        activityId: 'tReminder',
        spec: 'workdays(-5, 2026-04-30)',
        expireAt: Date.parse('2026-04-30') - 5 * DAY,
      }),
    ]);
    expect(isDeferred(put!.state)).toBe(true);
    // Execution ids look like the engine's, and the derived ones extend their activity's.
    const reminder = put!.history.find((h) => h.activityId === 'tReminder')!.executionId;
    expect(reminder).toMatch(/^tReminder_[0-9a-f]{10}$/);
    expect(put!.timers[0].executionId).toBe(`${reminder}_0`);
  });

  it('is not put off when its first rung is already due (the start would go on past it)', () => {
    expect(
      predictStart(shape, ctx(), vars('2026-03-03'), NOW, { literal: literal.resolve, limits: DEFAULT_TIMER_LIMITS }),
    ).toBeNull();
  });

  it('goes on at its first step exactly as a real start would: the rung fires, the rows keep their ids', async () => {
    const { put, marker } = putOff('2026-03-20');
    const started = await run(
      source,
      'escalation-ladder',
      { kind: 'start', variables: vars('2026-03-20') },
      null,
      marker.deferredStart.at,
    );
    const stored = {
      tasks: [],
      timers: put.timers.map((t) => ({ execution_id: t.executionId })),
      subscriptions: put.subscriptions.map((s) => ({
        activity_id: s.activityId,
        name: s.name,
        execution_id: s.executionId,
      })),
    };
    const state = adoptStart(marker, started, stored);
    const due = put.timers[0].expireAt;
    const moved = new Map([[put.timers[0].executionId, due]]);
    const woken = await run(source, 'escalation-ladder', { kind: 'wake' }, state, due + 1000, moved);

    const real = await run(source, 'escalation-ladder', { kind: 'start', variables: vars('2026-03-20') }, null, NOW);
    const realWoken = await run(source, 'escalation-ladder', { kind: 'wake' }, real.state, due + 1000);
    expect(rows(woken)).toEqual(rows(realWoken));
    expect(woken.error).toBeNull();
    // The rung fired: its reminder waits to run as a service, as after a real start.
    expect(woken.parkedServices).toBe(1);
    expect(woken.history.filter((h) => h.event === 'start').map((h) => h.activityId)).toEqual(['reminder']);
    // The subscriptions written at the start are the ones the engine now holds.
    expect(woken.subscriptions.map((s) => s.executionId).sort()).toEqual(
      put.subscriptions.map((s) => s.executionId).sort(),
    );
    // Its history goes on from the rows written at the start: the rung's end is on the id they carry.
    const ended = woken.history.find((h) => h.activityId === 'tReminder' && h.event === 'end');
    expect(ended?.executionId).toBe(put.history.find((h) => h.activityId === 'tReminder')!.executionId);
  });

  it('fails loudly when the engine runs another start than the rows were written for', async () => {
    const { put, marker } = putOff('2026-03-20');
    const started = await run(source, 'escalation-ladder', { kind: 'start', variables: vars('2026-03-20') }, null, NOW);
    expect(() => adoptStart(marker, started, { tasks: [], timers: [], subscriptions: [] })).toThrow(
      DeferredStartMismatch,
    );
    expect(() => adoptStart(marker, started, { tasks: [], timers: [], subscriptions: [] })).toThrow(
      /延后启动的流程实例与其定义的实际运行不一致/,
    );
  });

  it.each([
    [
      'a condition on the way',
      `<exclusiveGateway id="g"/><sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
       <sequenceFlow id="f2" sourceRef="g" targetRef="w"><conditionExpression xsi:type="tFormalExpression">\${x &gt; 1}</conditionExpression></sequenceFlow>
       <sequenceFlow id="f3" sourceRef="g" targetRef="w2"/><intermediateCatchEvent id="w2"><timerEventDefinition><timeDuration>PT2H</timeDuration></timerEventDefinition></intermediateCatchEvent>`,
      /g chooses its way|w2 is discarded/,
    ],
    [
      'a listener on the way',
      `<sequenceFlow id="f1" sourceRef="s" targetRef="w"/>`,
      /s has listeners/,
      `<extensionElements><camunda:executionListener event="end" expression="\${x}"/></extensionElements>`,
    ],
    [
      'a service before the wait',
      `<sequenceFlow id="f1" sourceRef="s" targetRef="t"/><serviceTask id="t" implementation="\${environment.services.issueReminder}"/><sequenceFlow id="f2" sourceRef="t" targetRef="w"/>`,
      /services/,
    ],
    [
      'a task whose attributes read more than the variables',
      `<sequenceFlow id="f1" sourceRef="s" targetRef="t"/><userTask id="t" camunda:candidateGroups="\${content.id}"/><sequenceFlow id="f2" sourceRef="t" targetRef="w"/>`,
      /attributes read more than the variables/,
    ],
  ])('is never put off with %s', async (_what, flows, reason, onStart = '') => {
    const xml = `<?xml version="1.0"?><definitions ${NS} id="d" targetNamespace="t"><process id="p" isExecutable="true">
      <startEvent id="s">${onStart}</startEvent>${flows}
      <intermediateCatchEvent id="w"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    </process></definitions>`;
    const src = await contextOf(xml);
    const first = await run(src, 'p', { kind: 'start', variables: { x: 2 } }, null, NOW);
    expect(learnStartShape(first, { x: 2 }, deserializeContext(JSON.stringify(src)), 'p')).toMatch(reason);
  });

  it('writes the rectification’s first task and its chase as its engine would: group, due date, properties, timer', async () => {
    const xml = readFileSync(new URL('../../../processes/rectification.bpmn', import.meta.url), 'utf8');
    const src = await contextOf(xml);
    const rect = (over: Record<string, unknown>) => ({
      leadUnit: 'HBJ',
      signDays: 3,
      planDays: 10,
      assignedOn: '2026-03-02',
      deadline: '2026-06-30',
      chaseEvery: 2,
      chaseTimes: 3,
      ...over,
    });
    const overdue = (v: string, now: number) => {
      const m = /^overdue\(workdays\((-?\d+), (\d{4}-\d{2}-\d{2})\), (\d+), (\d+)\)$/.exec(v);
      if (m) return { expireAt: Date.parse(m[2]) + Number(m[1]) * DAY, repeat: Number(m[4]) };
      return literal.resolve(v, now);
    };
    const go = (vars: Record<string, unknown>) =>
      runStep({
        instance: { id: 'i', businessKey: 'P-1', definitionKey: 'rectification' },
        definitionId: 'd',
        sourceContext: deserializeContext(JSON.stringify(src)),
        state: null,
        command: { kind: 'start', variables: vars },
        now: () => NOW,
        handlers: new Map(),
        runServices: false,
        timerLiteral: overdue,
      });
    const first = await go(rect({}));
    const learned = learnStartShape(first, rect({}), deserializeContext(JSON.stringify(src)), 'rectification');
    if (typeof learned === 'string') throw new Error(learned);
    const other = rect({ leadUnit: 'SLJ', signDays: 5, assignedOn: '2026-03-09' });
    const put = predictStart(learned, deserializeContext(JSON.stringify(src)), other, NOW, {
      literal: overdue,
      limits: DEFAULT_TIMER_LIMITS,
    })!;
    const real = await go(other);
    expect(rows(put)).toEqual(rows(real));
    expect(put.tasks.map(({ executionId: _e, ...t }) => t)).toEqual(real.tasks.map(({ executionId: _e, ...t }) => t));
    expect(put.tasks[0]).toMatchObject({
      activityId: 'sign',
      candidateGroups: ['SLJ'],
      formKey: 'sign',
      dueSpec: 'workdays(5, 2026-03-09)',
      properties: { status: 'assigned' },
    });
    expect(put.timers.map((t) => [t.activityId, t.timerType, t.repeat])).toEqual([['signOverdue', 'timeCycle', 3]]);
  });
});
