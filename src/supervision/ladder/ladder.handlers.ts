import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '../../calendar/calendar.service.js';
import { DefinitionService, type Queryable } from '../../engine/definition.service.js';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { StepService } from '../../engine/step.service.js';
import type { Light } from '../../problems/problem-status.js';
import { ProblemsRepository, type ProblemRow } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository, type ActionType } from '../actions/actions.repository.js';
import { isOpen, problemLink, problemOf, settingsOf, stepTx } from '../handler-support.js';
import { SupervisionNotifier, type SupervisionNotice } from '../notifier.js';
import { INSPECTION_PROCESS, INTERVIEW_PROCESS, ACCOUNTABILITY_PROCESS } from './ladder-processes.js';
import { LadderModel, type RungElement } from './ladder-model.js';
import {
  officeTime,
  officeWeekBefore,
  skippedSentence,
  workdaysLate,
  workdaysLeft,
  type SkippedRung,
} from './ladder-rules.js';
import { raiseLight } from './lights.js';
import { asPart, partTargetOf, type PartTarget } from './part-target.js';

export { LADDER } from './ladder-processes.js';

/** What a rung knows when it acts: the problem, the rungs it stands for, its own element. */
interface RungContext {
  ctx: HandlerContext;
  tx: Queryable;
  p: ProblemRow;
  /** The deadline this ladder runs for (an extension starts it over with the new one). */
  deadline: string;
  element: RungElement;
  skipped: SkippedRung[];
  /** When the document is issued and dated: a working day, from 09:00. */
  issuedAt: Date;
  today: string;
  unitName: string;
  /** A co-unit's part (its own ladder): the rung addresses the co-unit, against the part's deadline. */
  part: PartTarget | null;
}

interface DocumentSpec {
  type: ActionType;
  light: Light | null;
  notify: SupervisionNotice['kind'];
  title(r: RungContext): string;
  body(r: RungContext): Record<string, unknown>;
  /** The date the addressee must act by. */
  deadline(r: RungContext): string | null;
  /** Document number prefix, for the generic document (督办〔2017〕1号 for a notice). */
  prefix?(r: RungContext): string | null;
}

/**
 * The rungs of `escalation-ladder.bpmn`. Each rung is an element of the diagram with its timer drawn before
 * it; the handlers here only act: issue the document (提醒, 督办单, 通报, or any kind a rung names), open the
 * interview, the inspection or the accountability case beside the ladder. Before acting, a rung looks at the
 * next rung's timer in the BPMN: already due (the problem reached the ladder late) means this rung is passed
 * over and the highest rung reached acts once, naming the rungs it stands for.
 */
@Injectable()
export class LadderHandlers implements OnModuleInit {
  private readonly logger = new Logger('supervision');

  constructor(
    private readonly registry: HandlerRegistry,
    private readonly calendar: CalendarService,
    private readonly model: LadderModel,
    private readonly problems: ProblemsRepository,
    private readonly actions: ActionsRepository,
    private readonly notifier: SupervisionNotifier,
    private readonly steps: StepService,
    private readonly definitions: DefinitionService,
  ) {}

  onModuleInit(): void {
    this.registry.register('issueReminder', (ctx) => this.rung(ctx, (r) => this.document(r, this.reminder)));
    this.registry.register('issueNotice', (ctx) => this.rung(ctx, (r) => this.document(r, this.notice)));
    this.registry.register('issueBulletin', (ctx) => this.rung(ctx, (r) => this.document(r, this.bulletin)));
    this.registry.register('issueDocument', (ctx) => this.rung(ctx, (r) => this.document(r, this.generic)));
    this.registry.register('openInterviewCase', (ctx) => this.rung(ctx, (r) => this.openCase(r, INTERVIEW_PROCESS)));
    this.registry.register('openInspectionCase', (ctx) => this.rung(ctx, (r) => this.openCase(r, INSPECTION_PROCESS)));
    this.registry.register('openAccountabilityCase', (ctx) =>
      this.rung(ctx, (r) => this.openCase(r, ACCOUNTABILITY_PROCESS)),
    );
    this.registry.register('openReboundAccountability', (ctx) => this.reboundAccountability(ctx));
  }

