import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { DomainException, notFound } from '../common/domain-exception.js';
import { HandlerRegistry } from '../engine/handler-registry.js';
import type { TimerLiteral } from '../engine/runtime/step-context.js';
import { TimerDriver } from '../engine/timers/timer-driver.js';
import {
  CalendarRepository,
  type ChangeRow,
  type MovedItem,
  type Queryable,
  type YearRow,
} from './calendar.repository.js';
import { chineseDaysCalendar } from './chinese-days-data.js';
import { NotifyService } from '../notify/notify.service.js';
import { provisionalHolidays } from './provisional-year.js';
import { calendarOf, resolveCalendarLiteral, type CalendarSnapshot } from './calendar-literal.js';
import {
  WorkdayCalendar,
  chinaDate,
  checkYearInput,
  literalExpireAt,
  occurrenceOf,
  yearEntries,
  yearOf,
  type YearInput,
} from './workday-rules.js';

/** How often a node looks whether another node changed the calendar. */
export const CALENDAR_REFRESH_MS = 30_000;

export interface CalendarChangeSummary {
  year: number;
  timersMoved: number;
  tasksMoved: number;
  /** Timers and tasks left alone: their due time was not the literal's under the previous calendar (moved by hand). */
  skipped: number;
  changeId: number;
}

/** What the pages show as a banner while a year in use has no announced arrangement. */
export interface CalendarStatus {
  /** The last year with the State Council's announced arrangement. */
  officialThrough: number | null;
  /** Years computed by rule (weekends and the statutory holidays) that are in use: the clock's or a deadline's. */
  provisionalYears: { year: number; firstUsedAt: Date | null; holidays: { date: string; name: string | null }[] }[];
  /** The warning in Chinese; null when every year in use is announced. */
  warning: string | null;
}

interface Skipped {
  kind: 'timer' | 'task';
  id: string;
  instanceId: string;
  spec: string;
  reason: string;
}

/**
 * The working-day calendar: seeded from `chinese-days`, corrected by the office year by year, held in memory
 * so the engine's timer literals resolve synchronously. Everything a CLI needs is a method here.
 */
