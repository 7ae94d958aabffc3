import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { DomainException, badRequest, conflict, notFound } from '../common/domain-exception.js';
import { DefinitionService } from './definition.service.js';
import type { PendingResult } from './runtime/step-context.js';
import { returned } from '../common/sql.js';
import {
  nextVariableTypes,
  withVariables,
  type VariableChanges,
  type VariableTypes,
} from './runtime/variable-changes.js';
import { TimerDriver } from './timers/timer-driver.js';
import { StepFailure, StepService, type HeldTask, type InstanceRow, type StoredCommand } from './step.service.js';

export interface TaskRow {
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
  due_at: Date | null;
  follow_up_at: Date | null;
  priority: number;
  form_key: string | null;
  documentation: string | null;
  properties: Record<string, string>;
  input: Record<string, unknown>;
  created_at: Date;
}

/** Emitted on `EngineService.events` as 'incident' once a failed step's incident is stored. */
export interface IncidentRaised {
  id: string;
  instanceId: string;
  activityId: string | null;
  message: string;
}

/**
 * The engine's public face: start, complete, correlate, fire timers, retry incidents. Knows nothing of
 * problems or units; domain modules call it and register handlers with it.
 */
@Injectable()
export class EngineService {
  private readonly logger = new Logger('engine');
  /** Emits 'external' when new external tasks may be fetched (long polling). */
  readonly events = new EventEmitter();

  constructor(
    private readonly db: DataSource,
    private readonly steps: StepService,
    private readonly definitions: DefinitionService,
    private readonly clock: Clock,
    private readonly driver: TimerDriver,
  ) {
    this.events.setMaxListeners(1000);
    steps.onCommitted((events) => {
      if (events.some((e) => e.type === 'external.created')) this.events.emit('external');
    });
  }

  /** Starts the latest version of `key`, or the version `definitionId` names (an older one included). */
  async startProcess(
    key: string,
    opts: {
      businessKey?: string | null;
      variables?: Record<string, unknown>;
      types?: VariableTypes;
      definitionId?: string;
    } = {},
  ): Promise<InstanceRow> {
    // By key: the latest version, read in the step's own read (no statement of its own).
    const def = opts.definitionId ? await this.definitions.get(opts.definitionId) : key;
    const inst = await this.guard(() =>
      this.steps.start(
        def,
        opts.businessKey ?? null,
        opts.variables ?? {},
        undefined,
        undefined,
        undefined,
        opts.types,
      ),
    );
    return inst;
  }

  async getInstance(id: string): Promise<InstanceRow> {
    const [row] = (await this.db.query(`SELECT * FROM engine_instance WHERE id = $1`, [id])) as InstanceRow[];
    if (!row) throw notFound('process instance', id);
    return row;
  }

  async getTask(id: string): Promise<TaskRow> {
    if (!isUuid(id)) throw notFound('task', id);
    const [row] = (await this.db.query(`SELECT * FROM engine_task WHERE id = $1`, [id])) as TaskRow[];
    if (!row) throw notFound('task', id);
    return row;
  }

