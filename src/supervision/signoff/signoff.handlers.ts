import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CalendarService } from '../../calendar/calendar.service.js';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { ProblemsRepository } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { problemOf, stepTx } from '../handler-support.js';
import { SettingsService } from '../settings/settings.service.js';
import { SignoffRepository } from './signoff.repository.js';

/**
 * The service tasks of `signoff.bpmn`: 公示 opens the public notice for the working days the settings give
 * (noticeDays), 退回整改 closes it and sends the problem back, 备案 files the sign-off with the level the
 * problem came from. Their rows are written in the step's transaction; a re-run finds them written.
 */
@Injectable()
export class SignoffHandlers implements OnModuleInit {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly problems: ProblemsRepository,
    private readonly settings: SettingsService,
    private readonly calendar: CalendarService,
    private readonly repo: SignoffRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register('openNotice', (ctx) => this.openNotice(ctx));
    this.registry.register('returnToRectification', (ctx) => this.returnToRectification(ctx));
    this.registry.register('fileUpward', (ctx) => this.fileUpward(ctx));
  }

  /** 公示: on the public page from today for `noticeDays` working days; the timer waits to the end of the last. */
  async openNotice(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const p = await problemOf(ctx, this.problems);
    const { noticeDays } = await this.settings.get(tx);
    const today = chinaDate(ctx.now);
    const notice = await this.repo.openNotice(
      {
        problemId: p.id,
        instanceId: ctx.instanceId,
        days: noticeDays,
        startedAt: new Date(ctx.now),
        endsOn: this.calendar.addWorkdays(today, noticeDays),
      },
      tx,
    );
    return {
      noticeDays: notice.notice_days,
      noticeStartedOn: chinaDate(new Date(notice.started_at).getTime()),
      noticeEndsOn: notice.ends_on,
      // 备案 when the problem came down from a higher level (read now: the office may have set it meanwhile).
      fileUpward: p.source_level !== null,
      fileUpwardTo: p.source_level,
      signoffReturned: false,
    };
  }

  /** 退回整改: the rectification process continues with 整改落实（验收退回）. */
  async returnToRectification(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const outcome = ctx.variables.objectionUpheld === true ? 'objected' : 'returned';
    await this.repo.closeNotice(ctx.instanceId, outcome, new Date(ctx.now), stepTx(ctx));
    return { signoffReturned: true, returnedOn: chinaDate(ctx.now) };
  }

  /** 备案: the sign-off is filed with the level the problem came from. */
  async fileUpward(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const p = await problemOf(ctx, this.problems);
    const toLevel = p.source_level ?? String(ctx.variables.fileUpwardTo ?? '');
    if (toLevel)
      await this.repo.file({ problemId: p.id, instanceId: ctx.instanceId, toLevel, at: new Date(ctx.now) }, tx);
    return { filedOn: chinaDate(ctx.now), filedTo: toLevel };
  }
}
