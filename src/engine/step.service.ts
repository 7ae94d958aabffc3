import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { databaseUnavailableCause } from '../common/database-unavailable.js';
import { DomainException, conflict, notFound } from '../common/domain-exception.js';
import { DefinitionService, type DefinitionRow } from './definition.service.js';
import { HandlerRegistry } from './handler-registry.js';
import { runStep, type StartBy, type StepCommand, type StepInput, type StepOutcome } from './runtime/bpmn-runtime.js';
import { adoptStart, isDeferred, learnStartShape, predictStart, type StartShape } from './runtime/deferred-start.js';
import type { PendingResult } from './runtime/step-context.js';
import { EngineThreadLost, StepPool } from './runtime/step-pool.js';
import type { DerivedTask } from './runtime/task-attributes.js';
import type { TimerLimits } from './runtime/timer-rules.js';
import {
  nextVariableTypes,
  withVariables,
  type VariableChanges,
  type VariableTypes,
} from './runtime/variable-changes.js';
import { StepWrites } from './step-writes.js';
import { TimerDriver } from './timers/timer-driver.js';
import { within } from '../common/within.js';

/** An instance's stored engine state (bpmn-engine's own JSON), opaque to everything but the runtime. */
export type StoredState = unknown;

export interface InstanceRow {
  id: string;
  definition_id: string;
  definition_key: string;
  business_key: string | null;
  status: string;
  state: StoredState;
  variables: Record<string, unknown>;
  /** Type tags callers gave variables (Camunda's Long, Date, Object…), by variable name. */
  variable_types: VariableTypes;
  version: number;
  parent_id: string | null;
  parent_execution_id: string | null;
  pending_services: boolean;
  started_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
}

/** An open user task as the step holds it (read with the instance, timestamps as JSON gives them). */
export interface HeldTask {
  id: string;
  instance_id: string;
  definition_id: string;
  definition_key: string;
  business_key: string | null;
  activity_id: string;
  execution_id: string;
  name: string | null;
  assignee: string | null;
  candidate_users: string[];
  candidate_groups: string[];
  due_at: string | null;
  due_spec: string | null;
  follow_up_at: string | null;
  priority: number;
  form_key: string | null;
  documentation: string | null;
  properties: Record<string, string>;
  input: Record<string, unknown>;
  created_at: string;
  /** Camunda's delegation (PENDING while a delegate works on it), where the REST API set one. */
  delegation_state?: string | null;
}

export interface HeldTimer {
  id: string;
  execution_id: string;
  expire_at: string;
}

interface HeldSubscription {
  id: string;
  kind: string;
  name: string;
  ref_id: string;
  activity_id: string;
  execution_id: string;
}

/**
 * An instance read under its row lock with everything a step needs of it, in one statement: its open tasks,
 * timers, subscriptions and external tasks, whether an incident is open, and the listeners' lookups.
 */
export interface LockedInstance extends InstanceRow {
  tasks: HeldTask[];
  timers: HeldTimer[];
  subscriptions: HeldSubscription[];
  external_executions: string[];
  open_incident: boolean;
  /** What the registered lookups answered for this instance's business key, by name. */
  lookups: Record<string, unknown>;
}

/** What listeners get of a step: the rows it already holds, and its one write to add theirs to. */
export interface StepScope {
  /** The instance as the step leaves it. */
  instance: InstanceRow;
  definition: DefinitionRow;
  /** Tasks by id: those open before the step and those it created. */
  tasks: ReadonlyMap<string, HeldTask>;
  lookups: Readonly<Record<string, unknown>>;
  writes: StepWrites;
}

