import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { ProblemsRepository } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository, type ActionRow } from '../actions/actions.repository.js';
import {
  isOpen,
  issuedAt,
  ladderSkipped,
  problemLink,
  problemOf,
  settingsOf,
  skippedText,
  stepTx,
  text,
} from '../handler-support.js';
import { SupervisionNotifier } from '../notifier.js';
import { caseTarget } from '../ladder/part-target.js';

export const INTERVIEW = 'interview';

/**
 * The service tasks of `interview.bpmn` (约谈): the interview's action is opened when the process starts
 * and follows it — scheduled (date, place, attendees; the unit is summoned), held (minutes), the unit's
 * commitment with a new deadline, then kept or missed. A missed commitment returns `commitmentMissed`.
 */
@Injectable()
export class InterviewHandlers implements OnModuleInit {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly problems: ProblemsRepository,
    private readonly actions: ActionsRepository,
    private readonly notifier: SupervisionNotifier,
  ) {}

  onModuleInit(): void {
    this.registry.register('openInterview', (ctx) => this.open(ctx));
    this.registry.register('interviewScheduled', (ctx) => this.scheduled(ctx));
    this.registry.register('interviewCommitted', (ctx) => this.committed(ctx));
    this.registry.register('interviewMissed', (ctx) => this.closed(ctx, 'missed'));
    this.registry.register('interviewKept', (ctx) => this.closed(ctx, 'kept'));
  }

  async open(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const p = caseTarget(await problemOf(ctx, this.problems), ctx.variables);
    const unitName = await this.actions.unitName(tx, p.lead_unit);
    const n = settingsOf(ctx.variables).interviewAfter;
    const at = issuedAt(ctx);
    // 党政同责: the problem's responsible leader is the one interviewed by default, with the unit's head.
    const [leader] = p.responsible_leader ? await this.problems.leaderAccounts(p.responsible_leader, tx) : [];
    const target = leader ? `责任领导${leader.name}及${unitName}主要负责人` : `${unitName}主要负责人`;
    const action = await this.actions.issue(
      tx,
      {
        problemId: p.id,
        unitCode: p.lead_unit,
        type: 'interview',
        status: 'scheduling',
        title: `约谈：${unitName}（${p.code} ${p.title}）`,
        body: {
          ladderDeadline: String(ctx.variables.ladderDeadline ?? p.deadline),
          problemCode: p.code,
          problemTitle: p.title,
          leadUnit: p.lead_unit,
          leadUnitName: unitName,
          deadline: p.deadline,
          overdueWorkdays: n,
          issuedOn: chinaDate(at.getTime()),
          ...ladderSkipped(ctx.variables),
          target,
          responsibleLeader: leader ? { username: leader.username, name: leader.name } : null,
          text: `${p.code}「${p.title}」超过整改时限（${p.deadline}）${n}个工作日仍未销号，约谈${target}。${skippedText(ctx.variables)}`,
        },
        processInstanceId: ctx.instanceId,
        dedupeKey: `interview:${ctx.instanceId}`,
      },
      at,
    );
    return {
      interviewActionId: action.id,
      interviewDocumentNo: action.document_no,
      interviewTarget: target,
      interviewLeader: leader?.username ?? null,
    };
  }

  /** 约谈通知: the date, place and attendees the office set; the unit is summoned. */
  async scheduled(ctx: HandlerContext): Promise<void> {
    const tx = stepTx(ctx);
    const action = await this.action(ctx);
    const v = ctx.variables;
    const schedule = {
      interviewDate: text(v.interviewDate),
      interviewPlace: text(v.interviewPlace),
      attendees: Array.isArray(v.attendees) ? v.attendees : [],
    };
    await this.actions.update(tx, action.id, { status: 'scheduled', body: schedule });
    const p = caseTarget(await problemOf(ctx, this.problems), ctx.variables);
    await this.notifier.send(
      {
        key: `supervision:${action.id}:summons`,
        kind: 'summons',
        unitCodes: [action.unit_code],
        personIds: [],
        roles: ['office'],
        title: `约谈通知（${action.document_no}）`,
        text: `定于${schedule.interviewDate}在${schedule.interviewPlace}约谈${String(action.body.target ?? `${String(action.body.leadUnitName ?? action.unit_code)}主要负责人`)}，事由：${p.code}「${p.title}」逾期未整改到位。`,
        link: problemLink(p),
      },
      tx,
      p,
    );
  }

  /** The minutes and the unit's commitment: what it will have done, and by when. */
  async committed(ctx: HandlerContext): Promise<void> {
    const action = await this.action(ctx);
    const v = ctx.variables;
    const commitmentDeadline = text(v.commitmentDeadline);
    await this.actions.update(stepTx(ctx), action.id, {
      status: 'committed',
      body: { minutes: text(v.minutes), commitment: text(v.commitment), commitmentDeadline },
      deadline: commitmentDeadline,
    });
  }

  /** Kept or missed; a commitment running out on a problem signed off meanwhile was kept by the sign-off. */
  async closed(ctx: HandlerContext, outcome: 'kept' | 'missed'): Promise<Record<string, unknown>> {
    const action = await this.action(ctx);
    const signedOff = outcome === 'missed' && !isOpen(await problemOf(ctx, this.problems));
    const status = signedOff ? 'kept' : outcome;
    const keptBy = signedOff ? 'signOff' : status === 'kept' ? (text(ctx.variables.keptBy) ?? 'office') : null;
    const body = { outcome: status, closedOn: chinaDate(ctx.now), ...(keptBy ? { keptBy } : {}) };
    await this.actions.update(stepTx(ctx), action.id, { status, body, closedAt: new Date(ctx.now) });
    return { commitmentMissed: status === 'missed' };
  }

  private async action(ctx: HandlerContext): Promise<ActionRow> {
    const a = await this.actions.findByInstance(stepTx(ctx), ctx.instanceId, 'interview');
    if (!a) throw new Error(`${ctx.activityId}: the interview of instance ${ctx.instanceId} has no action record`);
    return a;
  }
}
