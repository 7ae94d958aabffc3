import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { databaseUnavailableCause } from '../common/database-unavailable.js';
import { DomainException, conflict, notFound } from '../common/domain-exception.js';
import { returned } from '../common/sql.js';
import { within } from '../common/within.js';
import { DefinitionService, type DefinitionRow } from './definition.service.js';
import { HandlerRegistry } from './handler-registry.js';
import { runStep, type StartBy, type StepCommand, type StepOutcome } from './runtime/bpmn-runtime.js';
import type { PendingResult } from './runtime/step-context.js';
import type { DerivedTask } from './runtime/task-attributes.js';
import type { TimerLimits } from './runtime/timer-rules.js';
import {
  nextVariableTypes,
  withVariables,
  type VariableChanges,
  type VariableTypes,
} from './runtime/variable-changes.js';
import { TimerDriver } from './timers/timer-driver.js';

export interface InstanceRow {
  id: string;
  definition_id: string;
  definition_key: string;
  business_key: string | null;
  status: string;
  state: any;
  variables: Record<string, unknown>;
  /** Type tags callers gave variables (Camunda's Long, Date, Object…), by variable name. */
  variable_types: VariableTypes;
  version: number;
  parent_id: string | null;
  parent_execution_id: string | null;
  pending_services: boolean;
  started_at: Date;
  ended_at: Date | null;
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
export type TypedCommand = StepCommand & { vars?: VariableChanges };

interface AfterCommit {
  schedule: { id: string; instanceId: string; expireAt: number }[];
  unschedule: string[];
  services: Set<string>;
  newExternalTopics: Set<string>;
  events: { type: string; instanceId: string; payload: Record<string, unknown> }[];
}

type StepListener = (
  e: { type: string; instanceId: string; payload: Record<string, unknown> },
  m: EntityManager,
) => Promise<void> | void;

/**
 * One command = one transaction: lock the instance row, run the engine from its stored state, write the
 * derived tasks, timers, subscriptions, external tasks and history, commit with version+1; schedule queue
 * jobs only after the commit.
 */
@Injectable()
export class StepService {
  private readonly logger = new Logger('step');
  private readonly listeners: StepListener[] = [];
  private readonly afterCommitHooks: ((events: AfterCommit['events']) => void)[] = [];
  private readonly timerLimits: TimerLimits;

  constructor(
    private readonly db: DataSource,
    private readonly definitions: DefinitionService,
    private readonly handlers: HandlerRegistry,
    private readonly clock: Clock,
    private readonly driver: TimerDriver,
    config: AppConfig,
  ) {
    this.timerLimits = config.timerLimits;
  }

  /** Domain modules write their rows in the step's transaction (task created, instance ended…). */
  onStep(listener: StepListener): void {
    this.listeners.push(listener);
  }

  onCommitted(hook: (events: AfterCommit['events']) => void): void {
    this.afterCommitHooks.push(hook);
  }

  async start(
    def: DefinitionRow,
    businessKey: string | null,
    variables: Record<string, unknown>,
    parent?: { id: string; executionId: string },
    outer?: EntityManager | { m: EntityManager; after: AfterCommit },
    startBy: StartBy | undefined = defaultStart(def),
    types?: VariableTypes,
  ): Promise<InstanceRow> {
    const id = randomUUID();
    const run = async (m: EntityManager, after: AfterCommit) => {
      const vars = await this.handlers.startVariables(def.key, m, variables);
      // The new row is this transaction's alone: it is the locked row the first step runs on (no read back).
      const [fresh] = returned<InstanceRow>(
        await m.query(
          `INSERT INTO engine_instance (id, definition_id, definition_key, business_key, status, variables, started_at, parent_id, parent_execution_id, variable_types)
         VALUES ($1,$2,$3,$4,'active',$5,$6,$7,$8,$9) RETURNING *`,
          [
            id,
            def.id,
            def.key,
            businessKey,
            JSON.stringify(vars),
            this.clock.date(),
            parent?.id ?? null,
            parent?.executionId ?? null,
            JSON.stringify(types ?? {}),
          ],
        ),
      );
      return this.stepLocked(
        m,
        id,
        { kind: 'start', variables: vars, ...(startBy ? { startBy } : {}), ...(types ? { vars: { types } } : {}) },
        false,
        new Map(),
        after,
        fresh,
      );
    };
    if (outer && !('after' in outer)) {
      // Inside a caller's own transaction: the caller schedules nothing, so the reconciler's next pass
      // delivers the new instance's timers and services.
      return run(outer, this.newAfter());
    }
    const result = outer ? await run(outer.m, outer.after) : await this.inTransaction(run);
    return result;
  }

