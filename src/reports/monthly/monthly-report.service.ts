import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { DomainException, notFound } from '../../common/domain-exception.js';
import { isUuid } from '../../engine/engine.service.js';
import { StepService } from '../../engine/step.service.js';
import { ProblemDetailsRepository } from '../../problems/problem-details.repository.js';
import { isMonth } from '../rules/month.js';
import { MONTHLY_CYCLE } from './monthly-cycle-handlers.js';
import { MonthlyReportRepository, type RequestRow } from './monthly-report.repository.js';

export interface ProgressEntry {
  problem: string;
  text: string;
  percent: number;
}

interface ReportTask {
  id: string;
  instance_id: string;
  execution_id: string;
  unit: string;
  month: string;
  due_at: Date | null;
}

const invalid = (field: string, message: string) =>
  new DomainException('VALIDATION', 422, `${field}：${message}`, { fields: [{ field, message }] });

/**
 * The monthly progress report (月度整改进展) of one unit: the form of its `monthly-report` task, and its
 * submission — the progress rows (problem_progress) and the task's completion in one transaction.
 */
@Injectable()
export class MonthlyReportService {
  constructor(
    private readonly db: DataSource,
    private readonly steps: StepService,
    private readonly repo: MonthlyReportRepository,
    private readonly details: ProblemDetailsRepository,
    private readonly clock: Clock,
  ) {}

  /** Who was asked this month, and who has reported on what. */
  async month(month: string) {
    if (!isMonth(month)) throw invalid('month', '应为月份（YYYY-MM）');
    const rows = await this.repo.requests(month);
    const out = [];
    for (const r of rows) {
      const problems = await this.repo.problemsOf(r);
      out.push({
        unit: r.unit_code,
        requestedAt: r.requested_at,
        dueAt: r.due_at,
        chasedAt: r.chased_at,
        problems: problems.map((p) => ({
          code: p.code,
          title: p.title,
          reported: p.reported,
          signedOff: Boolean(p.signed_off_at),
        })),
        reported: problems.filter((p) => p.reported).length,
        missing: problems.filter((p) => !p.reported && !p.signed_off_at).length,
      });
    }
    return { month, units: out };
  }

  /** What the unit reports on: the problems it was asked about, with whether each is reported already. */
  async form(taskId: string) {
    const task = await this.task(taskId);
    const req = await this.request(task);
    const problems = await this.repo.problemsOf(req);
    return {
      taskId: task.id,
      month: task.month,
      unit: task.unit,
      dueAt: task.due_at,
      problems: problems.map((p) => ({
        id: p.id,
        code: p.code,
        title: p.title,
        deadline: p.deadline,
        status: p.status,
        light: p.light,
        reported: p.reported,
      })),
    };
  }

  /** Every problem asked about must be reported on (signed-off ones may be left out); then the task completes. */
  async submit(
    taskId: string,
    reports: ProgressEntry[],
  ): Promise<{ taskId: string; month: string; unit: string; reported: number }> {
    const task = await this.task(taskId);
    const req = await this.request(task);
    const problems = await this.repo.problemsOf(req);
    const byRef = new Map(
      problems.flatMap(
        (p) =>
          [
            [p.id, p],
            [p.code, p],
          ] as const,
      ),
    );
    const seen = new Set<string>();
    const entries = reports.map((r, i) => {
      const p = byRef.get(r.problem);
      if (!p) throw invalid(`reports[${i}].problem`, `${r.problem} 不在 ${task.unit} ${task.month} 应报送的问题之中`);
      if (seen.has(p.id)) throw invalid(`reports[${i}].problem`, `${p.code} 报送了两次`);
      seen.add(p.id);
      return { problemId: p.id, text: r.text, percent: r.percent };
    });
    const left = problems.filter((p) => !seen.has(p.id) && !p.signed_off_at);
    if (left.length) throw invalid('reports', `缺少以下问题的报送：${left.map((p) => p.code).join('、')}`);
    await this.steps.stepWith(task.instance_id, async (inst, m) => {
      const [still] = await m.query(`SELECT execution_id FROM engine_task WHERE id = $1`, [task.id]);
      if (!still || inst.status !== 'active') throw new DomainException('TASK_GONE', 409, `任务 ${task.id} 已办结`);
      for (const e of entries)
        await this.details.upsertProgress({ ...e, month: task.month, unitCode: task.unit }, this.clock.date(), m);
      return { command: { kind: 'completeTask', executionId: still.execution_id, variables: {} }, value: undefined };
    });
    return { taskId: task.id, month: task.month, unit: task.unit, reported: entries.length };
  }

  private async task(taskId: string): Promise<ReportTask> {
    if (!isUuid(taskId)) throw notFound('task', taskId);
    const [row] = await this.db.query(
      `SELECT t.id, t.instance_id, t.execution_id, t.input ->> 'unit' AS unit, t.due_at, i.variables ->> 'month' AS month
       FROM engine_task t JOIN engine_instance i ON i.id = t.instance_id WHERE t.id = $1 AND t.definition_key = $2 AND t.form_key = 'monthly-report'`,
      [taskId, MONTHLY_CYCLE],
    );
    if (!row || !row.unit || !row.month) throw notFound('monthly report task', taskId);
    return row;
  }

  private async request(task: ReportTask): Promise<RequestRow> {
    const req = await this.repo.request(task.month, task.unit);
    if (!req) throw notFound('monthly report request', `${task.month}/${task.unit}`);
    return req;
  }
}
