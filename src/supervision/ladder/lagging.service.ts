import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarService } from '../../calendar/calendar.service.js';
import { Clock } from '../../clock/clock.js';
import { notFound } from '../../common/domain-exception.js';
import type { Queryable } from '../../engine/definition.service.js';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import { ProblemsRepository } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository, type ActionRow } from '../actions/actions.repository.js';
import { isOpen, problemLink, stepTx, text } from '../handler-support.js';
import { SupervisionNotifier } from '../notifier.js';
import { officeTime } from './ladder-rules.js';
import { raiseLight } from './lights.js';

export interface LaggingInput {
  /** Why: '月度进展未报送' (a monthly report missing) or '滞后于序时进度' (behind the plan's milestones). */
  reason?: string;
  /** What it is about, e.g. the month '2026-04'; one 催报 per problem and period. Default: today. */
  period?: string;
}

/**
 * 催报/催办: a problem lagging (a monthly report missing, or behind its milestones) gets an `urge` action
 * and a yellow light (never lowering a red one). For the monthly cycle (月调度) to call, in its own
 * transaction (`manager`) or alone, and for BPMN as the handler `markLagging` (variables `problemId`,
 * `laggingReason`, `laggingPeriod`).
 */
@Injectable()
export class LaggingService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: HandlerRegistry,
    private readonly problems: ProblemsRepository,
    private readonly actions: ActionsRepository,
    private readonly notifier: SupervisionNotifier,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
  ) {}

  onModuleInit(): void {
    this.registry.register('markLagging', async (ctx) => {
      const a = await this.mark(
        stepTx(ctx),
        String(ctx.variables.problemId),
        {
          reason: text(ctx.variables.laggingReason) ?? undefined,
          period: text(ctx.variables.laggingPeriod) ?? undefined,
        },
        ctx.now,
      );
      return { laggingActionId: a?.id ?? null };
    });
  }

  /** Answers the 催报 action, or null when the problem is no longer being rectified. */
  async markLagging(problemId: string, input: LaggingInput = {}, manager?: Queryable): Promise<ActionRow | null> {
    if (manager) return this.mark(manager, problemId, input, this.clock.now());
    return this.db.transaction((m) => this.mark(m, problemId, input, this.clock.now()));
  }

  private async mark(q: Queryable, problemId: string, input: LaggingInput, now: number): Promise<ActionRow | null> {
    const p = await this.problems.findById(problemId, q);
    if (!p) throw notFound('problem', problemId);
    if (!isOpen(p)) return null;
    // Dated on a working day from 09:00, like every document.
    const at = new Date(officeTime(now, (d) => this.calendar.current.isWorkday(d)));
    const today = chinaDate(at.getTime());
    const reason = input.reason?.trim() || '月度进展未报送';
    const period = input.period?.trim() || today;
    const unitName = await this.actions.unitName(q, p.lead_unit);
    const personId = await this.actions.personId(q, p.lead_unit, p.responsible_person);
    const action = await this.actions.issue(
      q,
      {
        problemId: p.id,
        unitCode: p.lead_unit,
        personId,
        type: 'urge',
        status: 'issued',
        title: `催报催办：${p.code} ${p.title}`,
        body: {
          problemCode: p.code,
          problemTitle: p.title,
          leadUnit: p.lead_unit,
          leadUnitName: unitName,
          responsiblePerson: p.responsible_person,
          deadline: p.deadline,
          reason,
          period,
          issuedOn: today,
          text: `${p.code}「${p.title}」${reason}，请${unitName}抓紧报送整改进展、加快推进。`,
        },
        deadline: p.deadline,
        dedupeKey: `urge:${p.id}:${period}`,
      },
      at,
    );
    await raiseLight(q, p.id, 'yellow');
    await this.notifier.send(
      {
        key: `supervision:${action.id}`,
        kind: 'reminder',
        unitCodes: [p.lead_unit],
        personIds: personId ? [personId] : [],
        title: action.title,
        text: String(action.body.text),
        link: problemLink(p),
      },
      q,
      p,
    );
    return action;
  }
}
