import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { StepService, type StepScope } from '../../engine/step.service.js';
import { BulletinService } from '../bulletin.service.js';
import { addMonthsTo, firstDay, monthOf } from '../rules/month.js';
import { MonthlyReportRepository } from './monthly-report.repository.js';
import { NoticeWriter } from './notice-writer.js';

export const MONTHLY_CYCLE = 'monthly-cycle';

type Tx = NonNullable<HandlerContext['tx']>;

function tx(ctx: HandlerContext): Tx {
  // The embedded database has one connection and the step holds it: handlers write through the step's transaction.
  if (!ctx.tx) throw new Error(`${ctx.activityId}: no transaction handed to the handler`);
  return ctx.tx;
}

function monthVar(ctx: Pick<HandlerContext, 'variables' | 'activityId'>): string {
  const month = ctx.variables.month;
  if (typeof month !== 'string' || !/^\d{4}-\d{2}$/.test(month))
    throw new Error(`${ctx.activityId}: the process has no month variable`);
  return month;
}

/** 09:00 China time of a month's first day, as the ISO literal the BPMN timers read. */
export function monthStartAt(month: string, time = '09:00:00'): string {
  return `${firstDay(month)}T${time}+08:00`;
}

/**
 * The service tasks of `monthly-cycle.bpmn`: 月调度 (who reports this month), 催报 (lights yellow),
 * 月通报 (publish the month's bulletin) and 月督办 (notices to the units it names). Every one is idempotent:
 * rows are written once per month, so a step re-run after a crash changes nothing.
 */
@Injectable()
export class MonthlyCycleHandlers implements OnModuleInit {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly steps: StepService,
    private readonly repo: MonthlyReportRepository,
    private readonly bulletins: BulletinService,
    private readonly notices: NoticeWriter,
  ) {}

  onModuleInit(): void {
    this.registry.register('monthlyDispatch', (ctx) => this.dispatch(ctx));
    this.registry.register('chaseReports', (ctx) => this.chase(ctx));
    this.registry.register('publishBulletin', (ctx) => this.publish(ctx));
    this.registry.register('issueNotices', (ctx) => this.issueNotices(ctx));
    this.registry.register('scheduleNextRound', (ctx) => scheduleNextRound(ctx));
    this.steps.onStep((e, m, scope) => this.onStep(e, m, scope));
  }

  /** 月调度: every lead unit with open problems reports on them this month. */
  async dispatch(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const q = tx(ctx);
    const month = monthOf(ctx.now);
    await this.repo.insertRequests(
      month,
      ctx.instanceId,
      await this.repo.openProblemsByLeadUnit(q),
      new Date(ctx.now),
      q,
    );
    const requests = await this.repo.requests(month, q);
    return {
      month,
      reportUnits: requests.map((r) => r.unit_code),
      monthEndAt: monthStartAt(addMonthsTo(month, 1), '00:00:00'),
    };
  }

  /** 催报: the problems still unreported at the due time turn yellow. */
  async chase(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const q = tx(ctx);
    const month = monthVar(ctx);
    const missing = await this.repo.missing(month, q);
    const units = [...new Set(missing.map((x) => x.unit))];
    const urged = await this.notices.markLagging(
      missing.map((x) => x.problemId),
      month,
      q,
    );
    await this.repo.markChased(month, units, new Date(ctx.now), q);
    return { chasedUnits: units, chasedProblems: missing.length, urged };
  }

  /** 月通报: the month's bulletin, frozen as of its end. */
  async publish(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const month = monthVar(ctx);
    const { bulletin } = await this.bulletins.publishIfAbsent(month, 'monthly-cycle', tx(ctx));
    return { bulletinNo: bulletin.documentNo, laggardUnits: bulletin.laggards.map((l) => l.unit) };
  }

  /** 月督办: a notice per problem the bulletin names, to its lead unit. */
  async issueNotices(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const q = tx(ctx);
    const month = monthVar(ctx);
    const bulletin = await this.bulletins.publishIfAbsent(month, 'monthly-cycle', q);
    const issued = await this.notices.issueForBulletin(bulletin.bulletin, ctx.instanceId, new Date(ctx.now), q);
    return { noticesIssued: issued };
  }

  /** The due time of each unit's report goes on its request row when the task is created. */
  private async onStep(
    e: { type: string; instanceId: string; payload: Record<string, unknown> },
    m: EntityManager,
    scope: StepScope,
  ): Promise<void> {
    if (e.type !== 'task.created' || e.payload.activityId !== 'monthlyReport') return;
    const task = scope.tasks.get(String(e.payload.taskId));
    if (!task || task.definition_key !== MONTHLY_CYCLE) return;
    const month = scope.instance.variables.month;
    if (!month || typeof task.input?.unit !== 'string') return;
    await this.repo.setDue(String(month), task.input.unit, task.due_at === null ? null : new Date(task.due_at), m);
  }
}

/** The next round starts at 09:00 on the first day of the month after the one just bulletined. */
export function scheduleNextRound(ctx: Pick<HandlerContext, 'variables' | 'activityId'>): Record<string, unknown> {
  const month = monthVar(ctx);
  return { nextRunAt: monthStartAt(addMonthsTo(month, 1)) };
}