  /** Complete a user task; a task completed a moment ago by someone else is a 409, never a 500. */
  /** `task`: its row as the caller just read it, to save reading it again (it is checked again under the lock). */
  /**
   * `claimFor`: the task, if nobody holds it, is claimed for this user in the same transaction (签收 and the form
   * in one action); held by someone else meanwhile, it is a 409 and nothing is completed.
   */
  async completeTask(
    taskId: string,
    variables: Record<string, unknown> = {},
    task?: { instance_id: string },
    opts: { claimFor?: string; refuse?: (task: HeldTask) => Error | null } = {},
    types?: VariableTypes,
  ): Promise<InstanceRow> {
    // Locked by the task when the caller did not read it: the instance's lock and its tasks in one read.
    if (!task && !isUuid(taskId)) throw notFound('task', taskId);
    const target = task ? { instanceId: task.instance_id } : { taskId };
    return this.guard(async () => {
      const { row } = await this.steps.stepOn(target, async (inst) => {
        const still = inst.tasks.find((t) => t.id === taskId);
        if (!still) throw new DomainException('TASK_GONE', 409, `任务 ${taskId} 已办结`);
        if (inst.status !== 'active') throw conflict(`流程实例 ${inst.id} 已不在运行（${inst.status}）`);
        const refused = opts.refuse?.(still);
        if (refused) throw refused;
        // Claimed as it is completed: the task row goes with the step, its history row takes the assignee in
        // the step's own write.
        let claimedBy: string | undefined;
        if (opts.claimFor && still.assignee !== opts.claimFor) {
          if (still.assignee)
            throw new DomainException('TASK_CLAIMED', 409, `此任务已由 ${still.assignee} 签收，不能由你办理`);
          claimedBy = opts.claimFor;
        }
        return {
          command: {
            kind: 'completeTask',
            executionId: still.execution_id,
            variables,
            ...(types ? { vars: { types } } : {}),
            ...(claimedBy ? { claimedBy } : {}),
          },
          value: undefined,
        };
      });
      // The row as the step wrote it: no read after the commit.
      return row!;
    });
  }

  async claim(taskId: string, userId: string): Promise<void> {
    if (!userId) throw badRequest('userId：必填');
    if (!isUuid(taskId)) throw notFound('task', taskId);
    const res = returned(
      await this.db.query(
        `UPDATE engine_task SET assignee = $2 WHERE id = $1 AND (assignee IS NULL OR assignee = $2) RETURNING id`,
        [taskId, userId],
      ),
    );
    if (!res.length) {
      await this.getTask(taskId);
      throw new DomainException('TASK_CLAIMED', 409, `任务 ${taskId} 已被他人签收`);
    }
    await this.db.query(
      `UPDATE engine_history h SET assignee = $2 FROM engine_task t WHERE t.id = $1 AND h.instance_id = t.instance_id AND h.execution_id = t.execution_id`,
      [taskId, userId],
    );
  }

  async setAssignee(taskId: string, userId: string | null): Promise<void> {
    await this.getTask(taskId);
    await this.db.query(`UPDATE engine_task SET assignee = $2 WHERE id = $1`, [taskId, userId]);
    await this.db.query(
      `UPDATE engine_history h SET assignee = $2 FROM engine_task t WHERE t.id = $1 AND h.instance_id = t.instance_id AND h.execution_id = t.execution_id`,
      [taskId, userId],
    );
  }

  /** Deliver a message to instances waiting for it (by business key or instance id), or start one by it. */
  async correlateMessage(
    name: string,
    opts: {
      businessKey?: string;
      processInstanceId?: string;
      variables?: Record<string, unknown>;
      types?: VariableTypes;
      all?: boolean;
    },
  ): Promise<{ instanceId: string; started: boolean }[]> {
    if (opts.processInstanceId && !isUuid(opts.processInstanceId))
      throw notFound('process instance', opts.processInstanceId);
    const subs: { instance_id: string; ref_id: string }[] = await this.db.query(
      `SELECT DISTINCT s.instance_id, s.ref_id FROM engine_subscription s JOIN engine_instance i ON i.id = s.instance_id
       WHERE s.kind = 'message' AND s.name = $1 AND i.status = 'active'
         AND ($2::text IS NULL OR i.business_key = $2) AND ($3::uuid IS NULL OR i.id = $3)`,
      [name, opts.businessKey ?? null, opts.processInstanceId ?? null],
    );
    const targets = opts.all ? subs : subs.slice(0, 1);
    const out: { instanceId: string; started: boolean }[] = [];
    for (const s of targets) {
      await this.guard(() =>
        this.steps.step(s.instance_id, {
          kind: 'message',
          refId: s.ref_id,
          variables: opts.variables ?? {},
          ...(opts.types ? { vars: { types: opts.types } } : {}),
        }),
      );
      out.push({ instanceId: s.instance_id, started: false });
    }
    if (!out.length && !opts.processInstanceId) {
      const defs = await this.definitions.list({ latestOnly: true });
      const starter = defs.find((d) => d.meta.messageStarts.some((ref) => (d.meta.messages[ref] ?? ref) === name));
      if (starter) {
        // The instance starts at that message start event, which takes the message: it runs on, and waits for none.
        const refId = starter.meta.messageStarts.find((ref) => (starter.meta.messages[ref] ?? ref) === name)!;
        const inst = await this.guard(() =>
          this.steps.start(
            starter,
            opts.businessKey ?? null,
            opts.variables ?? {},
            undefined,
            undefined,
            { kind: 'message', refId },
            opts.types,
          ),
        );
        out.push({ instanceId: inst.id, started: true });
      }
    }
    if (!out.length)
      throw new DomainException(
        'NO_CORRELATION',
        400,
        `没有流程在等待消息“${name}”${opts.businessKey ? `（业务编号 ${opts.businessKey}）` : ''}`,
      );
    return out;
  }

