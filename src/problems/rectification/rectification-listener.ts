import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { DomainException } from '../../common/domain-exception.js';
import { DefinitionService } from '../../engine/definition.service.js';
import { StepService } from '../../engine/step.service.js';
import { ProblemDetailsRepository } from '../problem-details.repository.js';
import { isProblemStatus } from '../problem-status.js';
import { ProblemsRepository } from '../problems.repository.js';
import { chinaDate, isValidDate } from '../rules/china-date.js';
import { nextRoundCode, tierOf } from '../rules/problem-rules.js';
import { RECTIFICATION, SIGNOFF_PROCESS, startVariables } from './rectification-variables.js';
import { SplitSignOff } from '../split/split-sign-off.js';

type StepEvent = { type: string; instanceId: string; payload: Record<string, unknown> };

/**
 * Keeps the ledger in step with the rectification process, in the step's own transaction: the status from
 * the `status` property of each user task reached, the plan's milestones, the sign-off, and at the end
 * either closed for good or a new linked round.
 */
@Injectable()
export class RectificationListener implements OnModuleInit {
  constructor(
    private readonly steps: StepService,
    private readonly definitions: DefinitionService,
    private readonly problems: ProblemsRepository,
    private readonly details: ProblemDetailsRepository,
    private readonly clock: Clock,
    private readonly levels: SplitSignOff,
  ) {}

  onModuleInit(): void {
    this.steps.onStep((e, m) => this.handle(e, m));
  }

  async handle(e: StepEvent, m: EntityManager): Promise<void> {
    if (e.type === 'task.created') return this.taskCreated(e, m);
    const relevant =
      (e.type === 'task.ended' && (e.payload.activityId === 'plan' || e.payload.activityId === 'verify')) ||
      (e.type === 'instance.ended' && e.payload.definitionKey === RECTIFICATION);
    if (e.type === 'instance.ended' && e.payload.definitionKey === SIGNOFF_PROCESS) return this.signoffEnded(e, m);
    if (e.type === 'task.ended' && e.payload.activityId === 'verify') return this.verifyEnded(e, m);
    if (!relevant) return;
    const inst = await this.details.instance(e.instanceId, m);
    if (!inst || inst.definition_key !== RECTIFICATION) return;
    const vars = inst.variables ?? {};
    if (e.type === 'task.ended' && e.payload.activityId === 'plan') return this.planMade(e.instanceId, vars, m);
    if (e.type === 'instance.ended') {
      if (vars.rebound) return this.openNextRound(e.instanceId, m);
      return this.problems.markRecheckPassed(e.instanceId, this.clock.date(), m);
    }
  }

  private async taskCreated(e: StepEvent, m: EntityManager): Promise<void> {
    // The engine names the task's process and properties in the event; an event without them reads the row.
    const task =
      typeof e.payload.definitionKey === 'string'
        ? {
            definition_key: e.payload.definitionKey,
            business_key: (e.payload.businessKey as string | null) ?? null,
            properties: (e.payload.properties ?? {}) as Record<string, string>,
          }
        : await this.details.task(String(e.payload.taskId), m);
    if (!task || !task.business_key) return;
    if (task.definition_key !== RECTIFICATION && task.definition_key !== SIGNOFF_PROCESS) return;
    const status = task.properties?.status;
    if (!isProblemStatus(status)) return;
    // A sign-off's task: the problem is bound to the rectification instance that called it.
    const instanceId = task.definition_key === SIGNOFF_PROCESS ? await this.callerOf(e.instanceId, m) : e.instanceId;
    if (instanceId) await this.problems.setStage(task.business_key, instanceId, status, m);
  }

  /** 验收销号 ended: signed off (closed, sign-off date) unless it sent the problem back to rectification. */
  private async signoffEnded(e: StepEvent, m: EntityManager): Promise<void> {
    const [inst]: { parent_id: string | null; variables: Record<string, unknown> | null }[] = await m.query(
      `SELECT parent_id, variables FROM engine_instance WHERE id = $1`,
      [e.instanceId],
    );
    if (!inst?.parent_id || inst.variables?.signoffReturned) return;
    const problem = await this.problems.findByInstance(inst.parent_id, m);
    await this.problems.markSignedOff(inst.parent_id, this.clock.date(), m);
    // A child problem's sign-off is filed up to its parent (备案).
    await this.levels.afterSignOff(problem, m);
  }