  /** 反弹必追责 (rectification.bpmn, after 回头看 found a rebound): accountability against the old round, once. */
  async reboundAccountability(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const m = tx as unknown as EntityManager;
    const code = ctx.businessKey;
    const p = code ? await this.problems.findByCode(code, m) : null;
    if (!p) throw new Error(`${ctx.activityId}: problem ${String(code)} not found`);
    const [started] = await tx.query(
      `SELECT id FROM engine_instance WHERE definition_key = $1 AND business_key = $2 AND variables->>'accountabilityTrigger' = 'rebound' LIMIT 1`,
      [ACCOUNTABILITY_PROCESS, p.code],
    );
    if (started) return { reboundAccountabilityId: started.id };
    const [deployed] = await tx.query(`SELECT 1 FROM engine_definition WHERE key = $1 LIMIT 1`, [
      ACCOUNTABILITY_PROCESS,
    ]);
    if (!deployed) {
      this.logger.warn(`${p.code}：回头看发现反弹，但追责流程（${ACCOUNTABILITY_PROCESS}.bpmn）未部署，未能启动追责`);
      return { reboundAccountabilityId: null };
    }
    const variables = {
      problemId: p.id,
      problemCode: p.code,
      title: p.title,
      leadUnit: p.lead_unit,
      accountabilityTrigger: 'rebound',
      accountabilityReason: '回头看发现问题反弹',
      reboundFindings: ctx.variables.findings ?? null,
    };
    const child = await this.steps.start(
      await this.definitions.latest(ACCOUNTABILITY_PROCESS, m),
      p.code,
      variables,
      undefined,
      m,
    );
    return { reboundAccountabilityId: child.id };
  }

  private readonly isWorkday = (date: string): boolean => this.calendar.current.isWorkday(date);

  private readonly reminder: DocumentSpec = {
    type: 'reminder',
    light: 'blue',
    notify: 'reminder',
    title: ({ p }) => `整改期限提醒：${p.code} ${p.title}`,
    body: ({ p, today }) => {
      const left = workdaysLeft(today, p.deadline, this.isWorkday);
      return {
        workdaysLeft: left,
        text: `该问题整改时限为${p.deadline}，距期限还有${left}个工作日，请抓紧推进整改，按期申请销号。`,
      };
    },
    deadline: ({ p }) => p.deadline,
  };

  private readonly notice: DocumentSpec = {
    type: 'notice',
    light: 'red',
    notify: 'notice',
    title: ({ p }) => `督办单：${p.code} ${p.title}`,
    body: (r) => {
      const n = settingsOf(r.ctx.variables).noticeReplyDays;
      const replyBy = this.calendar.addWorkdays(r.today, n);
      return {
        overdueSince: r.p.deadline,
        replyDays: n,
        replyBy,
        text: `该问题已超过整改时限（${r.p.deadline}）未销号，请于${replyBy}前（${n}个工作日内）书面报告整改进展、逾期原因和下一步措施。`,
      };
    },
    deadline: (r) => this.calendar.addWorkdays(r.today, settingsOf(r.ctx.variables).noticeReplyDays),
  };

  private readonly bulletin: DocumentSpec = {
    type: 'bulletin',
    light: 'red',
    notify: 'bulletin',
    title: ({ p, unitName }) => `通报：${unitName}整改逾期（${p.code}）`,
    body: ({ p, today }) => {
      const n = workdaysLate(p.deadline, today, this.isWorkday);
      return {
        overdueWorkdays: n,
        month: today.slice(0, 7),
        text: `${p.code}「${p.title}」超过整改时限（${p.deadline}）${n}个工作日仍未销号，予以通报。`,
      };
    },
    deadline: () => null,
  };

  /** Any kind of document a rung names: `camunda:properties` kind (挂牌督办), prefix (挂牌), light. */
  private readonly generic: DocumentSpec = {
    type: 'document',
    light: 'red',
    notify: 'notice',
    title: ({ p, element }) => `${kindOf(element)}：${p.code} ${p.title}`,
    body: ({ p, today, element, unitName }) => {
      const n = workdaysLate(p.deadline, today, this.isWorkday);
      return {
        kind: kindOf(element),
        overdueWorkdays: n,
        text: `${p.code}「${p.title}」超过整改时限（${p.deadline}）${n}个工作日仍未销号，对${unitName}${kindOf(element)}。`,
      };
    },
    deadline: () => null,
    prefix: ({ element }) => element.properties.prefix?.trim() || kindOf(element),
  };

