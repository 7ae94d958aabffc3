import { readFileSync } from 'node:fs';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/app-config.js';
import { EngineService } from '../engine/engine.service.js';
import { ClockWalker } from '../engine/timers/clock-walker.js';
import { TimerDriver } from '../engine/timers/timer-driver.js';
import { ProblemImportService } from '../problems/import/problem-import.service.js';
import { addDays, isValidDate } from '../problems/rules/china-date.js';
import { AssessmentService } from '../reports/assessment/assessment.service.js';
import { MonthlyCycleStarter } from '../reports/monthly/monthly-cycle.starter.js';
import { firstDay, lastDay, monthEnd } from '../reports/rules/month.js';
import { DemoLoader } from './demo-loader.js';
import { DEMO_ASSIGNED_ON } from './demo-problems.js';
import { SCALE_MAX, scaleLedger } from './scale-ledger.js';
import { SimulationModule } from './simulation.module.js';
import {
  coUnitTable,
  formatCoUnitTable,
  formatMonth,
  formatRungTable,
  formatScores,
  monthSummary,
  rungTable,
  type MonthSummary,
  type RungRow,
} from './simulation-report.js';
import { TaskActor } from './task-actor.js';

export interface SimulateOptions {
  from: string;
  until: string;
  act: 'none' | 'on-time' | 'mixed';
  importFile?: string;
  /** A generated ledger of this many problems instead of the demo (`--problems N`). */
  problems?: number;
  processesDir?: string;
}

export interface SimulateIo {
  out: (line: string) => void;
  err: (line: string) => void;
  progress?: (done: number, total: number, label: string) => void;
}

export class SimulateUsageError extends Error {}

export const SIMULATE_USAGE = `simulate --until YYYY-MM-DD [--from YYYY-MM-DD] [--act none|on-time|mixed] [--import ledger.xlsx | --problems N]
      run the demo (or an imported ledger) on a virtual clock in a throw-away database, day by day, and
      print month by month what the escalation ladder and the monthly cycle did; --act on-time has the
      units and the office complete their tasks before they fall due, --act none (default) leaves them,
      --act mixed has some units on time, some late, an extension granted and one refused, a sign-off
      rejected, a rebound at 回头看 and an interview commitment missed; --problems N (at most ${SCALE_MAX}) imports
      a generated ledger of N problems over the demo's units instead of the demo; at the end a table per rung
      and the engine's steps per second`;

export function parseSimulateArgs(argv: string[]): SimulateOptions {
  const o: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(until|from|act|import|problems)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new SimulateUsageError(`unexpected argument "${argv[i]}"`);
    if (m[1] in o) throw new SimulateUsageError(`--${m[1]} given twice`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new SimulateUsageError(`--${m[1]} needs a value`);
    o[m[1]] = value;
  }
  const from = o.from ?? DEMO_ASSIGNED_ON;
  if (!o.until) throw new SimulateUsageError('--until is required');
  for (const k of ['from', 'until'] as const)
    if (!isValidDate(k === 'from' ? from : o.until)) throw new SimulateUsageError(`--${k} must be a date YYYY-MM-DD`);
  if (o.until < from) throw new SimulateUsageError('--until is before --from');
  const act = o.act ?? 'none';
  if (act !== 'none' && act !== 'on-time' && act !== 'mixed')
    throw new SimulateUsageError('--act is none, on-time or mixed');
  if (o.import !== undefined && o.problems !== undefined)
    throw new SimulateUsageError('--import and --problems exclude each other');
  let problems: number | undefined;
  if (o.problems !== undefined) {
    problems = Number(o.problems);
    if (!/^\d+$/.test(o.problems) || problems < 1 || problems > SCALE_MAX)
      throw new SimulateUsageError(`--problems is a whole number from 1 to ${SCALE_MAX}`);
  }
  return { from, until: o.until, act, importFile: o.import, problems };
}

@Module({})
class SimulationRoot {}

const at = (date: string, time: string) => Date.parse(`${date}T${time}+08:00`);

/**
 * The demo on a virtual clock: a throw-away embedded database, the controlled clock pinned at 09:00 on
 * `from`, no HTTP. Each simulated day the clock walks to 10:00, everything firing at its own due time on the
 * way (`ClockWalker`), and with `--act on-time` the units and the office complete the tasks whose time has
 * come; after the last day of each month a line tells what happened in it.
 */
