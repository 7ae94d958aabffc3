import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ExtensionService } from '../supervision/extension/extension.service.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { Clock } from '../clock/clock.js';
import { DomainException, badRequest } from '../common/domain-exception.js';
import type { AuthUser } from '../auth/auth-user.js';
import { EngineService, type TaskRow } from '../engine/engine.service.js';
import { bulletinTitle } from '../reports/bulletin-view.js';
import type { InboxQueryDto } from './dto/inbox-query.dto.js';
import { FormRegistry } from './forms/form-registry.js';
import { rectificationForms } from './forms/rectification-forms.js';
import { InboxRepository, type InboxFilter } from './inbox.repository.js';
import { supervisedRoot } from '../org/office-scope.js';

const DAY = 86_400_000;

/** The groups a user's tasks are offered to: their unit for a unit account, else their role. */
export function groupsOf(user: AuthUser): string[] {
  if (user.role === 'unit') return user.unitCode ? [user.unitCode] : [];
  if (user.role === 'admin') return ['office', 'admin'];
  return [user.role];
}

export function mayActOn(user: AuthUser, task: Pick<TaskRow, 'assignee' | 'candidate_groups'>): boolean {
  if (user.role === 'admin' || user.role === 'office') return true;
  if (task.assignee) return task.assignee === user.username;
  return task.candidate_groups.some((g) => groupsOf(user).includes(g));
}

@Injectable()
export class InboxService implements OnModuleInit {
  constructor(
    private readonly repo: InboxRepository,
    private readonly engine: EngineService,
    private readonly forms: FormRegistry,
    private readonly clock: Clock,
    private readonly modules: ModuleRef,
    private readonly calendar: CalendarService,
  ) {}

  onModuleInit(): void {
    for (const f of rectificationForms) this.forms.register(f);
  }

  private filter(user: AuthUser, q: InboxQueryDto): InboxFilter {
    const office = user.role === 'office' || user.role === 'admin';
    return {
      username: user.username,
      groups: groupsOf(user),
      allUnits: office,
      unit: office ? q.unit : undefined,
      overdue: q.overdue,
      dueBefore: q.dueWithin !== undefined ? new Date(this.clock.now() + q.dueWithin * DAY) : undefined,
      process: q.process,
      problem: q.problem,
      within: supervisedRoot(user),
      now: this.clock.date(),
    };
  }

  async inbox(user: AuthUser, q: InboxQueryDto) {
    if (q.view === 'done') return this.done(user, q.page ?? 1, q.pageSize ?? 50);
    if (q.view === 'cc') return this.copies(user, q.page ?? 1, q.pageSize ?? 50);
    return this.todo(user, q);
  }

  /** 已办: what this account (a unit account: its unit) completed, with when and what was submitted. */
  async done(user: AuthUser, page: number, pageSize: number) {
    const who = user.role === 'unit' ? { unit: user.unitCode ?? '' } : { username: user.username };
    const rows = await this.repo.done(who, (page - 1) * pageSize, pageSize);
    return {
      view: 'done' as const,
      items: rows.map((r) => ({
        id: r.task_id,
        name: r.activity_name,
        step: r.activity_id,
        process: r.definition_key,
        started: r.started_at,
        completedAt: r.ended_at,
        completedBy: { username: r.assignee, personName: r.person_name, unitCode: r.unit_code, unitName: r.unit_name },
        submitted: submittedView(r.submitted),
        problem: r.problem_id
          ? {
              id: r.problem_id,
              code: r.problem_code,
              title: r.problem_title,
              light: r.light,
              status: r.status,
              leadUnit: r.lead_unit,
              deadline: r.deadline,
            }
          : null,
      })),
      total: rows.length ? Number(rows[0].total) : 0,
      page,
      pageSize,
    };
  }

  /** 抄送: documents copied to the reader, newest first. */
  async copies(user: AuthUser, page: number, pageSize: number) {
    const reader =
      user.role === 'unit'
        ? { unit: user.unitCode ?? '' }
        : user.role === 'leader' || user.role === 'inspector'
          ? ('leaders' as const)
          : null;
    const rows = await this.repo.copies(reader, (page - 1) * pageSize, pageSize);
    return {
      view: 'cc' as const,
      items: rows.map((r) => ({
        kind: r.kind,
        id: r.id,
        type: r.type,
        title: r.kind === 'bulletin' ? bulletinTitle(r.id) : r.title,
        documentNo: r.document_no,
        issuedAt: r.issued_at,
        toUnit: r.to_unit,
        toUnitName: r.to_unit_name,
        docx: r.kind === 'bulletin' ? `/api/bulletins/${r.id}.docx` : `/api/supervision/actions/${r.id}.docx`,
        problem: r.problem_id
          ? { id: r.problem_id, code: r.problem_code, title: r.problem_title, light: r.light }
          : null,
      })),
      total: rows.length ? Number(rows[0].total) : 0,
      page,
      pageSize,
    };
  }

  async todo(user: AuthUser, q: InboxQueryDto) {
    const f = this.filter(user, q);
    const pageSize = q.pageSize ?? 50;
    const page = q.page ?? 1;
    const [{ rows, total }, counts] = await Promise.all([
      this.repo.page(f, q.sort ?? 'due', (page - 1) * pageSize, pageSize),
      this.repo.counts({ ...f, overdue: undefined, dueBefore: undefined }, new Date(this.clock.now() + 3 * DAY)),
    ]);
    const now = this.clock.now();
    return {
      view: 'todo' as const,
      items: rows.map((r) => {
        const due = r.due_at ? new Date(r.due_at).getTime() : null;
        return {
          id: r.id,
          name: r.name,
          step: r.activity_id,
          process: r.definition_key,
          businessKey: r.business_key,
          formKey: r.form_key,
          assignee: r.assignee,
          candidateGroups: r.candidate_groups,
          due: r.due_at,
          dueProvisional: this.calendar.isProvisionalDue(r.due_at, now),
          created: r.created_at,
          overdue: due !== null && due < now,
          daysLeft: due === null ? null : Math.ceil((due - now) / DAY),
          problem: r.problem_id
            ? {
                id: r.problem_id,
                code: r.problem_code,
                title: r.problem_title,
                light: r.light,
                status: r.status,
                leadUnit: r.lead_unit,
                deadline: r.deadline,
              }
            : null,
        };
      }),
      total,
      page,
      pageSize,
      counts,
    };
  }

