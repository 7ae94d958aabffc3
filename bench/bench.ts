import os from 'node:os';
import { Engine } from 'bpmn-engine';
import { createApp } from '../src/app.factory.js';
import { Clock, ControlledClock } from '../src/clock/clock.js';
import { loadConfig } from '../src/config/app-config.js';
import { DefinitionService } from '../src/engine/definition.service.js';
import { EngineService } from '../src/engine/engine.service.js';
import { camundaModdle } from '../src/engine/runtime/bpmn-runtime.js';
import { DataSource } from 'typeorm';

/**
 * `npm run bench [-- engine|timers] [--n N]`: the same start → user task → complete → gateway → end process
 * on bare in-memory bpmn-engine and through the durable runtime on PostgreSQL (DATABASE_URL/REDIS_URL, or
 * the embedded database), and a burst of timers due at once.
 */
const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const approval = `<?xml version="1.0"?><definitions ${NS} id="bench-defs" targetNamespace="duban">
  <process id="bench" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <userTask id="t" name="审核" camunda:candidateGroups="office"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="g"/>
    <exclusiveGateway id="g" default="no"/>
    <sequenceFlow id="yes" sourceRef="g" targetRef="ok"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.approved}</conditionExpression></sequenceFlow>
    <sequenceFlow id="no" sourceRef="g" targetRef="nok"/>
    <endEvent id="ok"/><endEvent id="nok"/>
  </process></definitions>`;
const timerProcess = `<?xml version="1.0"?><definitions ${NS} id="burst-defs" targetNamespace="duban">
  <process id="burst" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="w"/>
    <intermediateCatchEvent id="w"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="w" targetRef="e"/><endEvent id="e"/>
  </process></definitions>`;

const args = process.argv.slice(2);
const nArg = args.indexOf('--n');
const which = args.find((a, i) => !a.startsWith('--') && i !== nArg + 1) ?? 'all';
const N = nArg >= 0 ? Number(args[nArg + 1]) : 300;

async function bare(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const engine: any = new Engine({ source: approval, moddleOptions: { camunda: camundaModdle } } as any);
    const ex = await engine.execute({ variables: {} });
    const task = ex.getPostponed().find((a: any) => a.id === 't');
    const done = engine.waitFor('end');
    task.environment.variables.approved = i % 2 === 0;
    task.signal({ approved: i % 2 === 0 });
    await done;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main() {
  const config = loadConfig({ ...process.env, DUBAN_CLOCK_CONTROLLED: 'true', NODE_ENV: 'development', DUBAN_DATA_DIR: process.env.DUBAN_DATA_DIR ?? ':memory:', DUBAN_PROCESSES_DIR: '/nonexistent' });
  const app = await createApp(config, { logger: ['error'] });
  await app.init();
  const engine = app.get(EngineService);
  const defs = app.get(DefinitionService);
  const db = app.get(DataSource);
  const clock = app.get(Clock) as ControlledClock;
  await defs.deploy('bench', [{ resource: 'bench.bpmn', content: approval }, { resource: 'burst.bpmn', content: timerProcess }]);
  console.log(`duban bench — ${os.cpus().length} cores, ${config.embedded ? 'embedded PostgreSQL (PGlite)' : 'PostgreSQL + Redis'}, n=${N}`);

  if (which === 'all' || which === 'engine') {
    await bare(20);
    for (let i = 0; i < 10; i++) {
      const inst = await engine.startProcess('bench', { variables: {} });
      const [task] = await db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
      await engine.completeTask(task.id, { approved: true });
    }
    const bareRate = await bare(N);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const inst = await engine.startProcess('bench', { businessKey: `b-${i}`, variables: {} });
      const [task] = await db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
      await engine.completeTask(task.id, { approved: i % 2 === 0 });
    }
    const durable = N / ((performance.now() - t0) / 1000);
    console.log(`engine: bare bpmn-engine ${bareRate.toFixed(1)} instances/s; durable ${durable.toFixed(1)} instances/s; ratio ${(durable / bareRate * 100).toFixed(1)} %`);
  }

  if (which === 'all' || which === 'timers') {
    clock.pin(Date.now());
    for (let i = 0; i < N; i++) await engine.startProcess('burst', { variables: {} });
    clock.add(2 * 3_600_000);
    const t0 = performance.now();
    const fired = await engine.drainDue();
    const secs = (performance.now() - t0) / 1000;
    console.log(`timers: ${fired} fired in ${secs.toFixed(2)} s — ${(fired / secs).toFixed(1)} timers/s`);
  }
  await app.close();
}

void main().then(() => process.exit(0), (e) => {
  console.error(e, JSON.stringify(e.details ?? {}, null, 1));
  process.exit(1);
});