  /** Broadcast a signal to every waiting instance. */
  async signal(name: string, variables: Record<string, unknown> = {}): Promise<number> {
    const subs: { instance_id: string; ref_id: string }[] = await this.db.query(
      `SELECT DISTINCT instance_id, ref_id FROM engine_subscription WHERE kind = 'signal' AND name = $1`,
      [name],
    );
    for (const s of subs)
      await this.guard(() => this.steps.step(s.instance_id, { kind: 'signal', refId: s.ref_id, variables }));
    return subs.length;
  }

  /** Deliver a result to an external task's waiting activity; `vars` are set before it runs on. */
  async deliverResult(
    instanceId: string,
    executionId: string,
    result: PendingResult,
    vars?: VariableChanges,
  ): Promise<void> {
    await this.guard(() =>
      this.steps.step(
        instanceId,
        { kind: 'wake', ...(vars ? { vars } : {}) },
        { results: new Map([[executionId, result]]) },
      ),
    );
  }

  /**
   * Set and remove variables of a running instance (with their type tags) under its row lock. The engine does
   * not run: the token does not move and nothing falls due; the next step recovers the state with them.
   */
  async setVariables(instanceId: string, vars: VariableChanges): Promise<InstanceRow> {
    return this.steps.stepWith(instanceId, async (inst, m) => {
      if (inst.status !== 'active') throw conflict(`process instance ${inst.id} is ${inst.status}`);
      const set = vars.set ?? {};
      const remove = vars.remove ?? [];
      const variables: Record<string, unknown> = { ...(inst.variables ?? {}) };
      for (const name of remove) delete variables[name];
      Object.assign(variables, set);
      const types = nextVariableTypes(inst.variable_types, inst.variables, variables, vars.types);
      const [row] = returned<InstanceRow>(
        await m.query(
          `UPDATE engine_instance SET state = $2, variables = $3, variable_types = $4, version = version + 1 WHERE id = $1 RETURNING *`,
          [
            instanceId,
            JSON.stringify(withVariables(inst.state, set, remove)),
            JSON.stringify(variables),
            JSON.stringify(types),
          ],
        ),
      );
      return { command: null, value: row };
    });
  }

