import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currentCallContext, runInCallContext } from '../auth/call-context.js';
import { EngineService } from '../engine/engine.service.js';
import { StepService, instanceKeys } from '../engine/step.service.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService, type AuditInput } from './audit.service.js';

type StepEvent = { type: string; instanceId: string; payload: Record<string, unknown> };

const RECORDED = new Set(['task.created', 'task.ended', 'instance.ended']);

/**
 * Every task created or ended and every instance ended, in the step's own transaction: the trail commits
 * with the step or not at all. The actor is the signed-in caller whose call ended a task; what the engine
 * does by itself is 'system', or 'timer' when a timer fired the step.
 */
@Injectable()
export class StepAuditListener implements OnModuleInit {
  constructor(
    private readonly steps: StepService,
    private readonly engine: EngineService,
    private readonly audit: AuditService,
    private readonly repo: AuditRepository,
  ) {}

  onModuleInit(): void {
    this.steps.onStep((e, m) => this.onStep(e, m));
    // The engine has no hook telling a step's cause; every timer firing (driver, reconciler, clock moves)
    // goes through fireTimer, so its steps run in a 'timer' call context.
    const fireTimer = this.engine.fireTimer.bind(this.engine);
    this.engine.fireTimer = (timerId: string, instanceId: string) =>
      runInCallContext({ kind: 'timer' }, () => fireTimer(timerId, instanceId));
  }

  /** An instance's keys and problem never change: read once per transaction, however many events its step has. */
  private readonly seen = new WeakMap<
    object,
    Map<
      string,
      Promise<{ inst: { business_key: string | null; definition_key: string } | undefined; problemId: string | null }>
    >
  >();

  private instanceOf(instanceId: string, m: EntityManager, payload: Record<string, unknown>) {
    const key = (m.queryRunner ?? m) as object;
    let known = this.seen.get(key);
    if (!known) this.seen.set(key, (known = new Map()));
    let found = known.get(instanceId);
    if (!found) {
      found = (async () => {
        const inst = await instanceKeys({ instanceId, payload }, m);
        const problemId = inst?.business_key ? await this.repo.problemIdOfCode(inst.business_key, m) : null;
        return { inst, problemId };
      })();
      known.set(instanceId, found);
    }
    return found;
  }

  async onStep(e: StepEvent, m: EntityManager): Promise<void> {
    if (!RECORDED.has(e.type)) return;
    const ctx = currentCallContext();
    const user = ctx?.kind === 'request' ? ctx.user : undefined;
    const engineActor = ctx?.kind === 'timer' ? 'timer' : 'system';
    const { inst, problemId } = await this.instanceOf(e.instanceId, m, e.payload);
    const businessKey: string | null = inst?.business_key ?? null;
    // The task's properties travel with the event for the listeners; the trail keeps what it kept.
    const { properties: _properties, ...payload } = e.payload;
    const base = {
      problemId,
      details: {
        ...payload,
        instanceId: e.instanceId,
        definitionKey: inst?.definition_key ?? null,
        businessKey,
        causedBy: user?.accountId ?? null,
      },
    };
    const entries: AuditInput[] = [];
    if (e.type === 'task.created') {
      entries.push({
        ...base,
        actor: engineActor,
        action: 'task.created',
        entityType: 'task',
        entityId: String(e.payload.taskId),
      });
    } else if (e.type === 'task.ended') {
      const actor = user ? { actor: user.accountId, actorName: user.username } : { actor: engineActor };
      entries.push({ ...base, ...actor, action: 'task.ended', entityType: 'task', entityId: String(e.payload.taskId) });
      const signoffVerify = inst?.definition_key === 'signoff' && e.payload.activityId === 'verify';
      if ((inst?.definition_key === 'rectification' || signoffVerify) && e.payload.activityId === 'verify') {
        const [v] = await m.query(
          `SELECT variables -> 'verified' AS verified, variables -> 'verifyComments' AS comment FROM engine_instance WHERE id = $1`,
          [e.instanceId],
        );
        // 销号 only on a verified check; a refused one sends the problem back to rework.
        entries.push({
          ...actor,
          problemId,
          // In signoff.bpmn a passed verification goes on to 公示: the sign-off is recorded when that ends.
          action: v?.verified
            ? signoffVerify
              ? 'problem.signoff_verified'
              : 'problem.signed_off'
            : 'problem.signoff_refused',
          entityType: 'problem',
          entityId: problemId ?? businessKey,
          details: { businessKey, instanceId: e.instanceId, comment: v?.comment ?? null },
        });
      }
    } else {
      entries.push({
        ...base,
        actor: engineActor,
        action: 'instance.ended',
        entityType: 'process_instance',
        entityId: e.instanceId,
      });
      if (inst?.definition_key === 'signoff') {
        const [v] = await m.query(
          `SELECT variables -> 'signoffReturned' AS returned FROM engine_instance WHERE id = $1`,
          [e.instanceId],
        );
        // 公示 over without an objection upheld: 销号.
        if (v && v.returned !== true)
          entries.push({
            actor: engineActor,
            problemId,
            action: 'problem.signed_off',
            entityType: 'problem',
            entityId: problemId ?? businessKey,
            details: { businessKey, instanceId: e.instanceId },
          });
      }
    }
    await this.audit.recordMany(entries, m);
  }
}
