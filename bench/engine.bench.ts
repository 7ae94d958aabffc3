import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Engine } from 'bpmn-engine';
import type { DataSource } from 'typeorm';
import { HandlerRegistry } from '../src/engine/handler-registry.js';
import { camundaModdle, runStep } from '../src/engine/runtime/bpmn-runtime.js';
import { StatementCounter } from './statement-counter.js';
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

/** One bare in-memory bpmn-engine instance: the same process, parsed once as the durable runtime does at deploy. */
async function bareOne(sourceContext: unknown, approved: boolean): Promise<void> {
  const engine: any = new Engine({ sourceContext, moddleOptions: { camunda: camundaModdle } } as any);
  const ex = await engine.execute({ variables: {} });
  const task = ex.getPostponed().find((a: any) => a.id === 't');
  const done = engine.waitFor('end');
  task.signal({ approved });
  await done;
}

/**
 * The durable runtime's steps without the database: start in one engine, store the state, then build a new
 * engine, recover, complete the task. What rebuilding per step costs before any row is read or written.
 */
async function rebuiltOne(
  sourceContext: unknown,
  handlers: HandlerRegistry,
  definitionId: string,
  i: number,
): Promise<void> {
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

/** CPU milliseconds this process used since `from` (user + system, every thread: the embedded database's too). */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/**
 * CPU milliseconds the PostgreSQL backends serving this process have used, from /proc/<pid>/stat (utime +
 * stime): null for the embedded database (it runs in this process, its CPU in the Node figure) or where /proc
 * cannot be read (a server on another machine).
 */
function postgresCpu(db: DataSource, embedded: boolean): (() => number) | null {
  if (embedded) return null;
  let tick = 100;
  try {
    tick = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    /* the usual 100 Hz */
  }
  const pool = (db.driver as unknown as { master: { _clients?: { processID?: number }[] } }).master;
  const seen = new Map<number, number>();
  let total = 0;
  const read = (): number => {
    for (const c of pool._clients ?? []) {
      if (!c.processID) continue;
      let ticks: number;
      try {
        const fields = readFileSync(`/proc/${c.processID}/stat`, 'utf8').split(') ')[1].split(' ');
        ticks = Number(fields[11]) + Number(fields[12]);
      } catch {
        continue;
      }
      total += ticks - (seen.get(c.processID) ?? ticks);
      seen.set(c.processID, ticks);
    }
    return (total * 1000) / tick;
  };
  read();
  return pool._clients?.some((c) => c.processID && existsSync(`/proc/${c.processID}/stat`)) ? read : null;
}

/**
 * `engine`: start → user task → complete → gateway → end, bare bpmn-engine, the runtime without a database and
 * durable interleaved in every iteration (so the machine's load falls on all three alike), `runs` times:
 * CPU ms per instance of Node and of PostgreSQL, statements per step, the ratios to bare. Then, with
 * `withTimers`, a burst of timers.
 */
export async function engineBench(n: number, withTimers: boolean, runs = 3): Promise<void> {
  const b = await bootApp({ DUBAN_PROCESSES_DIR: '/nonexistent' });
  header('engine', b.mode, `n=${n}, ${runs} runs, bare, without a database and durable interleaved`);
  await b.definitions.deploy('bench', [
    { resource: 'bench.bpmn', content: approval },
    { resource: 'burst.bpmn', content: timerProcess },
  ]);
  const def = await b.definitions.latest('bench');
  const ctx = await b.definitions.context(def.id);
  const handlers = b.app.get(HandlerRegistry);
  const counter = new StatementCounter(b.db);
  const taskOf = async (instanceId: string): Promise<string> => {
    const [task] = (await b.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [instanceId])) as {
      id: string;
    }[];
    return task.id;
  };
  const durableOne = async (i: number) => {
    const start = await counter.measure(
      () => b.engine.startProcess('bench', { businessKey: `b-${i}`, variables: {} }),
      false,
    );
    const taskId = await taskOf(start.value.id);
    const complete = await counter.measure(() => b.engine.completeTask(taskId, { approved: i % 2 === 0 }), false);
    return { start: start.statements, complete: complete.statements };
  };
  for (let i = 0; i < 20; i++) {
    await bareOne(ctx, i % 2 === 0);
    await rebuiltOne(ctx, handlers, def.id, i);
    await durableOne(-1 - i);
  }
  const pg = postgresCpu(b.db, b.mode.startsWith('embedded'));
  let k = 0;
  for (let run = 1; run <= runs; run++) {
    let bare = 0;
    let rebuilt = 0;
    let node = 0;
    let sql = 0;
    let wall = 0;
    const statements = { start: [] as number[], complete: [] as number[] };
    for (let i = 0; i < n; i++, k++) {
      let c = process.cpuUsage();
      await bareOne(ctx, k % 2 === 0);
      bare += cpuMs(c);
      c = process.cpuUsage();
      await rebuiltOne(ctx, handlers, def.id, k);
      rebuilt += cpuMs(c);
      const p0 = pg?.() ?? 0;
      const t0 = performance.now();
      c = process.cpuUsage();
      // The task's id is read between the two steps: the bench's read, counted in neither step (its CPU is).
      const s = await durableOne(k);
      node += cpuMs(c);
      wall += performance.now() - t0;
      sql += (pg?.() ?? 0) - p0;
      statements.start.push(s.start);
      statements.complete.push(s.complete);
    }
    const per = (x: number) => (x / n).toFixed(2);
    const durable = node + sql;
    // Counted over the whole process: a background statement (the timer reconciler's pass) falling inside a
    // step shows in the mean and the maximum, not in the median.
    const stat = (xs: number[]) =>
      `median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]}, mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)}, max ${Math.max(...xs)}`;
    const stmts = `statements per step: start ${stat(statements.start)}; complete ${stat(statements.complete)}`;
    console.log(
      `run ${run}: CPU ms per instance — bare ${per(bare)}; rebuilt per step without the database ${per(rebuilt)}; ` +
        `durable ${per(node)} Node${pg ? ` + ${per(sql)} PostgreSQL` : ' (PostgreSQL in process)'}, ${per(wall)} ms wall; ` +
        `durable/bare ${(bare / durable).toFixed(2)}${pg ? ` (Node alone ${(bare / node).toFixed(2)})` : ''}; ` +
        `without a database/bare ${(bare / rebuilt).toFixed(2)}; ${stmts}`,
    );
  }
  counter.close();

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