  /** A delivered timer: due → fires; early → rescheduled; gone → nothing. Exactly one firing per timer. */
  async fireTimer(timerId: string, instanceId: string): Promise<'fired' | 'early' | 'gone' | 'skipped'> {
    let result: 'fired' | 'early' | 'gone' | 'skipped' = 'gone';
    let reschedule: { id: string; instanceId: string; expireAt: number } | null = null;
    try {
      await this.steps.stepWith(instanceId, async (inst) => {
        // The timer and any open incident came with the instance's one read.
        const timer = inst.timers.find((t) => t.id === timerId);
        if (!timer || inst.status !== 'active') return { command: null, value: undefined };
        if (inst.open_incident) {
          result = 'skipped';
          return { command: null, value: undefined };
        }
        const at = new Date(timer.expire_at).getTime();
        if (at > this.clock.now()) {
          result = 'early';
          reschedule = { id: timerId, instanceId, expireAt: at };
          return { command: null, value: undefined };
        }
        result = 'fired';
        // The services the timer reaches (a chase, a rung's notice) run in its own step: one transaction and one
        // recovery of the instance per firing, not two. A handler that fails rolls the firing back into an
        // incident; its retry fires the timer again with the services (as a service step's retry would).
        return { command: { kind: 'wake' }, runServices: true, value: undefined };
      });
    } catch (err) {
      if (err instanceof StepFailure) {
        await this.recordIncident(err);
        return 'skipped';
      }
      if (err instanceof DomainException && err.status === 404) {
        const [still] = await this.db.query(`SELECT 1 FROM engine_instance WHERE id = $1`, [instanceId]);
        if (!still) return 'gone';
        // The instance is there but its step cannot start (its definition is gone): shown, not retried forever.
        await this.recordIncident(new StepFailure(instanceId, null, { kind: 'wake' }, err));
        return 'skipped';
      }
      throw err;
    }
    if (reschedule) await this.driver.schedule([reschedule]);
    return result;
  }

  /** Run the parked service tasks of an instance, handlers inline; a failure becomes an incident. */
  async runServices(instanceId: string): Promise<void> {
    try {
      await this.steps.stepWith(instanceId, async (inst) => {
        if (inst.status !== 'active' || !inst.pending_services) return { command: null, value: undefined };
        if (inst.open_incident) return { command: null, value: undefined };
        return { command: { kind: 'wake' }, runServices: true, value: undefined };
      });
    } catch (err) {
      if (err instanceof StepFailure) return void (await this.recordIncident(err));
      throw err;
    }
  }

  /** Fire everything due by the clock's now, cascades included; used when the controlled clock moves. */
  async drainDue(maxRounds = 10_000): Promise<number> {
    let fired = 0;
    for (let round = 0; round < maxRounds; round++) {
      const due: { id: string; instance_id: string }[] = await this.db.query(
        `SELECT t.id, t.instance_id FROM engine_timer t
           JOIN engine_instance i ON i.id = t.instance_id AND i.status = 'active'
         WHERE t.expire_at <= $1
           AND NOT EXISTS (SELECT 1 FROM engine_incident x WHERE x.instance_id = t.instance_id AND x.resolved_at IS NULL)
         ORDER BY t.expire_at LIMIT 200`,
        [new Date(this.clock.now())],
      );
      const services: { id: string }[] = await this.db.query(
        `SELECT i.id FROM engine_instance i WHERE i.pending_services AND i.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM engine_incident x WHERE x.instance_id = i.id AND x.resolved_at IS NULL) LIMIT 200`,
      );
      if (!due.length && !services.length) break;
      let firedNow = 0;
      for (const t of due) if ((await this.fireTimer(t.id, t.instance_id)) === 'fired') firedNow++;
      for (const s of services) await this.runServices(s.id);
      fired += firedNow;
      // Nothing fired (each step failed into an incident, or another delivery was first): no busy retry.
      if (!firedNow && !services.length) break;
    }
    return fired;
  }