/** A step the engine could not finish; the transaction was rolled back and the caller records an incident. */
export class StepFailure extends Error {
  constructor(
    readonly instanceId: string,
    readonly activityId: string | null,
    readonly command: StoredCommand,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** A command as stored with an incident, so a retry can run it again. */
export type StoredCommand = TypedCommand & { runServices?: boolean; results?: Record<string, PendingResult> };

/** A command with the variables an API sets or removes before it runs, and the type tags given with them. */
export type TypedCommand = StepCommand & {
  vars?: VariableChanges;
  /** A completion by someone who claims the task with it (签收 and the form in one action). */
  claimedBy?: string;
};

interface AfterCommit {
  schedule: { id: string; instanceId: string; expireAt: number }[];
  unschedule: string[];
  services: Set<string>;
  newExternalTopics: Set<string>;
  events: { type: string; instanceId: string; payload: Record<string, unknown> }[];
}

type StepEvent = { type: string; instanceId: string; payload: Record<string, unknown> };

type StepListener = (e: StepEvent, m: EntityManager, scope: StepScope) => Promise<void> | void;

/** Which instance to lock: by its id, or by the id of one of its tasks (a completion knows only the task). */
export type LockTarget = { instanceId: string } | { taskId: string };

/**
 * One command = one transaction: lock the instance row, run the engine from its stored state, write the
 * derived tasks, timers, subscriptions, external tasks and history, commit with version+1; schedule queue
 * jobs only after the commit.
 *
 * A common step is four statements: BEGIN, one read of the instance with its tasks and timers under the row
 * lock (a start reads its definition and lookups instead), one write of everything (StepWrites: one statement
 * of data-modifying common table expressions, the listeners' rows and the trail's entries included), COMMIT.
 */
@Injectable()
export class StepService implements OnModuleDestroy {
  private readonly logger = new Logger('step');
  private readonly listeners: StepListener[] = [];
  private readonly afterCommitHooks: ((events: AfterCommit['events']) => void)[] = [];
  private readonly lookups: { name: string; sql: string }[] = [];
  private readonly timerLimits: TimerLimits;
  /** The engine threads (none: every step's engine runs on the main thread). */
  private readonly pool: StepPool;
  /** What each definition's start does, learned from a real start of it here that can be put off. */
  private readonly startShapes = new Map<string, StartShape>();

  constructor(
    private readonly db: DataSource,
    private readonly definitions: DefinitionService,
    private readonly handlers: HandlerRegistry,
    private readonly clock: Clock,
    private readonly driver: TimerDriver,
    config: AppConfig,
  ) {
    this.timerLimits = config.timerLimits;
    this.pool = new StepPool(config.engineThreads, () => handlers.portableLiteral);
    definitions.onForget((ids) => {
      this.pool.forget([...ids]);
      for (const id of ids) this.startShapes.delete(id);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }

  /**
   * Domain modules write their rows in the step's transaction (task created, instance ended…), from the rows
   * the step holds (`scope`), best as parts of its one write (`scope.writes`). A statement of a listener's
   * own on `m` is sent after the parts gathered so far, so it sees the step's rows.
   */
  onStep(listener: StepListener): void {
    this.listeners.push(listener);
  }

  onCommitted(hook: (events: AfterCommit['events']) => void): void {
    this.afterCommitHooks.push(hook);
  }

  /**
   * A value read with the instance by every step, for the listeners (`scope.lookups[name]`): `sql` is a scalar
   * SQL expression of `:business_key`, the instance's business key (a problem's id by its code…).
   */
  addLookup(name: string, sql: string): void {
    if (!/^[a-z][a-z0-9_]*$/i.test(name)) throw new Error(`lookup name ${name}`);
    this.lookups.push({ name, sql });
  }

  /**
   * Starts an instance of `def` (a definition, or a key: its latest version, read with the lookups). Inserted
   * once, with the state the engine left it in.
   */
  async start(
    def: DefinitionRow | string,
    businessKey: string | null,
    variables: Record<string, unknown>,
    parent?: { id: string; executionId: string },
    outer?: EntityManager | { m: EntityManager; after: AfterCommit },
    startBy?: StartBy,
    types?: VariableTypes,
  ): Promise<InstanceRow> {
    const run = async (m: EntityManager, after: AfterCommit) => {
      const p = await this.prepareStart(m, def, businessKey, variables, parent, startBy, types);
      return this.stepLocked(m, p.fresh, p.command, false, new Map(), after, p.definition);
    };
    if (outer && !('after' in outer)) {
      // Inside a caller's own transaction: the caller schedules nothing, so the reconciler's next pass
      // delivers the new instance's timers and services.
      return run(outer, this.newAfter());
    }
    const result = outer ? await run(outer.m, outer.after) : await this.inTransaction(run);
    return result;
  }

  /**
   * Starts one instance of `def` per row in the caller's transaction, in the rows' order, as `start` does each:
   * with engine threads, the engine runs of the next rows go on beside the writes of the current one (their
   * reads are sent between the writes, one statement at a time; every write is in order). `starting` hears the row whose start is being
   * written (a failure is that row's), `started` each instance once written.
   */
  async startMany<T>(
    def: DefinitionRow,
    rows: readonly T[],
    how: {
      m: EntityManager;
      after: AfterCommit;
      businessKey: (row: T) => string | null;
      variables: (row: T) => Record<string, unknown>;
      starting?: (row: T) => void;
      started?: (row: T, inst: InstanceRow) => Promise<void> | void;
      /** Put off the engines of starts that can be (`startDeferred`). */
      defer?: boolean;
    },
  ): Promise<void> {
    const { m, after } = how;
    const context = how.defer ? await this.definitions.context(def.id, m) : null;
    const ahead = this.pool.enabled ? this.pool.size * 2 : 1;
    type Ready = { fresh: LockedInstance; command: TypedCommand; outcome: StepOutcome } | { failed: unknown };
    const ready = new Map<number, Promise<Ready>>();
    // One statement at a time on the transaction: the reads of the rows ahead are sent between the writes,
    // only their engine runs go on beside them (the definition's context is read before any of them).
    if (this.pool.enabled) await this.definitions.contextSource(def.id, m);
    try {
      for (let i = 0; i < rows.length; i++) {
        for (let j = i; j < Math.min(rows.length, i + ahead); j++) {
          if (ready.has(j)) continue;
          how.starting?.(rows[j]);
          const p = await this.prepareStart(m, def, how.businessKey(rows[j]), how.variables(rows[j]));
          const predicted = context ? this.putOff(p, context) : null;
          if (predicted) {
            ready.set(j, Promise.resolve({ ...p, outcome: predicted }));
            continue;
          }
          ready.set(
            j,
            this.engineStep(m, p.fresh, def, p.command, false, new Map(), true).then(
              (outcome): Ready => ({ ...p, outcome }),
              (failed: unknown): Ready => ({ failed }),
            ),
          );
        }
        how.starting?.(rows[i]);
        const r = await ready.get(i)!;
        ready.delete(i);
        if ('failed' in r) throw r.failed;
        if (context) this.learnStart(def, r.command, r.fresh.variables, r.outcome, context);
        const inst = await this.applyStep(m, r.fresh, def, r.command, r.outcome, after);
        await how.started?.(rows[i], inst);
      }
    } finally {
      // Nothing of a failed batch is left running when the caller rolls the transaction back.
      await Promise.allSettled(ready.values());
    }
  }

  /**
   * Starts an instance in the caller's transaction as `start` does, but puts off running its engine until its
   * first step when nothing before its first wait can depend on the variables (`deferred-start.ts`): the rows
   * are the same, written from what the engine's first start of this definition did, with the timers computed
   * the engine's way. A start that cannot be put off (or the first of its definition here) runs as `start` does.
   */
  async startDeferred(
    def: DefinitionRow | string,
    businessKey: string | null,
    variables: Record<string, unknown>,
    m: EntityManager,
  ): Promise<InstanceRow> {
    const after = this.newAfter();
    const p = await this.prepareStart(m, def, businessKey, variables);
    const context = await this.definitions.context(p.definition.id, m);
    const predicted = this.putOff(p, context);
    if (predicted) return this.applyStep(m, p.fresh, p.definition, p.command, predicted, after);
    const outcome = await this.engineStep(m, p.fresh, p.definition, p.command, false, new Map());
    this.learnStart(p.definition, p.command, p.fresh.variables, outcome, context);
    return this.applyStep(m, p.fresh, p.definition, p.command, outcome, after);
  }

  /**
   * What a start of `def` does, learned from one that came to rest at its waits; one that did not (its first
   * timer was already due, a condition took another way) leaves the next start to learn from.
   */
  private learnStart(
    def: DefinitionRow,
    command: TypedCommand,
    variables: Record<string, unknown>,
    outcome: StepOutcome,
    context: unknown,
  ): void {
    if (this.startShapes.has(def.id) || (command.kind === 'start' && command.startBy?.kind === 'message')) return;
    const learned = learnStartShape(outcome, variables, context, def.key);
    if (typeof learned !== 'string') this.startShapes.set(def.id, learned);
  }

  /**
   * A prepared start's rows without its engine, or null when it runs its engine: its definition's start is not
   * learned (or cannot be put off), it starts by a message, or a timer would fall due at once or be refused (the
   * engine's own start then says why, as an incident).
   */
  private putOff(
    p: { definition: DefinitionRow; fresh: LockedInstance; command: TypedCommand },
    context: unknown,
  ): StepOutcome | null {
    const shape = this.startShapes.get(p.definition.id);
    const startBy = p.command.kind === 'start' ? p.command.startBy : undefined;
    if (!shape || startBy?.kind === 'message') return null;
    try {
      const timers = { literal: this.handlers.timerLiteral, limits: this.timerLimits };
      return predictStart(shape, context, p.fresh.variables, p.fresh.started_at.getTime(), timers, startBy);
    } catch {
      return null;
    }
  }

  /**
   * A put-off start's engine state: its start run as it would have run then, the engine's executions named as
   * the rows already name them. A run that is not the one the rows were written for fails the step (an incident).
   */
  private async adoptDeferred(
    m: EntityManager,
    inst: LockedInstance,
    def: DefinitionRow,
    stored: StoredCommand,
  ): Promise<LockedInstance> {
    const marker = inst.state;
    if (!isDeferred(marker)) return inst;
    const { at, startBy } = marker.deferredStart;
    const command: TypedCommand = { kind: 'start', variables: inst.variables, ...(startBy ? { startBy } : {}) };
    const bare = { ...inst, state: null, tasks: [], timers: [], subscriptions: [], external_executions: [] };
    try {
      const started = await this.engineStep(m, bare, def, command, false, new Map(), false, at);
      return { ...inst, state: adoptStart(marker, started, inst) };
    } catch (err) {
      if (databaseUnavailableCause(err)) throw err;
      const cause = err instanceof StepFailure ? err.cause : err;
      throw new StepFailure(inst.id, err instanceof StepFailure ? err.activityId : null, stored, cause);
    }
  }

  /** A start's reads and the instance row it begins from (inserted once, by the step, in its final state). */
  private async prepareStart(
    m: EntityManager,
    def: DefinitionRow | string,
    businessKey: string | null,
    variables: Record<string, unknown>,
    parent?: { id: string; executionId: string },
    startBy?: StartBy,
    types?: VariableTypes,
  ): Promise<{ definition: DefinitionRow; fresh: LockedInstance; command: TypedCommand }> {
    const read = await this.startRead(m, typeof def === 'string' ? def : null, businessKey);
    const definition = typeof def === 'string' ? await this.definitions.get(read.definitionId!, m) : def;
    const by = startBy ?? defaultStart(definition);
    const vars = await this.handlers.startVariables(definition.key, m, variables);
    const fresh: LockedInstance = {
      id: randomUUID(),
      definition_id: definition.id,
      definition_key: definition.key,
      business_key: businessKey,
      status: 'active',
      state: null,
      variables: vars,
      variable_types: types ?? {},
      version: 0,
      parent_id: parent?.id ?? null,
      parent_execution_id: parent?.executionId ?? null,
      pending_services: false,
      started_at: this.clock.date(),
      ended_at: null,
      end_reason: null,
      tasks: [],
      timers: [],
      subscriptions: [],
      external_executions: [],
      open_incident: false,
      lookups: read.lookups,
    };
    const command: TypedCommand = {
      kind: 'start',
      variables: vars,
      ...(by ? { startBy: by } : {}),
      ...(types ? { vars: { types } } : {}),
    };
    return { definition, fresh, command };
  }

  /** A start's one read: the latest definition of a key (when asked) and the lookups of its business key. */
  private async startRead(
    m: EntityManager,
    key: string | null,
    businessKey: string | null,
  ): Promise<{ definitionId: string | null; lookups: Record<string, unknown> }> {
    if (key === null && !this.lookups.length) return { definitionId: null, lookups: {} };
    const cols = this.lookups.map((l) => `${l.sql.replaceAll(':business_key', '$1::text')} AS "lk_${l.name}"`);
    if (key !== null)
      cols.push(`(SELECT d.id FROM engine_definition d WHERE $2 = ANY(d.process_keys)
        ORDER BY (d.key = $2) DESC, d.version DESC, d.created_at DESC LIMIT 1) AS definition_id`);
    const [row] = (await m.query(`SELECT ${cols.join(', ')}`, key === null ? [businessKey] : [businessKey, key])) as
      Record<string, unknown>[] | [];
    const definitionId = (row?.definition_id as string | null | undefined) ?? null;
    if (key !== null && !definitionId) throw notFound('process definition with key', key);
    return { definitionId, lookups: this.lookupsOf(row ?? {}) };
  }

  private lookupsOf(row: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(this.lookups.map((l) => [l.name, row[`lk_${l.name}`] ?? null]));
  }

  /** Run a command on an existing instance in its own transaction. */
  async step(
    instanceId: string,
    command: TypedCommand,
    opts: { runServices?: boolean; results?: Map<string, PendingResult> } = {},
  ): Promise<InstanceRow> {
    return this.inTransaction(async (m, after) =>
      this.stepLocked(
        m,
        await this.lock(m, instanceId),
        command,
        opts.runServices ?? false,
        opts.results ?? new Map(),
        after,
      ),
    );
  }

  /**
   * A command on another instance inside the caller's own step transaction (one commits with the other). As
   * with `start` inside a caller's transaction, the reconciler's next pass delivers its timers and services.
   */
  async stepWithin(m: EntityManager, instanceId: string, command: TypedCommand): Promise<InstanceRow> {
    return this.stepLocked(m, await this.lock(m, instanceId), command, false, new Map(), this.newAfter());
  }

  /** Run `fn` holding the instance's row lock, then a command built from what `fn` saw. */
  async stepWith<T>(
    instanceId: string,
    fn: (
      inst: LockedInstance,
      m: EntityManager,
    ) => Promise<{
      command: TypedCommand | null;
      results?: Map<string, PendingResult>;
      runServices?: boolean;
      value: T;
    }>,
  ): Promise<T> {
    return (await this.stepOn({ instanceId }, fn)).value;
  }

  /** As `stepWith`, locking by instance or task, answering the instance as the step left it too (null: no step). */
  async stepOn<T>(
    target: LockTarget,
    fn: (
      inst: LockedInstance,
      m: EntityManager,
    ) => Promise<{
      command: TypedCommand | null;
      results?: Map<string, PendingResult>;
      runServices?: boolean;
      value: T;
    }>,
  ): Promise<{ value: T; row: InstanceRow | null }> {
    return this.inTransaction(async (m, after) => {
      const inst = await this.lockOn(m, target);
      const { command, results, runServices, value } = await fn(inst, m);
      const row = command
        ? await this.stepLocked(m, inst, command, runServices ?? false, results ?? new Map(), after)
        : null;
      return { value, row };
    });
  }

  private newAfter(): AfterCommit {
    return { schedule: [], unschedule: [], services: new Set(), newExternalTopics: new Set(), events: [] };
  }

  private async inTransaction<T>(fn: (m: EntityManager, after: AfterCommit) => Promise<T>): Promise<T> {
    const after = this.newAfter();
    const result = await this.db.transaction((m) => fn(m, after));
    await this.deliver(after);
    return result;
  }

  /**
   * After a commit: hand new timers to the queue, run parked services, tell the committed-hooks. Callers that
   * start instances inside their own transaction (`start(…, { m, after })`) call it once theirs has committed.
   */
  async deliver(after: AfterCommit): Promise<void> {
    // The step is committed: the caller is answered without waiting long on the queue. While Redis is away its
    // client holds the commands until it is back; the reconciler schedules from the table again meanwhile, so a
    // queue outage loses no timer and runs every parked service.
    const scheduling = (async () => {
      if (after.unschedule.length) await this.driver.unschedule(after.unschedule);
      if (after.schedule.length) await this.driver.schedule(after.schedule);
    })();
    await within(scheduling, QUEUE_WAIT_MS, 'the queue').catch((e) =>
      this.logger.warn(`scheduling after commit failed: ${(e as Error).message}`),
    );
    for (const hook of this.afterCommitHooks) {
      try {
        hook(after.events);
      } catch (e) {
        this.logger.warn(`after-commit hook: ${(e as Error).message}`);
      }
    }
    for (const id of after.services)
      await within(this.driver.runServices(id), QUEUE_WAIT_MS, 'the queue').catch((e) =>
        this.logger.warn(`services of ${id}: ${(e as Error).message}`),
      );
  }

  async lock(m: EntityManager, instanceId: string): Promise<LockedInstance> {
    return this.lockOn(m, { instanceId });
  }

  /**
   * The one read of a step. Under READ COMMITTED a row lock waited for returns the row as committed meanwhile,
   * while the statement's other reads (the tasks, the timers) still see the snapshot taken before the wait:
   * `fresh` compares the two versions of the row, and a stale read is made again, now under the lock.
   */
  async lockOn(m: EntityManager, target: LockTarget): Promise<LockedInstance> {
    let row = await this.lockRead(m, target);
    // Read again by the instance's id: a task completed meanwhile is then missing from its tasks (a 409).
    if (row && !row.fresh) row = await this.lockRead(m, { instanceId: row.id });
    if (!row)
      throw 'taskId' in target ? notFound('task', target.taskId) : notFound('process instance', target.instanceId);
    const { fresh: _fresh, ...rest } = row;
    void _fresh;
    const raw = rest as unknown as Record<string, unknown>;
    const lookups = this.lookupsOf(raw);
    for (const l of this.lookups) delete raw[`lk_${l.name}`];
    return { ...rest, lookups };
  }

  private async lockRead(
    m: EntityManager,
    target: LockTarget,
  ): Promise<(LockedInstance & { fresh: boolean }) | undefined> {
    const where = 'taskId' in target ? `i.id = (SELECT t.instance_id FROM engine_task t WHERE t.id = $1)` : `i.id = $1`;
    const key = 'taskId' in target ? target.taskId : target.instanceId;
    const lookups = this.lookups.map(
      (l) => `, ${l.sql.replaceAll(':business_key', 'i.business_key')} AS "lk_${l.name}"`,
    );
    const sql = `SELECT i.*, i.version = (SELECT x.version FROM engine_instance x WHERE x.id = i.id) AS fresh,
        coalesce((SELECT json_agg(t) FROM engine_task t WHERE t.instance_id = i.id), '[]'::json) AS tasks,
        coalesce((SELECT json_agg(json_build_object('id', r.id, 'execution_id', r.execution_id, 'expire_at', r.expire_at))
          FROM engine_timer r WHERE r.instance_id = i.id), '[]'::json) AS timers,
        coalesce((SELECT json_agg(json_build_object('id', s.id::text, 'kind', s.kind, 'name', s.name, 'ref_id', s.ref_id,
          'activity_id', s.activity_id, 'execution_id', s.execution_id)) FROM engine_subscription s WHERE s.instance_id = i.id), '[]'::json) AS subscriptions,
        coalesce((SELECT json_agg(e.execution_id) FROM engine_external_task e WHERE e.instance_id = i.id), '[]'::json) AS external_executions,
        EXISTS (SELECT 1 FROM engine_incident x WHERE x.instance_id = i.id AND x.resolved_at IS NULL) AS open_incident
        ${lookups.join('')}
      FROM engine_instance i WHERE ${where} FOR UPDATE OF i`;
    return ((await m.query(sql, [key])) as (LockedInstance & { fresh: boolean })[])[0];
  }

  private async stepLocked(
    m: EntityManager,
    inst: LockedInstance,
    command: TypedCommand,
    runServices: boolean,
    results: Map<string, PendingResult>,
    after: AfterCommit,
    startDefinition?: DefinitionRow,
  ): Promise<InstanceRow> {
    if (inst.status !== 'active') throw conflict(`流程实例 ${inst.id} 已不在运行（${inst.status}）`);
    const def = startDefinition ?? (await this.definitions.get(inst.definition_id, m));
    if (isDeferred(inst.state))
      inst = await this.adoptDeferred(m, inst, def, { ...command, runServices, results: Object.fromEntries(results) });
    const outcome = await this.engineStep(m, inst, def, command, runServices, results);
    return this.applyStep(m, inst, def, command, outcome, after);
  }

  /** The engine's part of a step: what the instance does from its stored state; a failure is a StepFailure. */
  private async engineStep(
    m: EntityManager,
    inst: LockedInstance,
    def: DefinitionRow,
    command: TypedCommand,
    runServices: boolean,
    results: Map<string, PendingResult>,
    ahead = false,
    /** The clock for this run (a put-off start runs at its instance's start); now otherwise. */
    at?: number,
  ): Promise<StepOutcome> {
    const instanceId = inst.id;
    const knownTasks = new Map<string, DerivedTask>(inst.tasks.map((t) => [t.execution_id, rowToDerived(t)]));
    const moved = new Map<string, number>(inst.timers.map((t) => [t.execution_id, new Date(t.expire_at).getTime()]));

    const stored: StoredCommand = { ...command, runServices, results: Object.fromEntries(results) };
    let outcome: StepOutcome;
    try {
      const input = {
        instance: { id: instanceId, businessKey: inst.business_key, definitionKey: inst.definition_key },
        definitionId: def.id,
        // Variables an API sets go into the stored state before it is recovered, where the process reads them.
        state:
          command.kind === 'start'
            ? null
            : command.vars?.set || command.vars?.remove
              ? withVariables(inst.state, command.vars.set ?? {}, command.vars.remove ?? [])
              : inst.state,
        command,
        results,
        movedTimers: moved,
        timerLimits: this.timerLimits,
        knownTasks,
        externalCalls: new Set(def.meta.externalCalls),
      };
      outcome = await this.runEngine(m, input, runServices, ahead, at);
    } catch (err) {
      throw (
        (databaseUnavailableCause(err) as Error | null) ?? new StepFailure(instanceId, activityOf(err), stored, err)
      );
    }
    // A handler whose query found the database gone did not fail the process: the step rolls back and is tried
    // again (the caller's 503, the timer's next delivery, the reconciler's next pass), with no incident.
    if (outcome.error)
      throw (
        (databaseUnavailableCause(outcome.error) as Error | null) ??
        new StepFailure(instanceId, activityOf(outcome.error), stored, outcome.error)
      );
    if (outcome.undelivered && command.kind === 'completeTask')
      throw new DomainException('TASK_GONE', 409, `任务 ${command.executionId} 已不在等待办理`);
    return outcome;
  }

  /** What the step wrote: the instance, its tasks, timers, history and the rest, and the listeners' rows. */
  private async applyStep(
    m: EntityManager,
    inst: LockedInstance,
    def: DefinitionRow,
    command: TypedCommand,
    outcome: StepOutcome,
    after: AfterCommit,
  ): Promise<InstanceRow> {
    const instanceId = inst.id;
    const isStart = command.kind === 'start';
    const now = this.clock.date();
    const ended = outcome.status === 'completed';
    const types = nextVariableTypes(inst.variable_types, inst.variables, outcome.variables, command.vars?.types);
    const updated: InstanceRow = {
      id: inst.id,
      definition_id: inst.definition_id,
      definition_key: inst.definition_key,
      business_key: inst.business_key,
      status: ended ? 'completed' : 'active',
      state: outcome.state,
      variables: outcome.variables,
      variable_types: types,
      version: inst.version + 1,
      parent_id: inst.parent_id,
      parent_execution_id: inst.parent_execution_id,
      pending_services: outcome.parkedServices > 0,
      started_at: inst.started_at,
      ended_at: ended ? now : null,
      end_reason: inst.end_reason,
    };
    const writes = new StepWrites();
    if (isStart)
      writes.add(
        `INSERT INTO engine_instance (id, definition_id, definition_key, business_key, status, state, variables, version, parent_id,
           parent_execution_id, pending_services, started_at, ended_at, variable_types)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
        [
          updated.id,
          updated.definition_id,
          updated.definition_key,
          updated.business_key,
          updated.status,
          JSON.stringify(updated.state),
          JSON.stringify(updated.variables),
          updated.version,
          updated.parent_id,
          updated.parent_execution_id,
          updated.pending_services,
          updated.started_at,
          updated.ended_at,
          JSON.stringify(types),
        ],
      );
    else
      writes.add(
        `UPDATE engine_instance SET state = $2, variables = $3, status = $4, version = version + 1, pending_services = $5,
         ended_at = CASE WHEN $4 = 'active' THEN NULL ELSE $6::timestamptz END, variable_types = $7 WHERE id = $1`,
        [
          instanceId,
          JSON.stringify(outcome.state),
          JSON.stringify(outcome.variables),
          updated.status,
          updated.pending_services,
          now,
          JSON.stringify(types),
        ],
      );
    if (outcome.parkedServices > 0) after.services.add(instanceId);

    const tasks = this.writeTasks(writes, inst, def, outcome, after, command);
    const claimed =
      command.kind === 'completeTask' && command.claimedBy
        ? { executionId: command.executionId, assignee: command.claimedBy }
        : null;
    this.writeHistory(writes, inst, outcome, tasks.created, isStart, claimed);
    this.writeTimers(writes, instanceId, outcome, inst.timers, after);
    this.writeSubscriptions(writes, instanceId, outcome, inst.subscriptions);
    this.writeExternalTasks(writes, inst, def, outcome, after);
    if (ended && !isStart)
      writes.add(
        `UPDATE engine_instance SET status = 'completed', ended_at = $2 WHERE parent_id = $1 AND status = 'active'`,
        [instanceId, now],
      );

    // Called processes and a parent woken by this end come after this instance's rows, which they refer to.
    if (outcome.callWaits.length || (ended && inst.parent_id)) await writes.flush(m);
    for (const call of outcome.callWaits) {
      const [existing] = (await m.query(
        `SELECT id FROM engine_instance WHERE parent_id = $1 AND parent_execution_id = $2`,
        [instanceId, call.executionId],
      )) as { id: string }[];
      if (existing) continue;
      const child = await this.definitions.latest(call.calledElement, m);
      await this.start(
        child,
        inst.business_key,
        outcome.variables,
        { id: instanceId, executionId: call.executionId },
        { m, after },
        undefined,
        types,
      );
    }
    if (ended) {
      after.events.push({
        type: 'instance.ended',
        instanceId,
        payload: { definitionKey: inst.definition_key, businessKey: inst.business_key },
      });
      if (inst.parent_id && inst.parent_execution_id) {
        const deliver = new Map<string, PendingResult>([[inst.parent_execution_id, { output: outcome.variables }]]);
        await this.stepLocked(m, await this.lock(m, inst.parent_id), { kind: 'wake' }, false, deliver, after);
      }
    }
    const scope: StepScope = { instance: updated, definition: def, tasks: tasks.all, lookups: inst.lookups, writes };
    const held = writesFirst(m, writes);
    for (const e of after.events.filter((x) => x.instanceId === instanceId))
      for (const l of this.listeners) await l(e, held, scope);
    await writes.flush(m);
    return updated;
  }

  /**
   * The engine part of a step. On an engine thread when there are threads and the step runs no service (a
   * service's handler runs here, in the step's transaction), with the clock read once for the whole step;
   * here otherwise, or when the thread went away.
   */
  private async runEngine(
    m: EntityManager,
    input: Omit<StepInput, 'sourceContext' | 'now' | 'handlers' | 'runServices' | 'timerLiteral' | 'tx'>,
    runServices: boolean,
    ahead: boolean,
    at?: number,
  ): Promise<StepOutcome> {
    const now = () => at ?? this.clock.now();
    const literalPortable = this.handlers.timerLiteral === null || this.handlers.portableLiteral !== null;
    if (this.pool.enabled && !runServices && literalPortable) {
      try {
        return await this.pool.run(
          { ...input, now: now(), handlerNames: [...this.handlers.names()] },
          () => this.definitions.contextSource(input.definitionId, m),
          { ahead },
        );
      } catch (err) {
        if (!(err instanceof EngineThreadLost)) throw err;
        this.logger.warn(`instance ${input.instance.id}: ${err.message}; its step runs on the main thread`);
      }
    }
    return runStep({
      ...input,
      sourceContext: await this.definitions.context(input.definitionId, m),
      now,
      handlers: this.handlers.map,
      runServices,
      timerLiteral: this.handlers.timerLiteral,
      tx: m,
    });
  }

  /** Tasks no longer derived are deleted (task.ended), new ones inserted (task.created): ids made here. */
  private writeTasks(
    writes: StepWrites,
    inst: LockedInstance,
    def: DefinitionRow,
    outcome: StepOutcome,
    after: AfterCommit,
    command: StepCommand,
  ): { all: Map<string, HeldTask>; created: Map<string, HeldTask> } {
    const all = new Map<string, HeldTask>(inst.tasks.map((t) => [t.id, t]));
    const created = new Map<string, HeldTask>();
    const keep = new Set(outcome.tasks.map((t) => t.executionId));
    const gone = inst.tasks.filter((t) => !keep.has(t.execution_id));
    if (gone.length) {
      writes.add(`DELETE FROM engine_task WHERE id = ANY($1::uuid[])`, [gone.map((t) => t.id)]);
      for (const t of gone) {
        const payload: Record<string, unknown> = {
          taskId: t.id,
          activityId: t.activity_id,
          executionId: t.execution_id,
          definitionKey: inst.definition_key,
          businessKey: inst.business_key,
        };
        // What the person submitted with the task, for the trail (the forms bound each field).
        if (command.kind === 'completeTask' && command.executionId === t.execution_id)
          payload.submitted = submittedOf(command.variables);
        after.events.push({ type: 'task.ended', instanceId: inst.id, payload });
      }
    }
    const have = new Set(inst.tasks.map((t) => t.execution_id));
    const createdAt = this.clock.date().toISOString();
    for (const t of outcome.tasks) {
      if (have.has(t.executionId)) continue;
      const row: HeldTask = {
        id: randomUUID(),
        instance_id: inst.id,
        definition_id: def.id,
        definition_key: inst.definition_key,
        business_key: inst.business_key,
        activity_id: t.activityId,
        execution_id: t.executionId,
        name: t.name,
        assignee: t.assignee,
        candidate_users: t.candidateUsers,
        candidate_groups: t.candidateGroups,
        due_at: t.dueAt === null ? null : new Date(t.dueAt).toISOString(),
        due_spec: t.dueSpec,
        follow_up_at: t.followUpAt === null ? null : new Date(t.followUpAt).toISOString(),
        priority: t.priority,
        form_key: t.formKey,
        documentation: t.documentation,
        properties: t.properties,
        input: t.input,
        created_at: createdAt,
      };
      created.set(row.id, row);
      all.set(row.id, row);
      after.events.push({
        type: 'task.created',
        instanceId: inst.id,
        payload: {
          taskId: row.id,
          activityId: t.activityId,
          name: t.name,
          assignee: t.assignee,
          candidateGroups: t.candidateGroups,
          dueAt: t.dueAt,
          // Listeners read the task's process and properties here rather than from the rows just written.
          definitionKey: inst.definition_key,
          businessKey: inst.business_key,
          properties: t.properties,
        },
      });
    }
    for (const id of gone.map((t) => t.id)) all.delete(id);
    if (created.size)
      writes.add(
        `INSERT INTO engine_task (id, instance_id, definition_id, definition_key, business_key, activity_id, execution_id, name, assignee,
           candidate_users, candidate_groups, due_at, due_spec, follow_up_at, priority, form_key, documentation, properties, input, created_at)
         SELECT x.id, x.instance_id, x.definition_id, x.definition_key, x.business_key, x.activity_id, x.execution_id, x.name, x.assignee,
           x.candidate_users, x.candidate_groups, x.due_at, x.due_spec, x.follow_up_at, x.priority, x.form_key, x.documentation,
           x.properties, x.input, x.created_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, instance_id uuid, definition_id text, definition_key text, business_key text,
           activity_id text, execution_id text, name text, assignee text, candidate_users text[], candidate_groups text[],
           due_at timestamptz, due_spec text, follow_up_at timestamptz, priority int, form_key text, documentation text,
           properties jsonb, input jsonb, created_at timestamptz)`,
        [JSON.stringify([...created.values()])],
      );
    return { all, created };
  }

  private writeTimers(
    writes: StepWrites,
    instanceId: string,
    outcome: StepOutcome,
    existing: HeldTimer[],
    after: AfterCommit,
  ) {
    const wanted = outcome.timers.map((t) => ({ ...t, id: timerId(instanceId, t.executionId, t.expireAt) }));
    const wantedIds = new Set(wanted.map((t) => t.id));
    const gone = existing.filter((t) => !wantedIds.has(t.id)).map((t) => t.id);
    if (gone.length) {
      writes.add(`DELETE FROM engine_timer WHERE id = ANY($1::text[])`, [gone]);
      after.unschedule.push(...gone);
    }
    const have = new Set(existing.map((t) => t.id));
    const fresh = wanted.filter((t) => !have.has(t.id));
    if (!fresh.length) return;
    const createdAt = this.clock.date().toISOString();
    writes.add(
      `INSERT INTO engine_timer (id, instance_id, activity_id, execution_id, timer_type, spec, expire_at, repeat, created_at)
       SELECT x.id, $1, x.activity_id, x.execution_id, x.timer_type, x.spec, x.expire_at, x.repeat, $2::timestamptz
       FROM jsonb_to_recordset($3::jsonb) AS x(id text, activity_id text, execution_id text, timer_type text, spec text,
         expire_at timestamptz, repeat int)`,
      [
        instanceId,
        createdAt,
        JSON.stringify(
          fresh.map((t) => ({
            id: t.id,
            activity_id: t.activityId,
            execution_id: t.executionId,
            timer_type: t.timerType,
            spec: t.spec,
            expire_at: new Date(t.expireAt).toISOString(),
            repeat: t.repeat,
          })),
        ),
      ],
    );
    for (const t of fresh) after.schedule.push({ id: t.id, instanceId, expireAt: t.expireAt });
  }

  /** The subscriptions the step leaves, against those it found: only what changed is written. */
  private writeSubscriptions(
    writes: StepWrites,
    instanceId: string,
    outcome: StepOutcome,
    existing: HeldSubscription[],
  ) {
    const keyOf = (s: { kind: string; name: string; ref_id: string; activity_id: string; execution_id: string }) =>
      JSON.stringify([s.kind, s.name, s.ref_id, s.activity_id, s.execution_id]);
    const wanted = outcome.subscriptions.map((x) => ({
      kind: x.kind,
      name: x.name,
      ref_id: x.refId,
      activity_id: x.activityId,
      execution_id: x.executionId,
    }));
    const remaining = new Map<string, HeldSubscription[]>();
    for (const s of existing) remaining.set(keyOf(s), [...(remaining.get(keyOf(s)) ?? []), s]);
    const fresh: typeof wanted = [];
    for (const w of wanted) {
      const same = remaining.get(keyOf(w));
      if (same?.length) same.shift();
      else fresh.push(w);
    }
    const gone = [...remaining.values()].flat().map((s) => s.id);
    if (gone.length) writes.add(`DELETE FROM engine_subscription WHERE id = ANY($1::bigint[])`, [gone]);
    if (fresh.length)
      writes.add(
        `INSERT INTO engine_subscription (instance_id, kind, name, ref_id, activity_id, execution_id)
         SELECT $1, x.kind, x.name, x.ref_id, x.activity_id, x.execution_id
         FROM jsonb_to_recordset($2::jsonb) AS x(kind text, name text, ref_id text, activity_id text, execution_id text)`,
        [instanceId, JSON.stringify(fresh)],
      );
  }

  private writeExternalTasks(
    writes: StepWrites,
    inst: LockedInstance,
    def: DefinitionRow,
    outcome: StepOutcome,
    after: AfterCommit,
  ) {
    const keep = new Set(outcome.externalWaits.map((w) => w.executionId));
    const had = new Set(inst.external_executions);
    const gone = inst.external_executions.filter((x) => !keep.has(x));
    if (gone.length)
      writes.add(`DELETE FROM engine_external_task WHERE instance_id = $1 AND execution_id = ANY($2::text[])`, [
        inst.id,
        gone,
      ]);
    const fresh = outcome.externalWaits.filter((w) => !had.has(w.executionId));
    if (!fresh.length) return;
    writes.add(
      `INSERT INTO engine_external_task (id, instance_id, definition_id, definition_key, business_key, activity_id, execution_id, topic, created_at)
       SELECT gen_random_uuid(), $1, $2, $3, $4, x.activity_id, x.execution_id, x.topic, $5::timestamptz
       FROM jsonb_to_recordset($6::jsonb) AS x(activity_id text, execution_id text, topic text)
       ON CONFLICT (instance_id, execution_id) DO NOTHING`,
      [
        inst.id,
        def.id,
        inst.definition_key,
        inst.business_key,
        this.clock.date(),
        JSON.stringify(fresh.map((w) => ({ activity_id: w.activityId, execution_id: w.executionId, topic: w.topic }))),
      ],
    );
    for (const w of fresh) after.newExternalTopics.add(w.topic);
    after.events.push({
      type: 'external.created',
      instanceId: inst.id,
      payload: { topics: [...after.newExternalTopics] },
    });
  }

  /**
   * The step's history in one part: starts inserted (with the task made on them), ends closing the open rows.
   * Whatever is no longer running at rest ended in this step, even where the engine told no end (a boundary
   * event whose task completed, an event of a discarded branch): rows of this step closed here, older ones by
   * a second part that leaves this step's rows alone.
   */
  private writeHistory(
    writes: StepWrites,
    inst: LockedInstance,
    outcome: StepOutcome,
    created: Map<string, HeldTask>,
    isStart: boolean,
    claimed: { executionId: string; assignee: string } | null,
  ) {
    const rows = new Map<
      string,
      {
        activityId: string;
        name: string | null;
        type: string;
        startedAt: number;
        endedAt: number | null;
        canceled: boolean;
      }
    >();
    for (const h of outcome.history) {
      // A discarded branch's activities never ran: no row (open rows of this instance are closed below).
      if (h.event === 'discard' && !rows.has(h.executionId)) continue;
      const row = rows.get(h.executionId) ?? {
        activityId: h.activityId,
        name: h.activityName,
        type: h.activityType,
        startedAt: h.at,
        endedAt: null,
        canceled: false,
      };
      if (h.event !== 'start') {
        row.endedAt = h.at;
        row.canceled = h.event === 'discard';
      }
      rows.set(h.executionId, row);
    }
    const now = this.clock.now();
    const waiting = new Set(outcome.waiting);
    for (const [executionId, r] of rows)
      if (r.endedAt === null && !waiting.has(executionId)) {
        r.endedAt = now;
        r.canceled = true;
      }
    const taskOf = new Map([...created.values()].map((t) => [t.execution_id, t]));
    const list = [...rows.entries()];
    if (list.length)
      writes.add(
        `INSERT INTO engine_history (instance_id, definition_id, execution_id, activity_id, activity_name, activity_type, started_at, ended_at, canceled, task_id, assignee)
         SELECT $1, $2, x.execution_id, x.activity_id, x.activity_name, x.activity_type, x.started_at, x.ended_at, x.canceled, x.task_id, x.assignee
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::boolean[], $10::uuid[], $11::text[])
           AS x(execution_id, activity_id, activity_name, activity_type, started_at, ended_at, canceled, task_id, assignee)
         ON CONFLICT (instance_id, execution_id) DO UPDATE SET ended_at = EXCLUDED.ended_at, canceled = EXCLUDED.canceled,
           assignee = coalesce(EXCLUDED.assignee, engine_history.assignee)
         WHERE engine_history.ended_at IS NULL AND EXCLUDED.ended_at IS NOT NULL`,
        [
          inst.id,
          inst.definition_id,
          list.map(([id]) => id),
          list.map(([, r]) => r.activityId),
          list.map(([, r]) => r.name),
          list.map(([, r]) => r.type),
          list.map(([, r]) => new Date(r.startedAt)),
          list.map(([, r]) => (r.endedAt === null ? null : new Date(r.endedAt))),
          list.map(([, r]) => r.canceled),
          list.map(([id]) => taskOf.get(id)?.id ?? null),
          list.map(([id]) => (claimed?.executionId === id ? claimed.assignee : (taskOf.get(id)?.assignee ?? null))),
        ],
      );
    if (isStart) return;
    // Tasks made on an execution whose row an earlier step wrote.
    const older = [...created.values()].filter((t) => !rows.has(t.execution_id));
    if (older.length)
      writes.add(
        `UPDATE engine_history h SET task_id = x.task_id, assignee = x.assignee
         FROM unnest($2::text[], $3::uuid[], $4::text[]) AS x(execution_id, task_id, assignee)
         WHERE h.instance_id = $1 AND h.execution_id = x.execution_id`,
        [inst.id, older.map((t) => t.execution_id), older.map((t) => t.id), older.map((t) => t.assignee)],
      );
    writes.add(
      `UPDATE engine_history SET ended_at = $3, canceled = true
       WHERE instance_id = $1 AND ended_at IS NULL AND NOT (execution_id = ANY($2::text[]))`,
      [inst.id, [...new Set([...outcome.waiting, ...rows.keys()])], new Date(now)],
    );
  }
}

/** The activity a failure names, when it names one (bpmn-engine's errors carry it, or their source does). */
function activityOf(err: unknown): string | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { activityId?: unknown; source?: { content?: { id?: unknown } } };
  if (typeof e.activityId === 'string') return e.activityId;
  const id = e.source?.content?.id;
  return typeof id === 'string' ? id : null;
}

/** How long a committed step waits for the queue to take its timers and services before answering anyway. */
const QUEUE_WAIT_MS = 1000;

/** Stable per (instance, timer execution, due time): re-deriving an unchanged timer keeps its id and its job. */
export function timerId(instanceId: string, executionId: string, expireAt: number): string {
  return createHash('sha1').update(`${instanceId}|${executionId}|${expireAt}`).digest('hex').slice(0, 32);
}

function rowToDerived(t: HeldTask): DerivedTask {
  return {
    activityId: t.activity_id,
    executionId: t.execution_id,
    name: t.name,
    assignee: t.assignee,
    candidateUsers: t.candidate_users,
    candidateGroups: t.candidate_groups,
    dueAt: t.due_at ? new Date(t.due_at).getTime() : null,
    dueSpec: t.due_spec,
    followUpAt: t.follow_up_at ? new Date(t.follow_up_at).getTime() : null,
    priority: t.priority,
    formKey: t.form_key,
    documentation: t.documentation,
    properties: t.properties,
    input: t.input,
  };
}

/** A completion's variables as the trail keeps them: bounded, whatever a worker sent (the inbox forms bound theirs). */
const SUBMITTED_MAX_CHARS = 20_000;
export function submittedOf(variables: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(variables ?? {});
  if (json.length <= SUBMITTED_MAX_CHARS) return variables ?? {};
  return { truncated: true, fields: Object.keys(variables).slice(0, 50) };
}

/**
 * How Camunda starts a definition by key: at its none start event (a message start event beside it does not
 * wait), or, when its only start is a message start event, by that message. Definitions deployed before the
 * none start events were recorded start as they always did.
 */
export function defaultStart(def: DefinitionRow): StartBy | undefined {
  const { noneStarts, messageStarts } = def.meta;
  if (!noneStarts) return undefined;
  if (noneStarts.length) return messageStarts.length ? { kind: 'none' } : undefined;
  return messageStarts.length === 1 ? { kind: 'message', refId: messageStarts[0] } : undefined;
}

/**
 * The transaction as listeners get it: a statement of their own (a read, a write, a process they start) is
 * sent after the step's one write gathered so far, so it sees the step's rows as a step of many statements
 * left them. Listeners that only use the rows the step holds and add parts to its write cost no statement.
 */
function writesFirst(m: EntityManager, writes: StepWrites): EntityManager {
  return new Proxy(m, {
    get(target, prop) {
      if (prop === 'query')
        return async (sql: string, params?: unknown[]) => {
          await writes.flush(target);
          return target.query(sql, params);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