  async task(user: AuthUser, id: string) {
    const task = await this.engine.getTask(id);
    this.assertMayAct(user, task, 'read');
    const form = this.forms.get(task.form_key);
    const problem = task.business_key ? await this.repo.problemByCode(task.business_key) : null;
    return {
      id: task.id,
      name: task.name,
      step: task.activity_id,
      process: task.definition_key,
      instanceId: task.instance_id,
      assignee: task.assignee,
      candidateGroups: task.candidate_groups,
      due: task.due_at,
      dueProvisional: this.calendar.isProvisionalDue(task.due_at),
      created: task.created_at,
      documentation: task.documentation,
      properties: task.properties,
      input: task.input,
      form: form ? { key: form.key, title: form.title, fields: form.fields } : null,
      problem,
    };
  }

  async claim(user: AuthUser, id: string) {
    const task = await this.engine.getTask(id);
    this.assertMayAct(user, task);
    await this.engine.claim(id, user.username);
    return { id, assignee: user.username };
  }

  async unclaim(user: AuthUser, id: string) {
    const task = await this.engine.getTask(id);
    this.assertMayAct(user, task);
    if (task.assignee && task.assignee !== user.username && user.role !== 'office' && user.role !== 'admin') {
      throw new DomainException('NOT_YOURS', 403, '只有签收该任务的人才能退回');
    }
    await this.engine.setAssignee(id, null);
    return { id, assignee: null };
  }

  async handover(user: AuthUser, id: string, to: string) {
    const task = await this.engine.getTask(id);
    this.assertMayAct(user, task);
    const target = await this.repo.accountOf(to);
    if (!target || target.disabled)
      throw new DomainException('VALIDATION', 422, `to：没有可用的账号 ${to}`, {
        fields: [{ field: 'to', message: '账号不存在或已停用' }],
      });
    if (user.role === 'unit' && target.unit_code !== user.unitCode) {
      throw new DomainException('VALIDATION', 422, 'to：任务只能转交给本单位的同事', {
        fields: [{ field: 'to', message: '不是本单位的同事' }],
      });
    }
    await this.engine.setAssignee(id, to);
    return { id, assignee: to };
  }

  /**
   * 转办: whom the caller can hand this task to. A unit account: the other active accounts of its unit; the
   * office: the accounts of the task's groups (or, for a task with none, of the caller's own role).
   */
  async handoverCandidates(user: AuthUser, id: string) {
    const task = await this.engine.getTask(id);
    // A read: leaders and inspectors, who read every task, see whom it could go to.
    this.assertMayAct(user, task, user.role === 'unit' ? 'act' : 'read');
    const groups =
      user.role === 'unit' ? groupsOf(user) : task.candidate_groups.length ? task.candidate_groups : [user.role];
    const rows = await this.repo.colleagues(groups, user.username);
    return rows.map((r) => ({
      id: r.id,
      username: r.username,
      name: r.person_name ?? r.username,
      personName: r.person_name,
      unitCode: r.unit_code,
      unitName: r.unit_name,
    }));
  }

  async complete(user: AuthUser, id: string, body: unknown) {
    const task = await this.engine.getTask(id).catch(async (err) => {
      if (err instanceof DomainException && err.status === 404 && (await this.repo.wasTask(id))) {
        throw new DomainException('TASK_GONE', 409, `任务 ${id} 已办结`);
      }
      throw err;
    });
    this.assertMayAct(user, task);
    const values = this.forms.validate(task.form_key, body);
    // One 签收: a task offered to the unit is signed for by whoever completes it (the trail names them).
    const claimFor = task.assignee ? undefined : user.username;
    const inst = await this.engine.completeTask(id, { ...values, completedBy: user.username }, task, { claimFor });
    return { id, completed: true, instance: { id: inst.id, status: inst.status } };
  }

  /** 延期申请 from the task at hand: the request goes to the office for its problem. */
  async extension(user: AuthUser, id: string, input: { date: string; reason: string }) {
    const task = await this.engine.getTask(id);
    this.assertMayAct(user, task);
    if (!task.business_key) throw new DomainException('NO_PROBLEM', 422, '该任务不属于任何问题，没有可延期的整改时限');
    const extensions = this.modules.get(ExtensionService, { strict: false });
    return extensions.request(task.business_key, input, user.username);
  }

  assertMayAct(user: AuthUser, task: TaskRow, what: 'act' | 'read' = 'act'): void {
    if (what === 'read' && (user.role === 'leader' || user.role === 'inspector')) return;
    if (!mayActOn(user, task)) throw new DomainException('FORBIDDEN', 403, '这不是您的任务');
  }

  requireUser(user: AuthUser | undefined): AuthUser {
    if (!user) throw badRequest('请先登录');
    return user;
  }
}

/** What was submitted with a step, as the trail shows it (who completed it is the entry's person). */
function submittedView(submitted: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!submitted || typeof submitted !== 'object') return null;
  const shown = Object.fromEntries(Object.entries(submitted).filter(([k]) => k !== 'completedBy'));
  return Object.keys(shown).length ? shown : null;
}
