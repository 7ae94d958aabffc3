import { Injectable } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service.js';
import { Clock } from '../clock/clock.js';
import { chinaDate } from '../problems/rules/china-date.js';
import { lateSince } from '../problems/rules/problem-rules.js';
import { OfficeOverdueRepository } from './office-overdue.repository.js';

export interface OfficeOverdueItem {
  taskId: string;
  name: string | null;
  step: string;
  process: string;
  /** The due time (end of the due day, China time) and the due day itself. */
  due: Date;
  dueOn: string;
  overdueWorkdays: number;
  overdueDays: number;
  overdueText: string | null;
  since: Date;
  problem: { id: string; code: string; title: string; light: string | null } | null;
}

/**
 * 办公室超期事项 for the leaders: every task offered to the office group past its due date, whatever its kind
 * (方案审核, 验收, 回头看 of the office, 安排约谈, 约谈纪要, 追责, 延期审核…), with how late in working days and
 * calendar days, as lateness is counted everywhere.
 */
@Injectable()
export class OfficeOverdueService {
  constructor(
    private readonly repo: OfficeOverdueRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  async list(
    page: number,
    pageSize: number,
  ): Promise<{ items: OfficeOverdueItem[]; total: number; page: number; pageSize: number }> {
    const now = this.clock.now();
    const rows = await this.repo.page(new Date(now), 'office', pageSize, (page - 1) * pageSize);
    const today = chinaDate(now);
    const isWorkday = (d: string) => this.calendar.current.isWorkday(d);
    const items = rows.map((r) => {
      const dueOn = chinaDate(new Date(r.due_at).getTime() - 1);
      const late = lateSince(dueOn, today, isWorkday);
      return {
        taskId: r.id,
        name: r.name,
        step: r.activity_id,
        process: r.definition_key,
        due: r.due_at,
        dueOn,
        overdueWorkdays: late.workdays,
        overdueDays: late.days,
        overdueText: late.text,
        since: r.created_at,
        problem: r.problem_id ? { id: r.problem_id, code: r.code!, title: r.title!, light: r.light } : null,
      };
    });
    return { items, total: rows[0]?.total ?? 0, page, pageSize };
  }
}
