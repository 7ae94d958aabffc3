import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { ProblemsRepository } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository } from '../actions/actions.repository.js';
import { issuedAt, ladderSkipped, problemOf, settingsOf, skippedText, stepTx, text } from '../handler-support.js';
import { caseTarget } from '../ladder/part-target.js';

export const INSPECTION = 'inspection';
export const ACCOUNTABILITY = 'accountability';

/** 追责 measures, lightest first (the seed: 通报、约谈; 严格责任追究). */
export const MEASURES = ['约谈提醒', '通报批评', '诫勉', '党纪政务处分'] as const;

export interface AccountablePerson {
  name: string;
  unitCode?: string;
  personId?: string;
}

/**
 * The service tasks of `inspection.bpmn` (专项督察 / 暗查暗访: its action opened, then the findings) and of
 * `accountability.bpmn` (追责: the decision recorded against the unit and each person).
 */
@Injectable()
export class InspectionHandlers implements OnModuleInit {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly problems: ProblemsRepository,
    private readonly actions: ActionsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register('openInspection', (ctx) => this.openInspection(ctx));
    this.registry.register('inspectionFindings', (ctx) => this.findings(ctx));
    this.registry.register('recordAccountability', (ctx) => this.recordAccountability(ctx));
  }

  async openInspection(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const p = caseTarget(await problemOf(ctx, this.problems), ctx.variables);
    const unitName = await this.actions.unitName(tx, p.lead_unit);
    const mode = text(ctx.variables.inspectionMode) ?? '专项督察';
    const missed = ctx.variables.commitmentMissed === true;
    const reason = missed
      ? '约谈整改承诺未兑现'
      : `超过整改时限${settingsOf(ctx.variables).inspectionAfter}个工作日仍未销号`;
    const action = await this.actions.issue(
      tx,
      {
        problemId: p.id,
        unitCode: p.lead_unit,
        type: 'inspection',
        status: 'open',
        title: `${mode}：${unitName}（${p.code} ${p.title}）`,
        body: {
          ladderDeadline: String(ctx.variables.ladderDeadline ?? p.deadline),
          problemCode: p.code,
          problemTitle: p.title,
          leadUnit: p.lead_unit,
          leadUnitName: unitName,
          deadline: p.deadline,
          mode,
          reason,
          issuedOn: chinaDate(issuedAt(ctx).getTime()),
          ...ladderSkipped(ctx.variables),
          text: `${p.code}「${p.title}」${reason}，开展${mode}。${skippedText(ctx.variables)}`,
        },
        processInstanceId: ctx.instanceId,
        dedupeKey: `inspection:${ctx.instanceId}`,
      },
      issuedAt(ctx),
    );
    return { inspectionActionId: action.id, inspectionMode: mode };
  }

  async findings(ctx: HandlerContext): Promise<void> {
    const tx = stepTx(ctx);
    const a = await this.actions.findByInstance(tx, ctx.instanceId, 'inspection');
    if (!a) throw new Error(`${ctx.activityId}: the inspection of instance ${ctx.instanceId} has no action record`);
    const accountable = ctx.variables.accountable === true;
    await this.actions.update(tx, a.id, {
      status: accountable ? 'referred' : 'closed',
      body: { findings: text(ctx.variables.findings), accountable, inspectedOn: chinaDate(ctx.now) },
      closedAt: new Date(ctx.now),
    });
  }

  /** The decision: one `accountability` action, and one register row per person (or the unit alone). */
  async recordAccountability(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const key = `accountability:${ctx.instanceId}`;
    const done = await this.actions.findByDedupe(tx, key);
    if (done && done.status !== 'open') return { accountabilityActionId: done.id };
    const p = caseTarget(await problemOf(ctx, this.problems), ctx.variables);
    const v = ctx.variables;
    const measure = String(v.measure);
    const persons = personsOf(v.persons);
    const reason =
      text(v.accountabilityReason) ??
      (v.commitmentMissed === true ? '约谈整改承诺未兑现，专项督察认定需追责' : '专项督察认定需追责');
    const unitName = await this.actions.unitName(tx, p.lead_unit);
    const at = new Date(ctx.now);
    const decision = {
      problemCode: p.code,
      problemTitle: p.title,
      leadUnit: p.lead_unit,
      leadUnitName: unitName,
      measure,
      persons,
      reason,
      trigger: text(v.accountabilityTrigger) ?? 'inspection',
      investigation: text(v.investigation),
      decidedOn: chinaDate(ctx.now),
      text: `${p.code}「${p.title}」${reason}，决定给予${persons.length ? persons.map((x) => x.name).join('、') : unitName}${measure}。`,
    };
    // A case the ladder opened (追责 rung) is on record already: decided now.
    if (done) await this.actions.update(tx, done.id, { status: 'decided', body: decision, closedAt: at });
    const action =
      done ??
      (await this.actions.issue(
        tx,
        {
          problemId: p.id,
          unitCode: p.lead_unit,
          type: 'accountability',
          status: 'decided',
          title: `追责：${unitName}（${p.code} ${p.title}）${measure}`,
          body: decision,
          processInstanceId: ctx.instanceId,
          dedupeKey: key,
          closedAt: at,
        },
        at,
      ));
    const targets = persons.length ? persons : [{ name: '', unitCode: p.lead_unit }];
    for (const person of targets) {
      const unitCode = person.unitCode ?? p.lead_unit;
      const personId = person.personId ?? (await this.actions.personId(tx, unitCode, person.name || null));
      await this.actions.insertRecord(tx, {
        problemId: p.id,
        unitCode,
        personId,
        personName: person.name || null,
        measure,
        reason,
        decidedAt: at,
        actionId: action.id,
        processInstanceId: ctx.instanceId,
      });
    }
    return { accountabilityActionId: action.id };
  }
}

/** `persons` as the decision form sends it: names, or `{name, unitCode?, personId?}`. */
export function personsOf(v: unknown): AccountablePerson[] {
  if (!Array.isArray(v)) return [];
  return v
    .map((x) =>
      typeof x === 'string' ? { name: x.trim() } : x && typeof x === 'object' ? (x as AccountablePerson) : null,
    )
    .filter((x): x is AccountablePerson => Boolean(x && typeof x.name === 'string' && x.name.trim()))
    .map((x) => ({
      name: x.name.trim(),
      ...(x.unitCode ? { unitCode: String(x.unitCode) } : {}),
      ...(x.personId ? { personId: String(x.personId) } : {}),
    }));
}