  async deleteInstance(id: string, reason = 'deleted'): Promise<void> {
    await this.steps.stepWith(id, async (inst, m) => {
      const ids: string[] = [id];
      const children: { id: string }[] = await m.query(
        `WITH RECURSIVE tree AS (SELECT id FROM engine_instance WHERE parent_id = $1 UNION ALL SELECT i.id FROM engine_instance i JOIN tree t ON i.parent_id = t.id) SELECT id FROM tree`,
        [id],
      );
      ids.push(...children.map((c) => c.id));
      const timers = returned<{ id: string }>(
        await m.query(`DELETE FROM engine_timer WHERE instance_id = ANY($1) RETURNING id`, [ids]),
      );
      await m.query(`DELETE FROM engine_task WHERE instance_id = ANY($1)`, [ids]);
      await m.query(`DELETE FROM engine_subscription WHERE instance_id = ANY($1)`, [ids]);
      await m.query(`DELETE FROM engine_external_task WHERE instance_id = ANY($1)`, [ids]);
      await m.query(
        `UPDATE engine_history SET ended_at = $2, canceled = true WHERE instance_id = ANY($1) AND ended_at IS NULL`,
        [ids, this.clock.date()],
      );
      await m.query(
        `UPDATE engine_instance SET status = 'terminated', ended_at = $2, end_reason = $3, pending_services = false WHERE id = ANY($1) AND status = 'active'`,
        [ids, this.clock.date(), reason],
      );
      await this.driver.unschedule(timers.map((t) => t.id)).catch(() => undefined);
      void inst;
      return { command: null, value: undefined };
    });
  }

  async retryIncident(incidentId: string): Promise<InstanceRow> {
    if (!isUuid(incidentId)) throw notFound('incident', incidentId);
    const [inc] = await this.db.query(`SELECT * FROM engine_incident WHERE id = $1`, [incidentId]);
    if (!inc) throw notFound('incident', incidentId);
    if (inc.resolved_at) throw conflict(`流程异常 ${incidentId} 已处理`);
    const cmd: StoredCommand = inc.command;
    try {
      const results = new Map<string, PendingResult>(Object.entries(cmd.results ?? {}));
      const row = await this.steps.step(inc.instance_id, cmd, { runServices: true, results });
      await this.db.query(
        `UPDATE engine_incident SET resolved_at = $2 WHERE instance_id = $1 AND resolved_at IS NULL`,
        [inc.instance_id, this.clock.date()],
      );
      // Its timers waited for the incident (the drivers pass them by): delivered again from now.
      const timers: { id: string; expire_at: Date }[] = await this.db.query(
        `SELECT id, expire_at FROM engine_timer WHERE instance_id = $1`,
        [inc.instance_id],
      );
      const instanceId = inc.instance_id;
      await this.driver.schedule(timers.map((x) => ({ id: x.id, instanceId, expireAt: +new Date(x.expire_at) })));
      return row;
    } catch (err) {
      if (err instanceof StepFailure) {
        await this.db.query(`UPDATE engine_incident SET message = $2 WHERE id = $1`, [incidentId, err.message]);
        throw new DomainException('INCIDENT', 500, `重试未成功：${err.message}`, { incidentId });
      }
      throw err;
    }
  }

  private async recordIncident(err: StepFailure): Promise<string> {
    const [open] = await this.db.query(
      `SELECT id FROM engine_incident WHERE instance_id = $1 AND resolved_at IS NULL LIMIT 1`,
      [err.instanceId],
    );
    if (open) return open.id;
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO engine_incident (id, instance_id, activity_id, incident_type, message, command, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [
        id,
        err.instanceId,
        err.activityId,
        'failedJob',
        err.message.slice(0, 4000),
        JSON.stringify({ ...err.command, runServices: true }),
        this.clock.date(),
      ],
    );
    this.logger.warn(`incident ${id} on instance ${err.instanceId}: ${err.message}`);
    // Committed (no transaction here): listeners tell the people who must act.
    this.events.emit('incident', {
      id,
      instanceId: err.instanceId,
      activityId: err.activityId,
      message: err.message,
    } satisfies IncidentRaised);
    return id;
  }

  /** User-facing commands: an engine failure is recorded as an incident and answered as a clear error. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof StepFailure) {
        const exists =
          (await this.db.query(`SELECT 1 FROM engine_instance WHERE id = $1`, [err.instanceId])).length > 0;
        const incidentId = exists ? await this.recordIncident(err) : null;
        throw new DomainException(
          'ENGINE_ERROR',
          500,
          `流程无法继续：${err.message}`,
          incidentId ? { incidentId } : {},
        );
      }
      throw err;
    }
  }
}

export function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}