export async function simulate(
  opts: SimulateOptions,
  io: SimulateIo,
): Promise<{
  months: MonthSummary[];
  days: number;
  elapsedMs: number;
  rungs: RungRow[];
  steps: number;
  stepMs: number;
}> {
  const started = Date.now();
  const file = opts.importFile
    ? readFileSync(opts.importFile)
    : opts.problems
      ? await scaleLedger(opts.problems, opts.from)
      : null;
  const source = opts.importFile ?? (opts.problems ? `a generated ledger of ${opts.problems} problems` : '');
  const config = loadConfig({
    DUBAN_DATA_DIR: ':memory:',
    ...(process.env.DUBAN_EMBEDDED_TEMPLATE ? { DUBAN_EMBEDDED_TEMPLATE: process.env.DUBAN_EMBEDDED_TEMPLATE } : {}),
    DUBAN_CLOCK_CONTROLLED: 'true',
    DUBAN_DEMO: 'false',
    DUBAN_LOG_LEVEL: 'error',
    DUBAN_RECONCILE_MS: '86400000',
    // A throw-away database: no first-start accounts are made or printed.
    NODE_ENV: 'test',
    DUBAN_PROCESSES_DIR: opts.processesDir ?? process.env.DUBAN_PROCESSES_DIR ?? './processes',
  });
  const root: DynamicModule = {
    module: SimulationRoot,
    imports: [AppModule.forRoot(config), SimulationModule.forRoot(at(opts.from, '09:00:00'))],
  };
  const ctx = await NestFactory.createApplicationContext(root, { logger: ['error'], abortOnError: false });
  try {
    // Everything runs from this loop, in clock order: the in-process timer loop stands down.
    await ctx.get(TimerDriver).stop();
    const engine = ctx.get(EngineService);
    const walker = ctx.get(ClockWalker);
    const db = ctx.get(DataSource);
    const actor = ctx.get(TaskActor);
    const loader = ctx.get(DemoLoader);
    const stepsFrom = Date.now();
    if (file) {
      await loader.loadUnits();
      const res = await ctx.get(ProblemImportService, { strict: false }).import(file, { source });
      io.out(
        `imported ${res.created.length} problems from ${source} in ${((Date.now() - stepsFrom) / 1000).toFixed(1)} s`,
      );
    } else {
      const r = await loader.load();
      io.out(`demo loaded at ${opts.from}: ${r.units} units, ${r.problems} problems, ${r.started} processes started`);
    }
    await ctx.get(MonthlyCycleStarter).ensure();
    await engine.drainDue();
    io.out(
      `simulating ${opts.from} → ${opts.until}, units ${opts.act === 'on-time' ? 'complete their tasks on time' : opts.act === 'mixed' ? 'act each as its role (on time, late, extension, rejected, rebound, commitment missed)' : 'do nothing'}`,
    );

    const months: MonthSummary[] = [];
    let red = new Set<string>();
    const total = Math.round((Date.parse(opts.until) - Date.parse(opts.from)) / 86_400_000) + 1;
    let day = opts.from;
    for (let n = 1; n <= total; n++, day = addDays(day, 1)) {
      if (n > 1) await walker.advanceTo(at(day, '10:00:00'));
      else await engine.drainDue();
      if (opts.act !== 'none' && (await actor.actDue(opts.act)).completed > 0) await engine.drainDue();
      io.progress?.(n, total, day);
      if (day === lastDay(day.slice(0, 7)) || day === opts.until) {
        const month = day.slice(0, 7);
        const from = new Date(Math.max(at(firstDay(month), '00:00:00'), at(opts.from, '00:00:00')));
        const to = new Date(Math.min(monthEnd(month), at(addDays(opts.until, 1), '00:00:00')));
        const res = await monthSummary(db, month, from, to, red);
        red = res.red;
        months.push(res.summary);
        io.out(formatMonth(res.summary));
      }
    }
    const rungs = await rungTable(db);
    for (const line of formatRungTable(rungs)) io.out(line);
    for (const line of formatCoUnitTable(await coUnitTable(db, opts.until))) io.out(line);
    // The year's scores (年度考核), each year of the run.
    const assessment = ctx.get(AssessmentService);
    for (let year = Number(opts.from.slice(0, 4)); year <= Number(opts.until.slice(0, 4)); year++)
      for (const line of formatScores(await assessment.year(String(year)))) io.out(line);
    // A step is one BPMN element run by the engine (a task, a timer, a gateway, a service call), as its history holds.
    const [{ n }] = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM engine_history');
    return {
      months,
      days: total,
      elapsedMs: Date.now() - started,
      rungs,
      steps: Number(n),
      stepMs: Date.now() - stepsFrom,
    };
  } finally {
    await ctx.close();
  }
}

/** `npm run cli -- simulate …`: answers the exit code (0 done, 2 bad arguments). */
export async function runSimulate(argv: string[], io: SimulateIo): Promise<number> {
  let opts: SimulateOptions;
  try {
    opts = parseSimulateArgs(argv);
  } catch (e) {
    if (e instanceof SimulateUsageError) {
      io.err(`error: ${e.message}\n\nusage: npm run cli -- ${SIMULATE_USAGE}`);
      return 2;
    }
    throw e;
  }
  const res = await simulate(opts, { ...io, progress: io.progress ?? progressBar() });
  io.out(`simulated ${res.days} days (${opts.from} → ${opts.until}) in ${(res.elapsedMs / 1000).toFixed(1)} s`);
  io.out(
    `engine steps (BPMN elements run): ${res.steps} in ${(res.stepMs / 1000).toFixed(1)} s, ${Math.round(res.steps / (res.stepMs / 1000))} steps/s`,
  );
  return 0;
}

/** A bar on stderr, redrawn in place on a terminal, every tenth otherwise. */
function progressBar(): (done: number, total: number, label: string) => void {
  let shown = -1;
  return (done, total, label) => {
    const tenth = Math.floor((done / total) * 10);
    const width = 30;
    const filled = Math.round((done / total) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}% ${label}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${bar}${done === total ? '\n' : ''}`);
    else if (tenth !== shown) {
      shown = tenth;
      process.stderr.write(`${bar}\n`);
    }
  };
}
