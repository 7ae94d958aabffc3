import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { returned } from '../common/sql.js';
import { EngineService } from '../engine/engine.service.js';
import { badUserRequest, restNotFound } from './camunda-error.js';
import type { FetchAndLockDto, FetchTopicDto } from './dto/external-task.dto.js';
import { camundaDate, isUuid } from './format.js';
import { externalTaskDto } from './mappers.js';
import type { EntityManager } from 'typeorm';
import type { VariableTypes } from '../engine/runtime/variable-changes.js';
import { fromTyped, readTyped, toTypedValue, toTyped } from './variables.js';

/** Variables as a worker sends them: the process's and the activity's own (local) ones, typed. */
export interface WorkerVariables {
  variables?: Record<string, unknown>;
  localVariables?: Record<string, unknown>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface ExternalTaskRow {
  id: string;
  instance_id: string;
  definition_id: string;
  definition_key: string;
  business_key: string | null;
  activity_id: string;
  execution_id: string;
  topic: string;
  priority: number;
  worker_id: string | null;
  lock_expires_at: Date | null;
  retries: number | null;
  error_message: string | null;
  error_details: string | null;
  created_at: Date;
}

/** How often a waiting fetchAndLock looks again, so tasks created on other nodes are seen too. */
const REPOLL_MS = 1000;

/** A fetchAndLock waiting for external tasks: woken by the engine's 'external' event or its own re-poll. */
class Waiter {
  private resolve: () => void = () => undefined;
  private timer: NodeJS.Timeout | null = null;
  readonly woken: Promise<void>;

  constructor(private readonly set: Set<Waiter>) {
    this.woken = new Promise<void>((r) => (this.resolve = r));
    set.add(this);
  }

  wake(): void {
    this.resolve();
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    const onAbort = () => this.resolve();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.timer = setTimeout(() => this.resolve(), ms);
    return this.woken.finally(() => signal?.removeEventListener('abort', onAbort));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.set.delete(this);
    this.resolve();
  }
}

/**
 * Camunda's external task protocol over engine_external_task: fetch-and-lock with long polling (the
 * engine's 'external' event plus a re-poll every second), locks per worker, complete, failure with retries
 * and incidents, BPMN errors, extend and release of locks. Locks and their expiry use the service clock.
 */
@Injectable()
export class ExternalTaskService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('external-task');
  private readonly waiters = new Set<Waiter>();
  private closing = false;
  private readonly onExternal = () => {
    for (const w of this.waiters) w.wake();
  };

  constructor(
    private readonly db: DataSource,
    private readonly engine: EngineService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.engine.events.on('external', this.onExternal);
  }

  /** Pending long polls answer at once with what they have (nothing) when the service stops. */
  onModuleDestroy(): void {
    this.closing = true;
    this.engine.events.off('external', this.onExternal);
    for (const w of [...this.waiters]) w.dispose();
  }

  /**
   * Lock up to maxTasks tasks of the topics for the worker. With asyncResponseTimeout, waits (wall time,
   * not the service clock) until some can be locked or the timeout passes; a client that went away while
   * waiting gets nothing locked.
   */
  async fetchAndLock(req: FetchAndLockDto, signal?: AbortSignal): Promise<any[]> {
    const deadline = Date.now() + (req.asyncResponseTimeout ?? 0);
    for (;;) {
      // Registered before the query, so an event between the query and the wait is not lost.
      const waiter = new Waiter(this.waiters);
      try {
        if (signal?.aborted || this.closing) return [];
        const tasks = await this.lockAvailable(req);
        if (tasks.length && signal?.aborted) {
          await this.release(
            tasks.map((t) => t.id),
            req.workerId,
          );
          return [];
        }
        if (tasks.length || this.closing) return tasks;
        const left = deadline - Date.now();
        if (left <= 0) return [];
        await waiter.wait(Math.min(left, REPOLL_MS), signal);
      } finally {
        waiter.dispose();
      }
    }
  }