@Injectable()
export class CalendarService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('calendar');
  private calendar = new WorkdayCalendar([], [], provisionalHolidays);
  private notify: NotifyService | null = null;
  /** Provisional years this node has already recorded as used. */
  private readonly noted = new Set<number>();
  private stamp = '';
  /** What the calendar in memory was built from, for the engine's threads (portable-literal.ts). */
  private snapshot: CalendarSnapshot = { days: [], years: [] };
  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly repo: CalendarRepository,
    private readonly registry: HandlerRegistry,
    private readonly clock: Clock,
    private readonly driver: TimerDriver,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      this.notify = this.moduleRef.get(NotifyService, { strict: false });
    } catch {
      this.notify = null;
    }
    await this.seedFromPackage();
    await this.reload();
    this.registry.setTimerLiteral((value, now, opts) => this.resolveLiteral(value, now, opts), {
      module: new URL(`./calendar-literal.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url).href,
      snapshot: () => ({ stamp: this.stamp, data: this.snapshot }),
      noted: (years) => years.forEach((y) => this.provisionalUsed(y)),
    });
    this.refreshTimer = setInterval(
      () => void this.refresh().catch((e) => this.logger.warn(`calendar refresh: ${(e as Error).message}`)),
      CALENDAR_REFRESH_MS,
    );
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
  }

  /** The calendar in memory (what the engine's literals resolve against). */
  get current(): WorkdayCalendar {
    return this.calendar;
  }

  /**
   * The engine's timer-literal resolver: `workdays(N)` / `workdays(N, BASE)` → end of the computed working
   * day; null for anything else. Throws (UnknownYearError, naming the year) when the count reaches a year
   * without data; the engine turns that into an incident on the instance.
   */
  resolveLiteral(value: string, now: number, opts?: { repeating?: boolean }): TimerLiteral | null {
    return resolveCalendarLiteral(this.calendar, value, now, opts?.repeating === true, (y) => this.provisionalUsed(y));
  }

  addWorkdays(from: string, n: number): string {
    const date = this.calendar.addWorkdays(from, n);
    for (const year of this.calendar.provisionalYearsBetween(from, date)) this.provisionalUsed(year);
    return date;
  }

  /** `addWorkdays` with whether the count went through a year computed by rule. */
  addWorkdaysMarked(from: string, n: number): { date: string; provisional: boolean } {
    const date = this.addWorkdays(from, n);
    return { date, provisional: this.calendar.provisionalYearsBetween(from, date).length > 0 };
  }

  /**
   * Whether a due time computed now lies in, or was counted through, a year without the announced arrangement:
   * its working days are the rule's guess until the office enters the year. Null due times are not provisional.
   */
  isProvisionalDue(due: Date | string | number | null | undefined, now = this.clock.now()): boolean {
    if (due === null || due === undefined) return false;
    const at = new Date(due).getTime();
    if (isNaN(at)) return false;
    // A due time is the end of a day (00:00 China time of the next): the day it closes is the one before.
    const day = chinaDate(at - 1);
    return this.calendar.provisionalYearsBetween(chinaDate(now), day).length > 0;
  }

  /** Whether a date (a problem's deadline) lies in a year computed by rule. */
  isProvisionalDate(date: string | null | undefined): boolean {
    return !!date && /^\d{4}-/.test(date) && this.calendar.isProvisional(yearOf(date));
  }

  /** The banner's data: provisional years in use (the clock's year, and every year a deadline was computed into). */
  async status(): Promise<CalendarStatus> {
    const official = [...this.calendar.years].sort((a, b) => a - b);
    const used = new Map((await this.repo.provisionalUses(this.db)).map((u) => [u.year, u.firstUsedAt as Date | null]));
    const today = yearOf(chinaDate(this.clock.now()));
    if (!used.has(today)) used.set(today, null);
    const years = [...used.keys()].filter((y) => this.calendar.isProvisional(y)).sort((a, b) => a - b);
    const provisionalYears = years.map((year) => ({
      year,
      firstUsedAt: used.get(year) ?? null,
      holidays: this.calendar.provisionalEntries(year).map((d) => ({ date: d.date, name: d.name })),
    }));
    return {
      officialThrough: official.length ? official[official.length - 1] : null,
      provisionalYears,
      warning: years.length ? provisionalWarning(years) : null,
    };
  }

  /** The first computation into a provisional year is recorded once (across nodes) and tells the office. */
  private provisionalUsed(year: number): void {
    if (this.noted.has(year)) return;
    this.noted.add(year);
    void this.recordProvisionalUse(year).catch((e) => {
      this.noted.delete(year);
      this.logger.warn(`recording provisional year ${year}: ${(e as Error).message}`);
    });
  }

  private async recordProvisionalUse(year: number): Promise<void> {
    const first = await this.repo.noteProvisionalUse(this.db, year, this.clock.date());
    if (!first) return;
    this.logger.warn(
      `a deadline was computed into ${year}, which has no announced holiday arrangement: provisional calendar`,
    );
    await this.notify?.enqueue({
      key: `calendar-provisional-${year}`,
      kind: 'notice',
      unitCodes: [],
      personIds: [],
      roles: ['office', 'admin'],
      title: `${year} 年工作日历为暂定`,
      text: `${provisionalWarning([year])}已按暂定日历计算的期限在录入后自动重算。`,
      link: '/ledger',
    });
  }

  day(date: string) {
    return this.calendar.day(date);
  }

  /** Add every year `chinese-days` has and the database lacks; years already present (office data) stay. */
  async seedFromPackage(): Promise<number[]> {
    const pkg = chineseDaysCalendar();
    const added = await this.db.transaction(async (m) => {
      await this.repo.lock(m);
      const have = new Set((await this.repo.listYears(m)).map((y) => y.year));
      const missing = [...pkg.years.keys()].filter((y) => !have.has(y));
      const at = this.clock.date();
      for (const year of missing)
        await this.repo.replaceYear(m, year, 'chinese-days', pkg.years.get(year)!, `chinese-days ${pkg.version}`, at);
      return missing;
    });
    if (added.length)
      this.logger.log(
        `working-day calendar: added ${added.length} years from chinese-days ${pkg.version} (${added[0]}–${added[added.length - 1]})`,
      );
    return added;
  }

  /** Load the calendar from the database into memory. */
  async reload(q: Queryable = this.db): Promise<void> {
    const stamp = await this.repo.stamp(q);
    const { years, days } = await this.repo.loadAll(q);
    this.snapshot = { days, years };
    this.calendar = calendarOf(this.snapshot);
    this.stamp = stamp;
  }

  /** Reload when another node changed the calendar (its stamp moved); one check at a time. */
  async refresh(): Promise<boolean> {
    if (this.refreshing) {
      await this.refreshing;
      return false;
    }
    let changed = false;
    this.refreshing = (async () => {
      if ((await this.repo.stamp(this.db)) !== this.stamp) {
        await this.reload();
        changed = true;
      }
    })();
    try {
      await this.refreshing;
    } finally {
      this.refreshing = null;
    }
    return changed;
  }

  listYears(): Promise<YearRow[]> {
    return this.repo.listYears(this.db);
  }

  async getYear(year: number) {
    const y = await this.repo.getYear(this.db, year);
    if (!y) throw notFound('calendar year', String(year));
    return {
      year: y.year,
      source: y.source,
      updatedAt: y.updatedAt,
      note: y.note,
      holidays: y.days.filter((d) => d.kind === 'holiday').map((d) => ({ date: d.date, name: d.name })),
      workdays: y.days.filter((d) => d.kind === 'workday').map((d) => ({ date: d.date, name: d.name })),
    };
  }

  changes(opts: { year?: number; limit?: number } = {}): Promise<ChangeRow[]> {
    return this.repo.changes(this.db, { year: opts.year, limit: opts.limit ?? 100 });
  }

  /**
   * The office adds or corrects a year: replaces its listed days, and in the same transaction moves every
   * timer and open task whose due time is a working-day literal to what the new calendar gives, logging
   * each move. Moved timers keep their id and are rescheduled after the commit.
   */
  async putYear(year: number, input: YearInput): Promise<CalendarChangeSummary> {
    const problems = checkYearInput(year, input);
    if (problems.length) {
      throw new DomainException('VALIDATION', 422, problems.map((p) => `${p.field}：${p.message}`).join('；'), {
        fields: problems,
      });
    }
    const entries = yearEntries(input);
    const note = input.note?.trim() || null;
    const reschedule: { id: string; instanceId: string; expireAt: number }[] = [];
    const result: { calendar: WorkdayCalendar | null } = { calendar: null };

    const summary = await this.db.transaction(async (m) => {
      await this.repo.lock(m);
      const stored = await this.repo.loadAll(m);
      const before = new WorkdayCalendar(stored.days, stored.years, provisionalHolidays);
      const next = before.withYear(year, entries);
      result.calendar = next;
      const at = this.clock.date();
      await this.repo.replaceYear(m, year, 'office', entries, note, at);

      const moved: MovedItem[] = [];
      const skipped: Skipped[] = [];
      for (const t of await this.repo.workdayTimers(m)) {
        const current = new Date(t.expire_at).getTime();
        const r = this.recompute(before, next, t.spec, new Date(t.created_at).getTime(), current);
        if ('skip' in r) {
          if (r.skip)
            skipped.push({ kind: 'timer', id: t.id, instanceId: t.instance_id, spec: t.spec, reason: r.skip });
          continue;
        }
        await this.repo.moveTimer(m, t.id, new Date(r.after));
        moved.push({
          kind: 'timer',
          id: t.id,
          instanceId: t.instance_id,
          activityId: t.activity_id,
          spec: t.spec,
          before: iso(current),
          after: iso(r.after),
        });
        reschedule.push({ id: t.id, instanceId: t.instance_id, expireAt: r.after });
      }
      for (const t of await this.repo.workdayTasks(m)) {
        const current = t.due_at ? new Date(t.due_at).getTime() : null;
        const r = this.recompute(before, next, t.due_spec, new Date(t.created_at).getTime(), current);
        if ('skip' in r) {
          if (r.skip)
            skipped.push({ kind: 'task', id: t.id, instanceId: t.instance_id, spec: t.due_spec, reason: r.skip });
          continue;
        }
        await this.repo.moveTask(m, t.id, new Date(r.after));
        moved.push({
          kind: 'task',
          id: t.id,
          instanceId: t.instance_id,
          activityId: t.activity_id,
          spec: t.due_spec,
          before: iso(current),
          after: iso(r.after),
        });
      }
      const timersMoved = moved.filter((x) => x.kind === 'timer').length;
      const tasksMoved = moved.length - timersMoved;
      const changeId = await this.repo.logChange(m, {
        year,
        note,
        changedAt: at,
        timersMoved,
        tasksMoved,
        details: { moved, skipped },
      });
      return { year, timersMoved, tasksMoved, skipped: skipped.length, changeId };
    });

    // Committed: this node computes with the new calendar at once; other nodes within CALENDAR_REFRESH_MS.
    if (result.calendar) this.calendar = result.calendar;
    await this.reload().catch((e) => this.logger.warn(`calendar reload: ${(e as Error).message}`));
    if (reschedule.length) {
      try {
        // A queue keeps one job per timer id: drop the old due time before scheduling the new one.
        await this.driver.unschedule(reschedule.map((t) => t.id));
        await this.driver.schedule(reschedule);
      } catch (e) {
        // The reconciler schedules from the table again; the row holds the new due time.
        this.logger.warn(`rescheduling moved timers failed: ${(e as Error).message}`);
      }
    }
    this.logger.log(
      `calendar ${year} changed: ${summary.timersMoved} timers and ${summary.tasksMoved} tasks moved${summary.skipped ? `, ${summary.skipped} left alone` : ''}`,
    );
    return summary;
  }

  /**
   * The due time of a literal under the new calendar. A literal without base counts from when the row was
   * created; a chase (`overdue(…)`) keeps its place in the series: its first occurrence counts from the task's
   * due date, a later one from the chase before. Left alone (skip) when the row's due time is not what the
   * previous calendar gave — someone moved it by hand (an extension) — or when the literal cannot be computed;
   * `skip: null` when nothing changes.
   */
  private recompute(
    before: WorkdayCalendar,
    after: WorkdayCalendar,
    spec: string,
    createdAt: number,
    current: number | null,
  ): { after: number } | { skip: string | null } {
    const repeating = current === null ? null : occurrenceOf(before, spec, createdAt, current);
    let next: number | null;
    try {
      next = literalExpireAt(after, spec, createdAt, repeating ?? false);
    } catch (e) {
      return { skip: `按新日历无法计算：${(e as Error).message}` };
    }
    if (next === null || next === current) return { skip: null };
    if (repeating === null) {
      let previous: number | null;
      try {
        previous = literalExpireAt(before, spec, createdAt);
      } catch {
        previous = null;
      }
      return { skip: `到期时间 ${iso(current)} 不是原日历算出的 ${iso(previous)}（已人工调整，如延期），保持不变` };
    }
    return { after: next };
  }
}

function provisionalWarning(years: number[]): string {
  const list = years.map((y) => `${y} 年`).join('、');
  return `${list}尚未录入国务院办公厅公布的节假日安排，工作日暂按周末和法定节假日（元旦、春节、清明、劳动节、端午、中秋、国庆，按农历和节气推算）计算，相关期限为暂定；公布后请在“工作日历”中录入。`;
}

function iso(ms: number | null): string | null {
  return ms === null || isNaN(ms) ? null : new Date(ms).toISOString();
}
