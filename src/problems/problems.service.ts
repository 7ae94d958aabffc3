import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { IncidentsService } from '../incidents/incidents.service.js';
import { Clock } from '../clock/clock.js';
import { DomainException, notFound } from '../common/domain-exception.js';
import { EngineService, isUuid } from '../engine/engine.service.js';
import type { ListProblemsQuery } from './dto/list-problems.query.js';
import { ProblemDetailsRepository } from './problem-details.repository.js';
import { problemView, type ProblemView } from './problem-view.js';
import { STATUS_LABELS } from './problem-status.js';
import { PartsRepository } from './parts/parts.repository.js';
import { ProblemsRepository, type ProblemRow } from './problems.repository.js';
import { chinaDate, isValidDate } from './rules/china-date.js';
import { ProblemTrail } from './trail/problem-trail.js';
import { OrgService } from '../org/org.service.js';

/** Reading the ledger: lists with filters, and one problem with its tasks, plan, progress and process. */
@Injectable()
export class ProblemsService {
  constructor(
    private readonly problems: ProblemsRepository,
    private readonly details: ProblemDetailsRepository,
    private readonly engine: EngineService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly trail: ProblemTrail,
    private readonly calendar: CalendarService,
    private readonly incidents: IncidentsService,
    private readonly org: OrgService,
    private readonly parts: PartsRepository,
  ) {}

  /** Working days by the calendar service: lateness is counted in them. */
  private readonly isWorkday = (date: string): boolean => this.calendar.current.isWorkday(date);

  async list(f: ListProblemsQuery): Promise<{ items: ProblemView[]; total: number; page: number; pageSize: number }> {
    if (f.dueBefore && !isValidDate(f.dueBefore)) {
      throw new DomainException('VALIDATION', 422, 'dueBefore：不是有效日期', {
        fields: [{ field: 'dueBefore', message: '不是有效日期' }],
      });
    }
    const now = this.clock.now();
    const { rows, total } = await this.problems.list({
      status: f.status,
      light: f.light,
      unit: f.unit,
      units: f.within ? await this.org.subtreeCodes(f.within) : undefined,
      category: f.category,
      leader: f.leader?.trim() || undefined,
      overdueOn: f.overdue ? chinaDate(now) : undefined,
      dueBefore: f.dueBefore,
      q: f.q?.trim() || undefined,
      limit: f.pageSize,
      offset: (f.page - 1) * f.pageSize,
    });
    return { items: rows.map((r) => problemView(r, now, this.isWorkday)), total, page: f.page, pageSize: f.pageSize };
  }

  /** By id, or by code (the business key the office writes on paper). */
  async get(idOrCode: string) {
    const p = await this.find(idOrCode);
    const [children, parent, filings, tasks, milestones, progress, next, timeline, incidents, parts] =
      await Promise.all([
        this.problems.children(p.id),
        p.parent_problem_id ? this.problems.findById(p.parent_problem_id) : null,
        this.problems.filings(p.id),
        this.details.openTasks(p.code),
        this.details.milestones(p.id),
        this.details.progress(p.id),
        this.problems.findNextRound(p.id),
        this.audit.timelineOfProblem(p.id),
        this.incidents.ofProblem(p.code),
        this.parts.ofProblem(p.id),
      ]);
    const instance = p.process_instance_id
      ? await this.engine.getInstance(p.process_instance_id).catch(() => null)
      : null;
    return {
      ...problemView(p, this.clock.now(), this.isWorkday),
      // The deadline lies in a year without the announced arrangement: the rungs' working days are provisional.
      deadlineProvisional: this.calendar.isProvisionalDate(p.deadline),
      // A failed step stopped one of its processes: no reminder, notice or rung follows until it is retried.
      escalation: {
        stopped: incidents.length > 0,
        incidents: incidents.map((x) => ({
          id: x.id,
          process: x.process.name ?? x.process.key,
          element: x.element.name ?? x.element.id,
          reason: x.reason,
          createdAt: x.createdAt,
        })),
      },
      nextRoundId: next?.id ?? null,
      parent: parent ? { id: parent.id, code: parent.code, title: parent.title, leadUnit: parent.lead_unit } : null,
      // 拆分下达: the problems split from this one, each with its own status; their sign-offs filed up (备案).
      children: children.map((c) => ({
        id: c.id,
        code: c.code,
        title: c.title,
        leadUnit: c.lead_unit,
        deadline: c.deadline,
        status: c.status,
        statusLabel: STATUS_LABELS[c.status] ?? c.status,
        light: c.light,
        signedOffAt: c.signed_off_at,
      })),
      filings: filings.map((f) => ({
        id: f.id,
        problemId: f.problem_id,
        code: f.code,
        title: f.title,
        unitCode: f.unit_code,
        signedOffAt: f.signed_off_at,
        filedAt: f.filed_at,
      })),
      // 配合单位分工: each co-unit's part, its own deadline, and whether (and when) it was done.
      parts: parts.map((x) => ({
        id: x.id,
        unit: x.unit_code,
        measures: x.measures,
        deadline: x.deadline,
        milestones: x.milestones,
        status: x.status,
        report: x.report,
        startedAt: x.started_at,
        doneAt: x.done_at,
      })),
      tasks: tasks.map((t) => ({
        id: t.id,
        activityId: t.activity_id,
        name: t.name,
        assignee: t.assignee,
        candidateGroups: t.candidate_groups,
        formKey: t.form_key,
        dueAt: t.due_at,
        dueProvisional: this.calendar.isProvisionalDue(t.due_at),
        createdAt: t.created_at,
      })),
      milestones: milestones.map((m) => ({
        id: m.id,
        seq: m.seq,
        title: m.title,
        dueDate: m.due_date,
        doneDate: m.done_date,
      })),
      progress: progress.map((r) => ({
        id: r.id,
        month: r.month,
        unitCode: r.unit_code,
        text: r.text,
        percent: r.percent,
        reportedAt: r.reported_at,
      })),
      processInstance: instance
        ? {
            id: instance.id,
            definitionId: instance.definition_id,
            status: instance.status,
            startedAt: instance.started_at,
            endedAt: instance.ended_at,
          }
        : null,
      // The trail (痕迹化管理): every recorded action on this problem, oldest first, with what was submitted and by whom.
      timeline: await this.trail.tell(p.id, timeline),
    };
  }

  private async find(idOrCode: string): Promise<ProblemRow> {
    const p = isUuid(idOrCode) ? await this.problems.findById(idOrCode) : await this.problems.findByCode(idOrCode);
    if (!p) throw notFound('problem', idOrCode);
    return p;
  }
}