  /** Run a command on an existing instance in its own transaction. */
  async step(
    instanceId: string,
    command: TypedCommand,
    opts: { runServices?: boolean; results?: Map<string, PendingResult> } = {},
  ): Promise<InstanceRow> {
    return this.inTransaction((m, after) =>
      this.stepLocked(m, instanceId, command, opts.runServices ?? false, opts.results ?? new Map(), after),
    );
  }

  /**
   * A command on another instance inside the caller's own step transaction (one commits with the other). As
   * with `start` inside a caller's transaction, the reconciler's next pass delivers its timers and services.
   */
  async stepWithin(m: EntityManager, instanceId: string, command: TypedCommand): Promise<InstanceRow> {
    return this.stepLocked(m, instanceId, command, false, new Map(), this.newAfter());
  }

  /** Run `fn` holding the instance's row lock, then a command built from what `fn` saw. */
  async stepWith<T>(
    instanceId: string,
    fn: (
      inst: InstanceRow,
      m: EntityManager,
    ) => Promise<{
      command: TypedCommand | null;
      results?: Map<string, PendingResult>;
      runServices?: boolean;
      value: T;
    }>,
  ): Promise<T> {
    return this.inTransaction(async (m, after) => {
      const inst = await this.lock(m, instanceId);
      const { command, results, runServices, value } = await fn(inst, m);
      if (command)
        await this.stepLocked(m, instanceId, command, runServices ?? false, results ?? new Map(), after, inst);
      return value;
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
        this.logger.warn(`services of ${id}: ${e.message}`),
      );
  }

  async lock(m: EntityManager, instanceId: string): Promise<InstanceRow> {
    const [inst] = await m.query(`SELECT * FROM engine_instance WHERE id = $1 FOR UPDATE`, [instanceId]);
    if (!inst) throw notFound('process instance', instanceId);
    return inst;
  }

  private async stepLocked(
    m: EntityManager,
    instanceId: string,
    command: TypedCommand,
    runServices: boolean,
    results: Map<string, PendingResult>,
    after: AfterCommit,
    locked?: InstanceRow,
  ): Promise<InstanceRow> {
    const inst = locked ?? (await this.lock(m, instanceId));
    if (inst.status !== 'active') throw conflict(`流程实例 ${instanceId} 已不在运行（${inst.status}）`);
    const def = await this.definitions.get(inst.definition_id, m);
    const sourceContext = await this.definitions.context(inst.definition_id, m);
    // A starting instance has no tasks or timers yet: nothing to read.
    const starting = command.kind === 'start' && locked?.version === 0;
    const taskRows: any[] = starting
      ? []
      : await m.query(`SELECT * FROM engine_task WHERE instance_id = $1`, [instanceId]);
    const timerRows: any[] = starting
      ? []
      : await m.query(`SELECT id, execution_id, expire_at FROM engine_timer WHERE instance_id = $1`, [instanceId]);
    const knownTasks = new Map<string, DerivedTask>(taskRows.map((t) => [t.execution_id, rowToDerived(t)]));
    const moved = new Map<string, number>(timerRows.map((t) => [t.execution_id, new Date(t.expire_at).getTime()]));

    const stored: StoredCommand = { ...command, runServices, results: Object.fromEntries(results) };
    let outcome: StepOutcome;
    try {
      outcome = await runStep({
        instance: { id: instanceId, businessKey: inst.business_key, definitionKey: inst.definition_key },
        definitionId: def.id,
        sourceContext,
        // Variables an API sets go into the stored state before it is recovered, where the process reads them.
        state:
          command.kind === 'start'
            ? null
            : command.vars?.set || command.vars?.remove
              ? withVariables(inst.state, command.vars.set ?? {}, command.vars.remove ?? [])
              : inst.state,
        command,
        now: () => this.clock.now(),
        handlers: this.handlers.map,
        runServices,
        results,
        movedTimers: moved,
        timerLiteral: this.handlers.timerLiteral,
        timerLimits: this.timerLimits,
        knownTasks,
        externalCalls: new Set(def.meta.externalCalls),
        tx: m,
      });
    } catch (err) {
      throw (
        (databaseUnavailableCause(err) as Error | null) ??
        new StepFailure(instanceId, (err as any)?.activityId ?? null, stored, err)
      );
    }
    // A handler whose query found the database gone did not fail the process: the step rolls back and is tried
    // again (the caller's 503, the timer's next delivery, the reconciler's next pass), with no incident.
    if (outcome.error)
      throw (
        (databaseUnavailableCause(outcome.error) as Error | null) ??
        new StepFailure(
          instanceId,
          (outcome.error as any).activityId ?? (outcome.error as any).source?.content?.id ?? null,
          stored,
          outcome.error,
        )
      );
    if (outcome.undelivered && command.kind === 'completeTask')
      throw new DomainException('TASK_GONE', 409, `任务 ${command.executionId} 已不在等待办理`);

    const now = this.clock.date();
    const ended = outcome.status === 'completed';
    const types = nextVariableTypes(inst.variable_types, inst.variables, outcome.variables, command.vars?.types);
    const [updated] = returned<InstanceRow>(
      await m.query(
        `UPDATE engine_instance SET state = $2, variables = $3, status = $4, version = version + 1, pending_services = $5,
         ended_at = CASE WHEN $4 = 'active' THEN NULL ELSE $6::timestamptz END, variable_types = $7 WHERE id = $1 RETURNING *`,
        [
          instanceId,
          JSON.stringify(outcome.state),
          JSON.stringify(outcome.variables),
          ended ? 'completed' : 'active',
          outcome.parkedServices > 0,
          now,
          JSON.stringify(types),
        ],
      ),
    );
    if (outcome.parkedServices > 0) after.services.add(instanceId);

    await this.writeHistory(m, inst, outcome);
    await this.writeTasks(m, inst, def, outcome, taskRows, after, command);
    await this.writeTimers(m, instanceId, outcome, timerRows, after);
    await this.writeSubscriptions(m, instanceId, outcome, command.kind === 'start');
    await this.writeExternalTasks(m, inst, def, outcome, after);

    for (const call of outcome.callWaits) {
      const [existing] = await m.query(
        `SELECT id FROM engine_instance WHERE parent_id = $1 AND parent_execution_id = $2`,
        [instanceId, call.executionId],
      );
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
      await m.query(
        `UPDATE engine_instance SET status = 'completed', ended_at = $2 WHERE parent_id = $1 AND status = 'active'`,
        [instanceId, now],
      );
      if (inst.parent_id && inst.parent_execution_id) {
        const deliver = new Map<string, PendingResult>([[inst.parent_execution_id, { output: outcome.variables }]]);
        await this.stepLocked(m, inst.parent_id, { kind: 'wake' }, false, deliver, after);
      }
    }
    for (const e of after.events.filter((x) => x.instanceId === instanceId))
      for (const l of this.listeners) await l(e, m);
    return updated;
  }

  private async writeTasks(
    m: EntityManager,
    inst: InstanceRow,
    def: DefinitionRow,
    outcome: StepOutcome,
    existing: any[],
    after: AfterCommit,
    command?: StepCommand,
  ) {
    const keep = new Set(outcome.tasks.map((t) => t.executionId));
    const gone = existing.filter((t) => !keep.has(t.execution_id));
    if (gone.length) {
      await m.query(`DELETE FROM engine_task WHERE id = ANY($1)`, [gone.map((t) => t.id)]);
      for (const t of gone) {
        const payload: Record<string, unknown> = {
          taskId: t.id,
          activityId: t.activity_id,
          executionId: t.execution_id,
          definitionKey: inst.definition_key,
          businessKey: inst.business_key,
        };
        // What the person submitted with the task, for the trail (the forms bound each field).
        if (command?.kind === 'completeTask' && command.executionId === t.execution_id)
          payload.submitted = submittedOf(command.variables);
        after.events.push({ type: 'task.ended', instanceId: inst.id, payload });
      }
    }
    const have = new Set(existing.map((t) => t.execution_id));
    for (const t of outcome.tasks) {
      if (have.has(t.executionId)) continue;
      const id = randomUUID();
      await m.query(
        `INSERT INTO engine_task (id, instance_id, definition_id, definition_key, business_key, activity_id, execution_id, name, assignee,
           candidate_users, candidate_groups, due_at, due_spec, follow_up_at, priority, form_key, documentation, properties, input, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)`,
        [
          id,
          inst.id,
          def.id,
          inst.definition_key,
          inst.business_key,
          t.activityId,
          t.executionId,
          t.name,
          t.assignee,
          t.candidateUsers,
          t.candidateGroups,
          t.dueAt ? new Date(t.dueAt) : null,
          t.dueSpec,
          t.followUpAt ? new Date(t.followUpAt) : null,
          t.priority,
          t.formKey,
          t.documentation,
          JSON.stringify(t.properties),
          JSON.stringify(t.input),
          this.clock.date(),
        ],
      );
      await m.query(
        `UPDATE engine_history SET task_id = $3, assignee = $4 WHERE instance_id = $1 AND execution_id = $2`,
        [inst.id, t.executionId, id, t.assignee],
      );
      after.events.push({
        type: 'task.created',
        instanceId: inst.id,
        payload: {
          taskId: id,
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
  }

  private async writeTimers(
    m: EntityManager,
    instanceId: string,
    outcome: StepOutcome,
    existing: any[],
    after: AfterCommit,
  ) {
    const wanted = outcome.timers.map((t) => ({ ...t, id: timerId(instanceId, t.executionId, t.expireAt) }));
    const wantedIds = new Set(wanted.map((t) => t.id));
    const gone = existing.filter((t) => !wantedIds.has(t.id)).map((t) => t.id);
    if (gone.length) {
      await m.query(`DELETE FROM engine_timer WHERE id = ANY($1)`, [gone]);
      after.unschedule.push(...gone);
    }
    const have = new Set(existing.map((t) => t.id));
    for (const t of wanted) {
      if (have.has(t.id)) continue;
      await m.query(
        `INSERT INTO engine_timer (id, instance_id, activity_id, execution_id, timer_type, spec, expire_at, repeat, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
        [
          t.id,
          instanceId,
          t.activityId,
          t.executionId,
          t.timerType,
          t.spec,
          new Date(t.expireAt),
          t.repeat,
          this.clock.date(),
        ],
      );
      after.schedule.push({ id: t.id, instanceId, expireAt: t.expireAt });
    }
  }

  private async writeSubscriptions(m: EntityManager, instanceId: string, outcome: StepOutcome, fresh: boolean) {
    if (!fresh) await m.query(`DELETE FROM engine_subscription WHERE instance_id = $1`, [instanceId]);
    const subs = outcome.subscriptions;
    if (!subs.length) return;
    await m.query(
      `INSERT INTO engine_subscription (instance_id, kind, name, ref_id, activity_id, execution_id)
       SELECT $1, x.kind, x.name, x.ref_id, x.activity_id, x.execution_id FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(kind, name, ref_id, activity_id, execution_id)`,
      [
        instanceId,
        subs.map((x) => x.kind),
        subs.map((x) => x.name),
        subs.map((x) => x.refId),
        subs.map((x) => x.activityId),
        subs.map((x) => x.executionId),
      ],
    );
  }

  private async writeExternalTasks(
    m: EntityManager,
    inst: InstanceRow,
    def: DefinitionRow,
    outcome: StepOutcome,
    after: AfterCommit,
  ) {
    const keep = outcome.externalWaits.map((w) => w.executionId);
    if (!keep.length && inst.version === 0) return;
    await m.query(`DELETE FROM engine_external_task WHERE instance_id = $1 AND NOT (execution_id = ANY($2))`, [
      inst.id,
      keep,
    ]);
    for (const w of outcome.externalWaits) {
      const res = await m.query(
        `INSERT INTO engine_external_task (id, instance_id, definition_id, definition_key, business_key, activity_id, execution_id, topic, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (instance_id, execution_id) DO NOTHING RETURNING id`,
        [
          randomUUID(),
          inst.id,
          def.id,
          inst.definition_key,
          inst.business_key,
          w.activityId,
          w.executionId,
          w.topic,
          this.clock.date(),
        ],
      );
      if (res.length) after.newExternalTopics.add(w.topic);
    }
    if (after.newExternalTopics.size)
      after.events.push({
        type: 'external.created',
        instanceId: inst.id,
        payload: { topics: [...after.newExternalTopics] },
      });
  }

  private async writeHistory(m: EntityManager, inst: InstanceRow, outcome: StepOutcome) {
    await this.writeHistoryEvents(m, inst, outcome);
    // Whatever is no longer running at rest ended in this step, even where the engine told no end
    // (a boundary event whose task completed, an event of a discarded branch).
    await m.query(
      `UPDATE engine_history SET ended_at = $3, canceled = true WHERE instance_id = $1 AND ended_at IS NULL AND NOT (execution_id = ANY($2))`,
      [inst.id, outcome.waiting, this.clock.date()],
    );
  }

  /** One statement for the step's history: starts inserted, ends closing the open rows. */
  private async writeHistoryEvents(m: EntityManager, inst: InstanceRow, outcome: StepOutcome) {
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
    if (!rows.size) return;
    const list = [...rows.entries()];
    await m.query(
      `INSERT INTO engine_history (instance_id, definition_id, execution_id, activity_id, activity_name, activity_type, started_at, ended_at, canceled)
       SELECT $1, $2, x.execution_id, x.activity_id, x.activity_name, x.activity_type, x.started_at, x.ended_at, x.canceled
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::boolean[])
         AS x(execution_id, activity_id, activity_name, activity_type, started_at, ended_at, canceled)
       ON CONFLICT (instance_id, execution_id) DO UPDATE SET ended_at = EXCLUDED.ended_at, canceled = EXCLUDED.canceled
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
      ],
    );
  }
}

/** How long a committed step waits for the queue to take its timers and services before answering anyway. */
const QUEUE_WAIT_MS = 1000;

/** Stable per (instance, timer execution, due time): re-deriving an unchanged timer keeps its id and its job. */
export function timerId(instanceId: string, executionId: string, expireAt: number): string {
  return createHash('sha1').update(`${instanceId}|${executionId}|${expireAt}`).digest('hex').slice(0, 32);
}

function rowToDerived(t: any): DerivedTask {
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
 * An event's process key and business key: from the event itself (the engine names them in every event it
 * sends), else read from the instance row.
 */
export async function instanceKeys(
  e: { instanceId: string; payload: Record<string, unknown> },
  m: EntityManager,
): Promise<{ definition_key: string; business_key: string | null } | undefined> {
  if (typeof e.payload.definitionKey === 'string')
    return {
      definition_key: e.payload.definitionKey,
      business_key: typeof e.payload.businessKey === 'string' ? e.payload.businessKey : null,
    };
  const [inst] = returned<{ definition_key: string; business_key: string | null }>(
    await m.query(`SELECT definition_key, business_key FROM engine_instance WHERE id = $1`, [e.instanceId]),
  );
  return inst;
}
