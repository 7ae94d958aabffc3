import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CalendarService } from '../../calendar/calendar.service.js';
import { DefinitionService, type Queryable } from '../../engine/definition.service.js';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { lateSince } from '../../problems/rules/problem-rules.js';
import { stepTx } from '../handler-support.js';
import { SupervisionNotifier } from '../notifier.js';

/** The groups of the office's own tasks: when they are late, the leaders are told. */
export const OFFICE_GROUP = 'office';
export const LEADER_ROLE = 'leader';

interface ChasedTask {
  id: string;
  name: string | null;
  assignee: string | null;
  candidate_groups: string[];
  due_at: Date | null;
}

interface ProblemRef {
  id: string;
  code: string;
  title: string;
}

type ContextApi = {
  getInboundSequenceFlows?(id: string): { sourceId: string }[];
  getActivityById?(id: string): { behaviour?: { attachedTo?: { id?: string } } } | undefined;
};

/**
 * 催办 (`chaseOverdueTask`): the service task after a task's non-interrupting timer `overdue(due, every, times)`.
 * Tells the task's assignee (its units and their persons, its person, its role's channels) that it is late, and,
 * for the office's own tasks, the leaders too (once per task: the leaders' overdue list shows the rest).
 * Written in the step's outbox, so a chase is sent exactly once per firing, whichever node fires it.
 */
@Injectable()
export class OverdueChaseHandlers implements OnModuleInit {
  private readonly logger = new Logger('supervision');

  constructor(
    private readonly registry: HandlerRegistry,
    private readonly definitions: DefinitionService,
    private readonly calendar: CalendarService,
    private readonly notifier: SupervisionNotifier,
  ) {}

  onModuleInit(): void {
    this.registry.register('chaseOverdueTask', (ctx) => this.chase(ctx));
  }

  async chase(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const activityId = await this.chasedActivity(ctx, tx);
    const tasks: ChasedTask[] = await tx.query(
      `SELECT id, name, assignee, candidate_groups, due_at FROM engine_task
        WHERE instance_id = $1 AND activity_id = $2 AND due_at IS NOT NULL AND due_at <= $3 ORDER BY created_at, id`,
      [ctx.instanceId, activityId, new Date(ctx.now)],
    );
    const problem = await this.problemOf(ctx, tx);
    const today = chinaDate(ctx.now);
    const isWorkday = (d: string) => this.calendar.current.isWorkday(d);
    for (const t of tasks) {
      // A due time is the end of its day (00:00 of the next, China time): the day it closes is the one before.
      const dueOn = chinaDate(new Date(t.due_at!).getTime() - 1);
      const late = lateSince(dueOn, today, isWorkday);
      const name = t.name ?? '待办任务';
      const lines = [
        problem ? `问题：${problem.code} ${problem.title}` : null,
        `任务：${name}`,
        `期限：${dueOn}，已${late.text ?? '逾期'}，请尽快办理。`,
      ];
      const link = problem ? `/problems/${encodeURIComponent(problem.code)}` : null;
      const groups = t.candidate_groups ?? [];
      await this.notifier.send(
        {
          key: `chase:${t.id}:${today}`,
          kind: 'reminder',
          unitCodes: groups,
          roles: groups,
          personIds: t.assignee ? [t.assignee] : [],
          title: `催办：${name}已逾期${problem ? `（${problem.code}）` : ''}`,
          text: lines.filter(Boolean).join('\n'),
          link,
        },
        tx,
      );
      if (groups.includes(OFFICE_GROUP))
        await this.notifier.send(
          {
            key: `chase-leader:${t.id}`,
            kind: 'reminder',
            unitCodes: [],
            roles: [LEADER_ROLE],
            personIds: [],
            title: `督办办公室事项逾期：${name}${problem ? `（${problem.code}）` : ''}`,
            text: [...lines.slice(0, 2), `期限：${dueOn}，督办办公室已${late.text ?? '逾期'}尚未办理。`]
              .filter(Boolean)
              .join('\n'),
            link,
          },
          tx,
        );
    }
    if (!tasks.length) this.logger.warn(`催办 ${ctx.activityId}：实例 ${ctx.instanceId} 没有逾期的 ${activityId} 任务`);
    return {};
  }

  /** The task the chase hangs on: its service task's incoming flow comes from the boundary event on it. */
  private async chasedActivity(ctx: HandlerContext, tx: Queryable): Promise<string> {
    const [inst]: { definition_id: string }[] = await tx.query(
      `SELECT definition_id FROM engine_instance WHERE id = $1`,
      [ctx.instanceId],
    );
    const api = (inst ? await this.definitions.context(inst.definition_id, tx) : null) as ContextApi | null;
    for (const flow of api?.getInboundSequenceFlows?.(ctx.activityId) ?? []) {
      const attached = api?.getActivityById?.(flow.sourceId)?.behaviour?.attachedTo?.id;
      if (attached) return attached;
    }
    throw new Error(`催办 ${ctx.activityId}：其入口不是挂在任务上的逾期定时事件，无法确定催办哪个任务`);
  }

  private async problemOf(ctx: HandlerContext, tx: Queryable): Promise<ProblemRef | null> {
    const id = ctx.variables.problemId;
    const rows: ProblemRef[] =
      typeof id === 'string'
        ? await tx.query(`SELECT id, code, title FROM problem WHERE id::text = $1`, [id])
        : ctx.businessKey
          ? await tx.query(`SELECT id, code, title FROM problem WHERE code = $1`, [ctx.businessKey])
          : [];
    return rows[0] ?? null;
  }
}
