import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CalendarService } from '../../calendar/calendar.service.js';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import type { Light } from '../../problems/problem-status.js';
import { ProblemsRepository, type ProblemRow } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository, type ActionType } from '../actions/actions.repository.js';
import { isOpen, problemLink, problemOf, settingsOf, stepTx } from '../handler-support.js';
import { SupervisionNotifier, type SupervisionNotice } from '../notifier.js';
import { LadderPlanner } from './ladder-planner.js';
import { planVariables, type Rung } from './ladder-rules.js';
import { raiseLight } from './lights.js';

export const LADDER = 'escalation-ladder';

interface RungSpec {
  type: Extract<ActionType, Rung>;
  light: Light | null;
  notify: SupervisionNotice['kind'];
  title(p: ProblemRow, unitName: string): string;
  body(p: ProblemRow, ctx: HandlerContext, today: string): Record<string, unknown>;
  /** The date the addressee must act by. */
  deadline(p: ProblemRow, today: string): string | null;
}

/**
 * The service tasks of `escalation-ladder.bpmn`: `ladderPlan` decides (from the ledger, in the step's
 * transaction) which rung is next and when; `issueReminder`, `issueNotice` and `issueBulletin` record the
 * rung's action, set the light and notify, all in the step's transaction and once per deadline.
 */
@Injectable()
export class LadderHandlers implements OnModuleInit {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly calendar: CalendarService,
    private readonly planner: LadderPlanner,
    private readonly problems: ProblemsRepository,
    private readonly actions: ActionsRepository,
    private readonly notifier: SupervisionNotifier,
  ) {}

  onModuleInit(): void {
    this.registry.register('ladderPlan', (ctx) => this.plan(ctx));
    this.registry.register('issueReminder', (ctx) => this.rung(ctx, this.reminder));
    this.registry.register('issueNotice', (ctx) => this.rung(ctx, this.notice));
    this.registry.register('issueBulletin', (ctx) => this.rung(ctx, this.bulletin));
  }

  /** 督办研判: the next rung for the problem's current deadline, taken now or waited for. */
  async plan(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const p = await problemOf(ctx, this.problems);
    return planVariables(await this.planner.plan(stepTx(ctx), p, ctx.variables, ctx.now), p.deadline);
  }

  private readonly reminder: RungSpec = {
    type: 'reminder',
    light: 'blue',
    notify: 'reminder',
    title: (p) => `整改期限提醒：${p.code} ${p.title}`,
    body: (p, ctx) => {
      const n = settingsOf(ctx.variables).remindBefore;
      return { workdaysLeft: n, text: `该问题整改时限为${p.deadline}，距期限已不足${n}个工作日，请抓紧推进整改，按期申请销号。` };
    },
    deadline: (p) => p.deadline,
  };

  private readonly notice: RungSpec = {
    type: 'notice',
    light: 'red',
    notify: 'notice',
    title: (p) => `督办单：${p.code} ${p.title}`,
    body: (p, _ctx, today) => {
      const replyBy = this.calendar.addWorkdays(today, 5);
      return {
        overdueSince: p.deadline,
        replyBy,
        text: `该问题已超过整改时限（${p.deadline}）未销号，请于${replyBy}前书面报告整改进展、逾期原因和下一步措施。`,
      };
    },
    deadline: (_p, today) => this.calendar.addWorkdays(today, 5),
  };

  private readonly bulletin: RungSpec = {
    type: 'bulletin',
    light: 'red',
    notify: 'bulletin',
    title: (p, unitName) => `通报：${unitName}整改逾期（${p.code}）`,
    body: (p, ctx, today) => {
      const n = settingsOf(ctx.variables).bulletinAfter;
      return { overdueWorkdays: n, month: today.slice(0, 7), text: `${p.code}「${p.title}」超过整改时限（${p.deadline}）${n}个工作日仍未销号，予以通报。` };
    },
    deadline: () => null,
  };

  /** A rung's action, once per problem and deadline; nothing when the problem closed or the deadline moved meanwhile. */
  private async rung(ctx: HandlerContext, spec: RungSpec): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const p = await problemOf(ctx, this.problems);
    const ladderDeadline = String(ctx.variables.ladderDeadline ?? p.deadline);
    if (!isOpen(p) || p.deadline !== ladderDeadline) return { lastAction: null };
    const today = chinaDate(ctx.now);
    const unitName = await this.actions.unitName(tx, p.lead_unit);
    const personId = await this.actions.personId(tx, p.lead_unit, p.responsible_person);
    const action = await this.actions.issue(
      tx,
      {
        problemId: p.id,
        unitCode: p.lead_unit,
        personId: spec.type === 'reminder' ? personId : null,
        type: spec.type,
        status: 'issued',
        title: spec.title(p, unitName),
        body: {
          ladderDeadline,
          problemCode: p.code,
          problemTitle: p.title,
          category: p.category,
          leadUnit: p.lead_unit,
          leadUnitName: unitName,
          responsiblePerson: p.responsible_person,
          deadline: p.deadline,
          issuedOn: today,
          ...spec.body(p, ctx, today),
        },
        deadline: spec.deadline(p, today),
        processInstanceId: ctx.instanceId,
        dedupeKey: `${spec.type}:${p.id}:${ladderDeadline}`,
      },
      new Date(ctx.now),
    );
    if (spec.light) await raiseLight(tx, p.id, spec.light);
    await this.notifier.send(
      {
        key: `supervision:${action.id}`,
        kind: spec.notify,
        unitCodes: [p.lead_unit],
        personIds: personId ? [personId] : [],
        roles: spec.type === 'reminder' ? [] : ['office'],
        title: action.document_no ? `${action.title}（${action.document_no}）` : action.title,
        text: String(action.body.text ?? action.title),
        link: problemLink(p),
      },
      tx,
    );
    return { lastAction: { type: spec.type, id: action.id, documentNo: action.document_no } };
  }
}