  private async lockAvailable(req: FetchAndLockDto): Promise<any[]> {
    let remaining = req.maxTasks ?? 10;
    const out: any[] = [];
    const seen = new Set<string>();
    for (const topic of req.topics ?? []) {
      if (remaining <= 0) break;
      const rows = await this.lockTopic(topic, req, remaining);
      const fresh = rows.filter((r) => !seen.has(r.id));
      fresh.forEach((r) => seen.add(r.id));
      remaining -= fresh.length;
      if (!fresh.length) continue;
      const vars: { id: string; variables: Record<string, unknown>; variable_types: VariableTypes }[] =
        await this.db.query(`SELECT id, variables, variable_types FROM engine_instance WHERE id = ANY($1::uuid[])`, [
          [...new Set(fresh.map((r) => r.instance_id))],
        ]);
      const byInstance = new Map(vars.map((v) => [v.id, v]));
      for (const r of fresh) {
        const names = topic.localVariables ? [] : topic.variables;
        out.push({
          ...externalTaskDto(r),
          errorDetails: r.error_details ?? null,
          variables: toTyped(
            byInstance.get(r.instance_id)?.variables ?? {},
            names ?? null,
            byInstance.get(r.instance_id)?.variable_types,
          ),
          extensionProperties: {},
        });
      }
    }
    return out;
  }