  /** The gate every rung passes: still open, same deadline, not passed over by a later rung already due. */
  private async rung(
    ctx: HandlerContext,
    act: (r: RungContext) => Promise<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const problem = await problemOf(ctx, this.problems);
    const part = await partTargetOf(ctx, tx);
    // A part's ladder acts while the part is open and the problem too, against the part's deadline.
    if (part && part.status !== 'open') return { lastAction: null };
    const p = part ? asPart(problem, part) : problem;
    const deadline = String(ctx.variables.deadline ?? p.deadline);
    if (!isOpen(p) || p.deadline !== deadline) return { lastAction: null };
    const element = await this.model.element(ctx, tx);
    const skipped = Array.isArray(ctx.variables.skippedRungs) ? (ctx.variables.skippedRungs as SkippedRung[]) : [];
    const next = await this.model.nextRungDue(ctx, tx);
    if (next && next.dueAt <= ctx.now) {
      const passed = [...skipped, { rung: element.name, dueAt: new Date(ctx.now).toISOString() }];
      this.logger.log(`${p.code}: ${element.name} passed over, ${next.name} is already due`);
      return { skippedRungs: passed };
    }
    const issuedAt = new Date(officeTime(ctx.now, this.isWorkday));
    const r: RungContext = {
      ctx,
      tx,
      p,
      deadline,
      element,
      skipped,
      issuedAt,
      today: chinaDate(issuedAt.getTime()),
      unitName: await this.actions.unitName(tx, p.lead_unit),
      part,
    };
    return { ...(await act(r)), skippedRungs: [] };
  }

  private common(r: RungContext): Record<string, unknown> {
    const { p } = r;
    return {
      ladderDeadline: r.deadline,
      rung: r.element.name,
      problemCode: p.code,
      problemTitle: p.title,
      category: p.category,
      leadUnit: p.lead_unit,
      leadUnitName: r.unitName,
      responsiblePerson: p.responsible_person,
      deadline: p.deadline,
      issuedOn: r.today,
      ...(r.skipped.length ? { skipped: r.skipped.map((s) => s.rung), skippedReason: skippedSentence(r.skipped) } : {}),
      ...(r.part ? { partId: r.part.id, partMeasures: r.part.measures, partDeadline: r.part.deadline } : {}),
    };
  }

  /** A document of the rung, once per problem and deadline: recorded, numbered, its light raised, sent. */
  private async document(r: RungContext, spec: DocumentSpec): Promise<Record<string, unknown>> {
    const { p, tx, ctx } = r;
    const personId = await this.actions.personId(tx, p.lead_unit, p.responsible_person);
    const own = spec.body(r);
    // A 督办单 within a working week (5 working days) of the monthly one for this problem cites it (one matter, not two).
    const earlier =
      spec.type === 'notice'
        ? await this.actions.recentNotice(
            tx,
            p.id,
            officeWeekBefore(r.today, (f, n) => this.calendar.addWorkdays(f, n)),
          )
        : null;
    if (earlier) own.cites = earlier.documentNo;
    const cites = earlier
      ? `该问题已于${chinaDate(earlier.issuedAt.getTime())}以${earlier.documentNo}督办，请一并答复。`
      : '';
    const text = `${String(own.text ?? '')}${cites}${r.skipped.length ? skippedSentence(r.skipped) : ''}`;
    const action = await this.actions.issue(
      tx,
      {
        problemId: p.id,
        unitCode: p.lead_unit,
        personId: spec.type === 'reminder' ? personId : null,
        type: spec.type,
        status: 'issued',
        title: spec.title(r),
        body: { ...this.common(r), ...own, text },
        deadline: spec.deadline(r),
        processInstanceId: ctx.instanceId,
        dedupeKey: `${spec.type === 'document' ? `document:${r.element.id}` : spec.type}:${p.id}:${r.part ? `${r.part.unit}:` : ''}${r.deadline}`,
        documentPrefix: spec.prefix?.(r) ?? undefined,
      },
      r.issuedAt,
    );
    // The ledger's light is the lead's: a part's lateness shows on the part and its documents.
    const light = r.part ? null : spec.type === 'document' ? lightOf(r.element) : spec.light;
    if (light) await raiseLight(tx, p.id, light);
    await this.notifier.send(
      {
        key: `supervision:${action.id}`,
        kind: spec.notify,
        unitCodes: [p.lead_unit],
        personIds: personId ? [personId] : [],
        roles: spec.type === 'reminder' ? [] : ['office'],
        title: action.document_no ? `${action.title}（${action.document_no}）` : action.title,
        text,
        link: problemLink(p),
      },
      tx,
      p,
    );
    return { lastAction: { type: spec.type, id: action.id, documentNo: action.document_no } };
  }

