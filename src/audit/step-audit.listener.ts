import { Injectable, type OnModuleInit } from '@nestjs/common';
import { currentCallContext, runInCallContext } from '../auth/call-context.js';
import { EngineService } from '../engine/engine.service.js';
import { StepService, type StepScope } from '../engine/step.service.js';
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
  ) {}

  onModuleInit(): void {
    // The problem of an instance's business key, read with the instance by every step.
    this.steps.addLookup('problem_id', '(SELECT p.id FROM problem p WHERE p.code = :business_key)');
    this.steps.onStep((e, m, scope) => this.onStep(e, scope));
    // A request's own entry carried by a step is taken once that step committed (a rolled-back one leaves it).
    this.steps.onCommitted(() => {
      const slot = currentCallContext()?.stepAudit;
      if (slot?.carried) slot.taken = true;
    });
    // The engine has no hook telling a step's cause; every timer firing (driver, reconciler, clock moves)
    // goes through fireTimer, so its steps run in a 'timer' call context.
    const fireTimer = this.engine.fireTimer.bind(this.engine);
    this.engine.fireTimer = (timerId: string, instanceId: string) =>
      runInCallContext({ kind: 'timer' }, () => fireTimer(timerId, instanceId));
  }

  /** The entries of a step's event, from the rows the step holds, as a part of its one write. */
  onStep(e: StepEvent, scope: StepScope): void {
    if (!RECORDED.has(e.type)) return;
    const ctx = currentCallContext();
    const user = ctx?.kind === 'request' ? ctx.user : undefined;
    const engineActor = ctx?.kind === 'timer' ? 'timer' : 'system';
    const inst = scope.instance;
    const problemId = typeof scope.lookups.problem_id === 'string' ? scope.lookups.problem_id : null;
    const businessKey: string | null = inst.business_key;
    // The demo's history: the entry is recorded now and says when the step happened, and by whom (task.ended).
    const past = ctx?.kind === 'history' ? ctx.past : undefined;
    const occurred = past ? { occurredAt: past.at.toISOString() } : {};
    const actedBy = past ? { actedBy: { person: past.person, unitCode: past.unitCode } } : {};
    // The task's properties travel with the event for the listeners; the trail keeps what it kept.
    const { properties: _properties, ...payload } = e.payload;
    const base = {
      problemId,
      details: {
        ...payload,
        instanceId: e.instanceId,
        definitionKey: inst.definition_key,
        businessKey,
        causedBy: user?.accountId ?? null,
        ...occurred,
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
      entries.push({
        ...base,
        ...actor,
        details: { ...base.details, ...actedBy },
        action: 'task.ended',
        entityType: 'task',
        entityId: String(e.payload.taskId),
      });
      const signoffVerify = inst.definition_key === 'signoff' && e.payload.activityId === 'verify';
      if ((inst.definition_key === 'rectification' || signoffVerify) && e.payload.activityId === 'verify') {
        const v = inst.variables;
        // 销号 only on a verified check; a refused one sends the problem back to rework.
        entries.push({
          ...actor,
          problemId,
          // In signoff.bpmn a passed verification goes on to 公示: the sign-off is recorded when that ends.
          action: v.verified
            ? signoffVerify
              ? 'problem.signoff_verified'
              : 'problem.signed_off'
            : 'problem.signoff_refused',
          entityType: 'problem',
          entityId: problemId ?? businessKey,
          details: {
            businessKey,
            instanceId: e.instanceId,
            comment: v.verifyComments ?? null,
            ...occurred,
            ...actedBy,
          },
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
      // 公示 over without an objection upheld: 销号.
      if (inst.definition_key === 'signoff' && inst.variables.signoffReturned !== true)
        entries.push({
          actor: engineActor,
          problemId,
          action: 'problem.signed_off',
          entityType: 'problem',
          entityId: problemId ?? businessKey,
          details: { businessKey, instanceId: e.instanceId, ...occurred },
        });
    }
    // The call's own entry (api.call…), once, after the step's: the trail has the call in the step's transaction.
    const slot = ctx?.stepAudit;
    if (slot && !slot.taken && !slot.carried && slot.entries.length) {
      entries.push(...(slot.entries as AuditInput[]));
      slot.carried = true;
    }
    this.audit.recordInStep(entries, scope.writes);
  }
}