  private async lockTopic(topic: FetchTopicDto, req: FetchAndLockDto, limit: number): Promise<ExternalTaskRow[]> {
    const now = this.clock.now();
    const params: unknown[] = [topic.topicName, new Date(now)];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const conditions = [
      `x.topic = $1`,
      `(x.lock_expires_at IS NULL OR x.lock_expires_at <= $2)`,
      // A task whose retries ran out waits for its incident to be resolved.
      `NOT (coalesce(x.retries, 1) <= 0 AND EXISTS (SELECT 1 FROM engine_incident n WHERE n.instance_id = x.instance_id AND n.resolved_at IS NULL))`,
    ];
    const instance = [`i.id = x.instance_id`, `i.status = 'active'`];
    // No task has a tenant: a topic asking for tenants gets none.
    if (topic.tenantIdIn?.length) {
      if (topic.withoutTenantId)
        throw badUserRequest(`topic ${topic.topicName}: cannot set both tenantIdIn and withoutTenantId`);
      return [];
    }
    if (topic.businessKey !== undefined && topic.businessKey !== null)
      conditions.push(`x.business_key = ${p(topic.businessKey)}`);
    if (topic.processDefinitionId) conditions.push(`x.definition_id = ${p(topic.processDefinitionId)}`);
    if (topic.processDefinitionIdIn?.length)
      conditions.push(`x.definition_id = ANY(${p(topic.processDefinitionIdIn)}::text[])`);
    if (topic.processDefinitionKey) conditions.push(`x.definition_key = ${p(topic.processDefinitionKey)}`);
    if (topic.processDefinitionKeyIn?.length)
      conditions.push(`x.definition_key = ANY(${p(topic.processDefinitionKeyIn)}::text[])`);
    if (topic.processVariables && Object.keys(topic.processVariables).length) {
      // Camunda matches each given variable by equality; the values come plain or typed.
      const wanted: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(topic.processVariables))
        wanted[k] = v && typeof v === 'object' && 'value' in (v as object) ? fromTyped({ [k]: v })[k] : v;
      instance.push(`i.variables @> ${p(JSON.stringify(wanted))}::jsonb`);
    }
    conditions.push(`EXISTS (SELECT 1 FROM engine_instance i WHERE ${instance.join(' AND ')})`);
    const createDesc = req.sorting?.some((s) => s.sortBy === 'createTime' && s.sortOrder === 'desc');
    const order = [
      req.usePriority === false ? null : 'x.priority DESC',
      `x.created_at ${createDesc ? 'DESC' : 'ASC'}`,
      'x.id',
    ]
      .filter(Boolean)
      .join(', ');
    const expires = new Date(now + topic.lockDuration);
    const rows = returned<ExternalTaskRow>(
      await this.db.query(
        `WITH c AS (
           SELECT x.id FROM engine_external_task x WHERE ${conditions.join(' AND ')}
           ORDER BY ${order} LIMIT ${p(limit)} FOR UPDATE OF x SKIP LOCKED
         )
         UPDATE engine_external_task t SET worker_id = ${p(req.workerId)}, lock_expires_at = ${p(expires)}
         FROM c WHERE t.id = c.id RETURNING t.*`,
        params,
      ),
    );
    const createdSign = createDesc ? -1 : 1;
    return rows.sort(
      (a, b) =>
        (req.usePriority === false ? 0 : b.priority - a.priority) ||
        createdSign * (new Date(a.created_at).getTime() - new Date(b.created_at).getTime()) ||
        a.id.localeCompare(b.id),
    );
  }

  private async release(ids: string[], workerId: string): Promise<void> {
    await this.db.query(
      `UPDATE engine_external_task SET worker_id = NULL, lock_expires_at = NULL WHERE id = ANY($1::uuid[]) AND worker_id = $2`,
      [ids, workerId],
    );
  }

  async get(id: string): Promise<ExternalTaskRow> {
    const [row] = isUuid(id) ? await this.db.query(`SELECT * FROM engine_external_task WHERE id = $1`, [id]) : [];
    if (!row) throw restNotFound(`External task with id ${id} does not exist`);
    return row;
  }

  private lockedBy(task: ExternalTaskRow, workerId: string, action: string): void {
    if (task.worker_id !== workerId) {
      throw badUserRequest(
        `External Task ${task.id} cannot be ${action} by worker '${workerId}'. ${task.worker_id ? `It is locked by worker '${task.worker_id}'.` : 'It is not locked.'}`,
      );
    }
  }

  /**
   * The worker's result goes to the waiting activity; the process moves on in the same step. `localVariables`
   * belong to the activity alone: as in Camunda they do not reach the process, and are kept for its history.
   */
  async complete(id: string, workerId: string, sent: WorkerVariables): Promise<void> {
    const task = await this.get(id);
    this.lockedBy(task, workerId, 'completed');
    const { values, types } = readTyped(sent.variables);
    const local = readTyped(sent.localVariables);
    await this.engine.deliverResult(task.instance_id, task.execution_id, { output: values }, { types });
    await this.db.transaction(async (m) => {
      await this.keepLocal(m, task, local);
      await m.query(`DELETE FROM engine_external_task WHERE id = $1`, [id]);
    });
    await this.resolveIncidents(task);
  }

  /** A BPMN error: an error boundary with that code catches it, as if the activity had thrown it; its variables are set first. */
  async bpmnError(
    id: string,
    workerId: string,
    errorCode: string,
    errorMessage?: string,
    variables?: Record<string, unknown>,
  ): Promise<void> {
    const task = await this.get(id);
    this.lockedBy(task, workerId, 'reported a BPMN error');
    const { values, types } = readTyped(variables);
    await this.engine.deliverResult(
      task.instance_id,
      task.execution_id,
      {
        bpmnError: { errorCode, ...(errorMessage ? { message: errorMessage } : {}) },
        ...(Object.keys(values).length ? { output: values } : {}),
      },
      { types },
    );
    await this.db.query(`DELETE FROM engine_external_task WHERE id = $1`, [id]);
    await this.resolveIncidents(task);
  }

  /** Local variables of an activity, as Camunda's history keeps them. */
  private async keepLocal(
    m: EntityManager,
    task: ExternalTaskRow,
    local: { values: Record<string, unknown>; types: VariableTypes },
  ): Promise<void> {
    const names = Object.keys(local.values);
    if (!names.length) return;
    const typed = names.map((n) => toTypedValue(local.values[n], local.types[n]));
    await m.query(
      `INSERT INTO engine_local_variable (instance_id, execution_id, activity_id, name, value, type, value_info, created_at)
       SELECT $1, $2, $3, x.name, x.value, x.type, x.value_info, $7 FROM unnest($4::text[], $5::jsonb[], $6::text[], $8::jsonb[]) AS x(name, value, type, value_info)
       ON CONFLICT (instance_id, execution_id, name) DO UPDATE SET value = EXCLUDED.value, type = EXCLUDED.type, value_info = EXCLUDED.value_info`,
      [
        task.instance_id,
        task.execution_id,
        task.activity_id,
        names,
        names.map((n) => JSON.stringify(local.values[n] ?? null)),
        typed.map((t) => t.type),
        this.clock.date(),
        typed.map((t) => JSON.stringify(t.valueInfo)),
      ],
    );
  }

  /**
   * A technical failure: the task becomes fetchable again after retryTimeout while retries remain; at 0
   * retries it gets an incident (failedExternalTask) and waits until the incident is resolved.
   */
  async failure(
    id: string,
    dto: {
      workerId: string;
      errorMessage?: string;
      errorDetails?: string;
      retries?: number;
      retryTimeout?: number;
    } & WorkerVariables,
  ): Promise<void> {
    const task = await this.get(id);
    this.lockedBy(task, dto.workerId, 'failed');
    const { values, types } = readTyped(dto.variables);
    const local = readTyped(dto.localVariables);
    // Camunda sets the variables of a failure on the process (the token stays), the local ones on the activity.
    if (Object.keys(values).length) await this.engine.setVariables(task.instance_id, { set: values, types });
    const retries = dto.retries ?? 0;
    const now = this.clock.now();
    const message = (dto.errorMessage ?? 'external task failed').slice(0, 4000);
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE engine_external_task SET error_message = $2, error_details = coalesce($3, error_details), retries = $4, lock_expires_at = $5 WHERE id = $1`,
        [id, message, dto.errorDetails ?? null, retries, new Date(now + (dto.retryTimeout ?? 0))],
      );
      await this.keepLocal(m, task, local);
      if (retries > 0) return;
      const updated = returned(
        await m.query(
          `UPDATE engine_incident SET message = $3 WHERE instance_id = $1 AND activity_id = $2 AND incident_type = 'failedExternalTask' AND resolved_at IS NULL RETURNING id`,
          [task.instance_id, task.activity_id, message],
        ),
      );
      if (updated.length) return;
      await m.query(
        `INSERT INTO engine_incident (id, instance_id, activity_id, incident_type, message, command, created_at) VALUES ($1,$2,$3,'failedExternalTask',$4,$5,$6)`,
        [
          randomUUID(),
          task.instance_id,
          task.activity_id,
          message,
          JSON.stringify({ kind: 'wake', runServices: true }),
          new Date(now),
        ],
      );
      this.logger.warn(
        `incident on instance ${task.instance_id}: external task ${id} (${task.topic}) failed: ${message}`,
      );
    });
  }

  /** Camunda refuses to extend a lock that is not the worker's or has already expired. */
  async extendLock(id: string, workerId: string, newDuration: number): Promise<void> {
    const task = await this.get(id);
    const now = this.clock.now();
    if (!task.worker_id || !task.lock_expires_at || new Date(task.lock_expires_at).getTime() <= now) {
      throw badUserRequest(`Cannot extend a lock that expired: external task ${id} is not locked`);
    }
    this.lockedBy(task, workerId, 'extended');
    await this.db.query(`UPDATE engine_external_task SET lock_expires_at = $2 WHERE id = $1`, [
      id,
      new Date(now + newDuration),
    ]);
  }

  /** Locks one task known by id; a live lock of another worker is refused. */
  async lock(id: string, workerId: string, lockDuration: number): Promise<void> {
    const now = this.clock.now();
    const res = returned(
      await this.db.query(
        `UPDATE engine_external_task SET worker_id = $2, lock_expires_at = $3 WHERE id = $1 AND (worker_id IS NULL OR worker_id = $2 OR lock_expires_at IS NULL OR lock_expires_at <= $4) RETURNING id`,
        [
          isUuid(id) ? id : '00000000-0000-0000-0000-000000000000',
          workerId,
          new Date(now + lockDuration),
          new Date(now),
        ],
      ),
    );
    if (res.length) return;
    const task = await this.get(id);
    throw badUserRequest(
      `External task ${id} is already locked by worker '${task.worker_id}' until ${camundaDate(task.lock_expires_at)}`,
    );
  }

  async unlock(id: string): Promise<void> {
    await this.get(id);
    await this.db.query(`UPDATE engine_external_task SET worker_id = NULL, lock_expires_at = NULL WHERE id = $1`, [id]);
  }

  /** Retries above 0 resolve the task's failedExternalTask incident, so it can be fetched again. */
  async setRetries(id: string, retries: number): Promise<void> {
    const task = await this.get(id);
    await this.db.query(`UPDATE engine_external_task SET retries = $2 WHERE id = $1`, [id, retries]);
    if (retries > 0) await this.resolveIncidents(task);
  }

  private async resolveIncidents(task: ExternalTaskRow): Promise<void> {
    await this.db.query(
      `UPDATE engine_incident SET resolved_at = $3 WHERE instance_id = $1 AND activity_id = $2 AND incident_type = 'failedExternalTask' AND resolved_at IS NULL`,
      [task.instance_id, task.activity_id, this.clock.date()],
    );
  }
}
