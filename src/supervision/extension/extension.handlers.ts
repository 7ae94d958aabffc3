import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { ProblemsRepository } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository, type ActionRow } from '../actions/actions.repository.js';
import { isOpen, problemOf, stepTx, text } from '../handler-support.js';
import { resetLight } from '../ladder/lights.js';
import { DeadlineMover } from './deadline-mover.js';

export const EXTENSION = 'extension';

/**
 * The service tasks of `extension.bpmn` (延期申请). `grantExtension` does the whole approval in its step's
 * transaction: the problem's deadline, the light (green when the new deadline is ahead), every task due date
 * and timer that hangs on the deadline (DeadlineMover), and the extension action with what moved. The ladder
 * is then told `期限变更` after the commit (SupervisionEvents). `refuseExtension` records the refusal only.
 */
@Injectable()
export class ExtensionHandlers implements OnModuleInit {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly problems: ProblemsRepository,
    private readonly actions: ActionsRepository,
    private readonly mover: DeadlineMover,
  ) {}

  onModuleInit(): void {
    this.registry.register('grantExtension', (ctx) => this.grant(ctx));
    this.registry.register('refuseExtension', (ctx) => this.refuse(ctx));
  }

  async grant(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const action = await this.action(ctx);
    if (action.status === 'granted') return { extensionApplied: true, newDeadline: action.body.after };
    // The problem's processes before its row, in the order their own steps take them (instance, then ledger).
    await tx.query(
      `SELECT id FROM engine_instance WHERE business_key = $1 AND status = 'active' ORDER BY id FOR UPDATE`,
      [action.problem_code],
    );
    await tx.query(`SELECT 1 FROM problem WHERE id = $1 FOR UPDATE`, [action.problem_id]);
    const p = await problemOf(ctx, this.problems);
    const before = p.deadline;
    const after = String(ctx.variables.requestedDeadline);
    const today = chinaDate(ctx.now);
    const common = { reviewer: reviewerOf(ctx), reviewComments: text(ctx.variables.reviewComments) };
    if (!isOpen(p)) {
      await this.actions.update(tx, action.id, {
        status: 'void',
        body: { ...common, voidReason: `问题已${p.status === 'closed' ? '销号' : '不在整改中'}，延期不再适用` },
        closedAt: new Date(ctx.now),
      });
      return { extensionApplied: false };
    }
    await tx.query(`UPDATE problem SET deadline = $2 WHERE id = $1`, [p.id, after]);
    if (after >= today) await resetLight(tx, p.id);
    const moved = await this.mover.move(tx, { ...p, deadline: after }, before, after, ctx.now);
    await this.actions.update(tx, action.id, {
      status: 'granted',
      body: {
        ...common,
        before,
        after,
        decidedOn: today,
        tasksMoved: moved.tasks,
        timersMoved: moved.timers,
        instancesUpdated: moved.instances,
        text: `同意${p.code}「${p.title}」整改时限由${before}延至${after}。`,
      },
      deadline: after,
      closedAt: new Date(ctx.now),
    });
    return { extensionApplied: true, newDeadline: after };
  }

  async refuse(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const action = await this.action(ctx);
    if (action.status === 'requested') {
      await this.actions.update(stepTx(ctx), action.id, {
        status: 'refused',
        body: {
          reviewer: reviewerOf(ctx),
          reviewComments: text(ctx.variables.reviewComments),
          decidedOn: chinaDate(ctx.now),
          text: `不同意延期，整改时限仍为${String(action.body.before)}。`,
        },
        closedAt: new Date(ctx.now),
      });
    }
    return { extensionApplied: false };
  }

  private async action(ctx: HandlerContext): Promise<ActionRow> {
    const a = await this.actions.findByInstance(stepTx(ctx), ctx.instanceId, 'extension');
    if (!a)
      throw new Error(`${ctx.activityId}: the extension request of instance ${ctx.instanceId} has no action record`);
    return a;
  }
}

/** Who decided: the inbox records the signed-in user as `completedBy`. */
function reviewerOf(ctx: HandlerContext): string | null {
  return text(ctx.variables.reviewer) ?? text(ctx.variables.completedBy);
}
