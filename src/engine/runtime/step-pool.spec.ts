import { BpmnModdle } from 'bpmn-moddle';
import { camundaModdle, deserializeContext, runStep, serializeContext, type StepOutcome } from './bpmn-runtime.js';
import type { PortableTimerLiteral } from './portable-literal.js';
import { createTimerLiteral } from '../../../test/fixtures/step-pool-literal.js';
import { EngineThreadLost, StepPool, type PooledStepInput } from './step-pool.js';

const NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const NOW = Date.parse('2026-03-02T00:00:00Z');

/** 审核 due in three working days, a timer at the calendar's end of the deadline, then a service task. */
const XML = `<?xml version="1.0"?><definitions ${NS} id="d" targetNamespace="t">
  <process id="p" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="fork"/>
    <parallelGateway id="fork"/>
    <sequenceFlow id="f2" sourceRef="fork" targetRef="t"/><sequenceFlow id="f3" sourceRef="fork" targetRef="w"/>
    <userTask id="t" name="审核" camunda:candidateGroups="\${unit}" camunda:dueDate="workdays(3)"/>
    <intermediateCatchEvent id="w"><timerEventDefinition><timeDate>workdays(0, \${deadline})</timeDate></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f4" sourceRef="t" targetRef="svc"/>
    <serviceTask id="svc" implementation="\${environment.services.notify}"/>
    <sequenceFlow id="f5" sourceRef="svc" targetRef="e"/><endEvent id="e"/>
    <sequenceFlow id="f6" sourceRef="w" targetRef="e2"/><endEvent id="e2"/>
  </process></definitions>`;

let source: unknown;
beforeAll(async () => {
  const moddle = await new BpmnModdle({ camunda: camundaModdle }).fromXML(XML);
  source = JSON.parse(serializeContext(moddle));
});

/** A literal module of the test's own: `workdays(N[, BASE])` as N whole days after BASE (or now), noting N. */
const literal: PortableTimerLiteral & { notes: number[] } = {
  module: new URL('../../../test/fixtures/step-pool-literal.ts', import.meta.url).href,
  snapshot: () => ({ stamp: 'v1', data: { dayMs: 86_400_000 } }),
  notes: [],
  noted(notes) {
    this.notes.push(...notes);
  },
};

function input(
  i: number,
  command: PooledStepInput['command'] = { kind: 'start', variables: { unit: 'HBJ', deadline: '2026-03-20' } },
): PooledStepInput {
  return {
    instance: { id: `i${i}`, businessKey: `k${i}`, definitionKey: 'p' },
    definitionId: 'p:1',
    state: null,
    command,
    now: NOW,
    handlerNames: ['notify'],
  };
}

/** The same step on the main thread, with the fixture's resolver. */
async function inProcess(i: number): Promise<StepOutcome> {
  const r = createTimerLiteral({ dayMs: 86_400_000 });
  const { handlerNames, now, ...rest } = input(i);
  return runStep({
    ...rest,
    sourceContext: deserializeContext(JSON.stringify(source)),
    now: () => now,
    handlers: new Map(handlerNames.map((n) => [n, () => ({})])),
    runServices: false,
    timerLiteral: r.resolve,
  });
}

describe('StepPool', () => {
  let pool: StepPool;
  afterEach(() => pool?.close());

  it('runs a step on a thread as it runs on the main thread: tasks, due dates, timers, state', async () => {
    pool = new StepPool(2, () => literal);
    const [threaded, here] = await Promise.all([pool.run(input(1), async () => source), inProcess(1)]);
    expect(threaded.error).toBeNull();
    expect(threaded.status).toBe('running');
    expect(threaded.tasks.map((t) => [t.name, t.candidateGroups, t.dueAt])).toEqual(
      here.tasks.map((t) => [t.name, t.candidateGroups, t.dueAt]),
    );
    expect(threaded.tasks[0].dueAt).toBe(NOW + 3 * 86_400_000);
    expect(threaded.timers.map((t) => t.expireAt)).toEqual(here.timers.map((t) => t.expireAt));
    expect(threaded.timers[0].expireAt).toBe(Date.parse('2026-03-20'));
    expect(threaded.variables).toEqual(here.variables);
    // The literal's notes come back to the main thread (the calendar records its provisional years so).
    expect(literal.notes).toEqual(expect.arrayContaining([3, 0]));

    // The stored state goes on from either: completing the task on the thread parks the service, as here.
    const task = threaded.tasks[0];
    const next = await pool.run(
      {
        ...input(1, { kind: 'completeTask', executionId: task.executionId, variables: { ok: true } }),
        state: JSON.parse(JSON.stringify(threaded.state)),
      },
      async () => source,
    );
    expect(next.error).toBeNull();
    expect(next.tasks).toEqual([]);
    expect(next.parkedServices).toBe(1);
  });

  it('sends a definition to a thread once, and many steps at once each get their own answer', async () => {
    pool = new StepPool(2, () => literal);
    let sent = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pool.run(input(i), async () => {
          sent++;
          return source;
        }),
      ),
    );
    expect(outcomes.every((o) => o.status === 'running' && o.tasks.length === 1)).toBe(true);
    expect(new Set(outcomes.map((o) => JSON.stringify(o.state).match(/"name":"i\d+"/)?.[0])).size).toBe(12);
    expect(sent).toBeLessThanOrEqual(2);
  });

  it('serves a step someone waits on before the runs done ahead', async () => {
    pool = new StepPool(1, () => literal);
    const order: string[] = [];
    const ahead = Array.from({ length: 4 }, (_, i) =>
      pool.run(input(i), async () => source, { ahead: true }).then(() => order.push(`ahead${i}`)),
    );
    const urgent = pool.run(input(9), async () => source).then(() => order.push('urgent'));
    await Promise.all([...ahead, urgent]);
    // The first run ahead had the thread already; the urgent one goes next.
    expect(order.indexOf('urgent')).toBeLessThanOrEqual(1);
  });

  it('fails only the step of a thread that died, with EngineThreadLost, and starts another for the next', async () => {
    pool = new StepPool(1, () => literal);
    await pool.run(input(1), async () => source);
    const running = pool.run(input(2), async () => source);
    const worker = (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0].worker;
    await worker.terminate();
    await expect(running).rejects.toBeInstanceOf(EngineThreadLost);
    const after = await pool.run(input(3), async () => source);
    expect(after.tasks).toHaveLength(1);
  });

  it('refuses steps once closed', async () => {
    pool = new StepPool(1, () => null);
    await pool.close();
    expect(pool.enabled).toBe(false);
    await expect(pool.run(input(1), async () => source)).rejects.toBeInstanceOf(EngineThreadLost);
  });
});