  /**
   * The interview, the inspection or the accountability case, started as a process of its own beside the
   * ladder (the ladder goes on to its next rung whatever happens there); once per problem and deadline.
   */
  private async openCase(r: RungContext, key: string): Promise<Record<string, unknown>> {
    const { p, tx, ctx } = r;
    const m = tx as unknown as EntityManager;
    const [running] = await tx.query(
      `SELECT id FROM engine_instance WHERE definition_key = $1 AND business_key = $2 AND (variables->>'ladderDeadline' = $3 OR ($1 = $4 AND coalesce(variables->>'accountabilityTrigger', '') <> 'rebound'))
         AND coalesce(variables->>'targetUnit', '') = $5
       ORDER BY started_at LIMIT 1`,
      [key, p.code, r.deadline, ACCOUNTABILITY_PROCESS, r.part?.unit ?? ''],
    );
    if (running) return { lastAction: { type: key, instanceId: running.id, already: true } };
    const s = settingsOf(ctx.variables);
    const vars: Record<string, unknown> = {
      problemId: p.id,
      problemCode: p.code,
      title: p.title,
      leadUnit: p.lead_unit,
      deadline: p.deadline,
      ladderDeadline: r.deadline,
      ...s,
      commitmentMissed: ctx.variables.commitmentMissed === true,
      ladderSkipped: r.skipped.map((x) => x.rung),
      ladderIssuedAt: r.issuedAt.toISOString(),
      ...(r.part ? { targetUnit: r.part.unit, partId: r.part.id } : {}),
    };
    if (key === ACCOUNTABILITY_PROCESS) {
      Object.assign(vars, {
        accountabilityTrigger: 'ladder',
        accountabilityReason: `超过整改时限${workdaysLate(p.deadline, r.today, this.isWorkday)}个工作日仍未销号`,
      });
    }
    const child = await this.steps.start(await this.definitions.latest(key, m), p.code, vars, undefined, m);
    if (key === ACCOUNTABILITY_PROCESS)
      await this.openAccountabilityAction(r, child.id, String(vars.accountabilityReason));
    return { lastAction: { type: key, instanceId: child.id } };
  }

  /** 追责 opened by the ladder: its case on record (问责〔年〕号) from the start, decided later. */
  private async openAccountabilityAction(r: RungContext, instanceId: string, reason: string): Promise<void> {
    const { p, tx } = r;
    const text = `${p.code}「${p.title}」${reason}，启动追责问责，调查核实责任。${skippedSentence(r.skipped)}`;
    const action = await this.actions.issue(
      tx,
      {
        problemId: p.id,
        unitCode: p.lead_unit,
        type: 'accountability',
        status: 'open',
        title: `追责：${r.unitName}（${p.code} ${p.title}）`,
        body: { ...this.common(r), reason, trigger: 'ladder', text },
        processInstanceId: instanceId,
        dedupeKey: `accountability:${instanceId}`,
      },
      r.issuedAt,
    );
    if (!r.part) await raiseLight(tx, p.id, 'red');
    await this.notifier.send(
      {
        key: `supervision:${action.id}`,
        kind: 'notice',
        unitCodes: [p.lead_unit],
        personIds: [],
        roles: ['office'],
        title: `${action.title}（${action.document_no}）`,
        text,
        link: problemLink(p),
      },
      tx,
      p,
    );
  }
}

function kindOf(e: RungElement): string {
  return e.properties.kind?.trim() || e.name;
}

function lightOf(e: RungElement): Light | null {
  const l = e.properties.light?.trim();
  return l === 'blue' || l === 'yellow' || l === 'red' ? l : l === 'none' ? null : 'red';
}