  /** 办公室验收 passed (truthiness, as the gateway after it reads it): a split problem's children must all be signed off. */
  private async verifyEnded(e: StepEvent, m: EntityManager): Promise<void> {
    const [inst]: { definition_key: string; parent_id: string | null; variables: Record<string, unknown> | null }[] =
      await m.query(`SELECT definition_key, parent_id, variables FROM engine_instance WHERE id = $1`, [e.instanceId]);
    if (inst?.definition_key !== SIGNOFF_PROCESS || !inst.parent_id || !inst.variables?.verified) return;
    await this.levels.beforeSignOff(inst.parent_id, m);
  }

  private async callerOf(instanceId: string, m: EntityManager): Promise<string | null> {
    const [row]: { parent_id: string | null }[] = await m.query(`SELECT parent_id FROM engine_instance WHERE id = $1`, [
      instanceId,
    ]);
    return row?.parent_id ?? null;
  }

  /** 倒排工期: the plan's milestones, each due no later than the deadline. */
  private async planMade(instanceId: string, vars: Record<string, unknown>, m: EntityManager): Promise<void> {
    const problem = await this.problems.findByInstance(instanceId, m);
    if (!problem || vars.milestones === undefined) return;
    if (!Array.isArray(vars.milestones)) throw invalidPlan('milestones', '整改节点应为列表，每项含 title 和 dueDate');
    const items = vars.milestones.map((raw, i) => {
      const it = (raw ?? {}) as Record<string, unknown>;
      const title = typeof it.title === 'string' ? it.title.trim() : '';
      const dueDate = String(it.dueDate ?? '');
      const doneDate = it.doneDate ? String(it.doneDate) : null;
      if (!title || title.length > 200) throw invalidPlan(`milestones[${i}].title`, '节点名称必填，1 到 200 个字符');
      if (!isValidDate(dueDate)) throw invalidPlan(`milestones[${i}].dueDate`, '应为日期（YYYY-MM-DD）');
      if (dueDate > problem.deadline)
        throw invalidPlan(`milestones[${i}].dueDate`, `节点日期 ${dueDate} 晚于整改时限 ${problem.deadline}`);
      if (doneDate && !isValidDate(doneDate)) throw invalidPlan(`milestones[${i}].doneDate`, '应为日期（YYYY-MM-DD）');
      return { title, dueDate, doneDate };
    });
    if (items.length > 100) throw invalidPlan('milestones', '最多 100 个整改节点');
    await this.details.replaceMilestones(problem.id, items, m);
  }

  /** 反弹: the old round is marked rebounded and a linked round starts over from 交办, in this transaction. */
  private async openNextRound(instanceId: string, m: EntityManager): Promise<void> {
    const old = await this.problems.findByInstance(instanceId, m);
    if (!old || (await this.problems.findNextRound(old.id, m))) return;
    const now = this.clock.now();
    const today = chinaDate(now);
    const round = old.round + 1;
    const code = nextRoundCode(old.code, round);
    // The new round gets the same span of time the first one had, counted from today.
    const span = Date.parse(old.deadline) - Date.parse(chinaDate(old.created_at.getTime()));
    const deadline = chinaDate(Date.parse(`${today}T00:00:00+08:00`) + Math.max(span, 30 * 86_400_000));
    const id = randomUUID();
    await this.problems.insert(
      {
        id,
        code,
        source: old.source,
        title: old.title,
        description: old.description,
        category: old.category,
        leadUnit: old.lead_unit,
        responsibleUnits: old.responsible_units,
        person: old.responsible_person,
        deadline,
        tier: tierOf(today, deadline),
        goal: old.goal,
        recheckMonths: old.recheck_months,
        round,
        previousProblemId: old.id,
        importId: null,
      },
      this.clock.date(),
      m,
    );
    await this.problems.markRebounded(old.id, this.clock.date(), m);
    const def = await this.definitions.latest(RECTIFICATION, m);
    const variables = startVariables(
      {
        problemId: id,
        problemCode: code,
        title: old.title,
        leadUnit: old.lead_unit,
        responsibleUnits: old.responsible_units,
        deadline,
        recheckMonths: old.recheck_months,
        round,
      },
      today,
    );
    // In this step's transaction; the new round rests on its first user task (a timer or service a later
    // version of the process adds there is delivered by the reconciler).
    const inst = await this.steps.start(def, code, variables, undefined, m);
    await this.problems.bindInstance(id, inst.id, m);
  }
}

function invalidPlan(field: string, message: string): DomainException {
  return new DomainException('INVALID_PLAN', 422, `${field}：${message}`, { fields: [{ field, message }] });
}
