import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarService } from '../../calendar/calendar.service.js';
import { Clock } from '../../clock/clock.js';
import { DomainException, conflict, notFound } from '../../common/domain-exception.js';
import { DefinitionService, type Queryable } from '../../engine/definition.service.js';
import { isUuid } from '../../engine/engine.service.js';
import { StepService } from '../../engine/step.service.js';
import { ProblemsRepository, type ProblemRow } from '../../problems/problems.repository.js';
import { newAfterCommit } from '../../problems/rectification/step-after-commit.js';
import { chinaDate, isValidDate } from '../../problems/rules/china-date.js';
import { ActionsRepository } from '../actions/actions.repository.js';
import { actionView, type ActionView } from '../actions/action-view.js';
import { isOpen } from '../handler-support.js';
import { SettingsService } from '../settings/settings.service.js';
import { EXTENSION } from './extension.handlers.js';
import { STATUS_LABELS } from '../../problems/problem-status.js';

function invalid(field: string, message: string): DomainException {
  return new DomainException('VALIDATION', 422, `${field}：${message}`, { fields: [{ field, message }] });
}

/**
 * 延期申请: the unit asks for a later deadline; the request is recorded (an `extension` action) and
 * `extension.bpmn` started for the office's review, in one transaction.
 */
@Injectable()
export class ExtensionService {
  constructor(
    private readonly db: DataSource,
    private readonly problems: ProblemsRepository,
    private readonly actions: ActionsRepository,
    private readonly settings: SettingsService,
    private readonly calendar: CalendarService,
    private readonly definitions: DefinitionService,
    private readonly steps: StepService,
    private readonly clock: Clock,
  ) {}

  async request(
    idOrCode: string,
    input: { date: string; reason: string },
    requestedBy: string | null = null,
  ): Promise<ActionView> {
    const found = isUuid(idOrCode) ? await this.problems.findById(idOrCode) : await this.problems.findByCode(idOrCode);
    if (!found) throw notFound('problem', idOrCode);
    const def = await this.definitions.latest(EXTENSION).catch(() => {
      throw new DomainException('NOT_DEPLOYED', 409, `延期流程（${EXTENSION}）尚未部署`);
    });
    const today = chinaDate(this.clock.now());
    const after = newAfterCommit();
    const actionId = await this.db.transaction(async (m) => {
      await m.query(`SELECT 1 FROM problem WHERE id = $1 FOR UPDATE`, [found.id]);
      const p = (await this.problems.findById(found.id, m))!;
      await this.check(p, input.date, today, m);
      const [pending] = await m.query(
        `SELECT document_no FROM supervision_action WHERE problem_id = $1 AND type = 'extension' AND status = 'requested'`,
        [p.id],
      );
      if (pending) throw conflict(`问题 ${p.code} 已有一份延期申请在审核中（${pending.document_no}）`);
      const action = await this.actions.issue(
        m,
        {
          problemId: p.id,
          unitCode: p.lead_unit,
          type: 'extension',
          status: 'requested',
          title: `延期申请：${p.code} ${p.title}`,
          body: {
            problemCode: p.code,
            problemTitle: p.title,
            leadUnit: p.lead_unit,
            before: p.deadline,
            requested: input.date,
            reason: input.reason,
            requestedBy,
            requestedOn: today,
          },
          deadline: input.date,
          dedupeKey: `extension:${randomUUID()}`,
        },
        this.clock.date(),
      );
      const vars = {
        problemId: p.id,
        problemCode: p.code,
        title: p.title,
        leadUnit: p.lead_unit,
        extensionActionId: action.id,
        previousDeadline: p.deadline,
        requestedDeadline: input.date,
        extensionReason: input.reason,
      };
      const inst = await this.steps.start(def, p.code, vars, undefined, { m, after });
      await m.query(`UPDATE supervision_action SET process_instance_id = $2 WHERE id = $1`, [action.id, inst.id]);
      return action.id;
    });
    await this.steps.deliver(after);
    return actionView((await this.actions.find(this.db, actionId))!);
  }

  /** A later date, not in the past, in a year the working-day calendar knows (the ladder counts from it). */
  private async check(p: ProblemRow, date: string, today: string, m: Queryable): Promise<void> {
    if (!isOpen(p))
      throw conflict(
        `问题 ${p.code} 当前状态为“${(STATUS_LABELS as Record<string, string>)[p.status] ?? p.status}”，不能申请延期`,
      );
    if (!isValidDate(date)) throw invalid('date', '应为日期（YYYY-MM-DD）');
    if (date <= p.deadline) throw invalid('date', `应晚于现有整改时限 ${p.deadline}`);
    if (date < today) throw invalid('date', `不能早于今天（${today}）`);
    try {
      this.calendar.addWorkdays(date, -(await this.settings.get(m)).remindBefore);
      this.calendar.addWorkdays(date, 0);
    } catch (e) {
      throw invalid('date', (e as Error).message);
    }
  }
}
