import { Engine } from 'bpmn-engine';
import { HandlerRegistry } from '../src/engine/handler-registry.js';
import { camundaModdle, runStep } from '../src/engine/runtime/bpmn-runtime.js';
import { bootApp, header } from './support.js';

const NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
export const approval = `<?xml version="1.0"?><definitions ${NS} id="bench-defs" targetNamespace="duban">
  <process id="bench" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <userTask id="t" name="审核" camunda:candidateGroups="office" camunda:formKey="sign"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="g"/>
    <exclusiveGateway id="g" default="no"/>
    <sequenceFlow id="yes" sourceRef="g" targetRef="ok"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.approved}</conditionExpression></sequenceFlow>
    <sequenceFlow id="no" sourceRef="g" targetRef="nok"/>
    <endEvent id="ok"/><endEvent id="nok"/>
  </process></definitions>`;
export const timerProcess = `<?xml version="1.0"?><definitions ${NS} id="burst-defs" targetNamespace="duban">
  <process id="burst" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="w"/>
    <intermediateCatchEvent id="w"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="w" targetRef="e"/><endEvent id="e"/>
  </process></definitions>`;

/** Bare in-memory bpmn-engine: the same process, parsed once as the durable runtime does at deploy. */
async function bare(n: number, sourceContext: unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const engine: any = new Engine({ sourceContext, moddleOptions: { camunda: camundaModdle } } as any);
    const ex = await engine.execute({ variables: {} });
    const task = ex.getPostponed().find((a: any) => a.id === 't');
    const done = engine.waitFor('end');
    task.signal({ approved: i % 2 === 0 });
    await done;
  }
  return n / ((performance.now() - t0) / 1000);
}

/**
 * The durable runtime's steps without the database: start in one engine, store the state, then build a new
 * engine, recover, complete the task. What rebuilding per step costs before any row is read or written.
 */
async function rebuiltPerStep(
  n: number,
  sourceContext: unknown,
  handlers: HandlerRegistry,
  definitionId: string,
): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const instance = { id: `m-${i}`, businessKey: `m-${i}`, definitionKey: 'bench' };
    const common = {
      instance,
      definitionId,
      sourceContext,
      now: () => Date.now(),
      handlers: handlers.map,
      timerLiteral: handlers.timerLiteral,
      runServices: false,
    };
    const started = await runStep({ ...common, state: null, command: { kind: 'start', variables: {} } });
    const stored = JSON.parse(JSON.stringify(started.state));
    const task = started.tasks[0];
    await runStep({
      ...common,
      state: stored,
      command: { kind: 'completeTask', executionId: task.executionId, variables: { approved: i % 2 === 0 } },
    });
  }
  return n / ((performance.now() - t0) / 1000);
}

/** `engine`: start → user task → complete → gateway → end, bare vs durable, in one run; and a timer burst. */
export async function engineBench(n: number, withTimers: boolean): Promise<void> {
  const b = await bootApp({ DUBAN_PROCESSES_DIR: '/nonexistent' });
  header('engine', b.mode, `n=${n}`);
  await b.definitions.deploy('bench', [
    { resource: 'bench.bpmn', content: approval },
    { resource: 'burst.bpmn', content: timerProcess },
  ]);
  const def = await b.definitions.latest('bench');
  const ctx = await b.definitions.context(def.id);
  const durable = async (count: number) => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const inst = await b.engine.startProcess('bench', { businessKey: `b-${i}`, variables: {} });
      const [task] = await b.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
      await b.engine.completeTask(task.id, { approved: i % 2 === 0 });
    }
    return count / ((performance.now() - t0) / 1000);
  };
  const handlers = b.app.get(HandlerRegistry);
  await bare(20, ctx);
  await rebuiltPerStep(20, ctx, handlers, def.id);
  await durable(10);
  const bareRate = await bare(n, ctx);
  const rebuiltRate = await rebuiltPerStep(n, ctx, handlers, def.id);
  const durableRate = await durable(n);
  const pct = (x: number) => `${((x / bareRate) * 100).toFixed(1)} %`;
  console.log(
    `engine: bare bpmn-engine ${bareRate.toFixed(1)} instances/s; rebuilt per step without the database ${rebuiltRate.toFixed(1)}/s (${pct(rebuiltRate)}); durable ${durableRate.toFixed(1)} instances/s; ratio ${pct(durableRate)}`,
  );

  if (withTimers) {
    b.clock.pin(Date.now());
    for (let i = 0; i < n; i++) await b.engine.startProcess('burst', { variables: {} });
    b.clock.add(2 * 3_600_000);
    const t0 = performance.now();
    const fired = await b.engine.drainDue();
    const secs = (performance.now() - t0) / 1000;
    console.log(`timers (one process): ${fired} fired in ${secs.toFixed(2)} s — ${(fired / secs).toFixed(1)} timers/s`);
  }
  await b.close();
}
