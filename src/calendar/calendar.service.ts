import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { DomainException, notFound } from '../common/domain-exception.js';
import { HandlerRegistry } from '../engine/handler-registry.js';
import type { TimerLiteral } from '../engine/runtime/step-context.js';
import { TimerDriver } from '../engine/timers/timer-driver.js';
import { CalendarRepository, type ChangeRow, type MovedItem, type Queryable, type YearRow } from './calendar.repository.js';
import { chineseDaysCalendar } from './chinese-days-data.js';
import { WorkdayCalendar, checkYearInput, resolveWorkdaysLiteral, yearEntries, type YearInput } from './workday-rules.js';

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
  private calendar = new WorkdayCalendar([], []);
  private stamp = '';
  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly repo: CalendarRepository,
    private readonly registry: HandlerRegistry,
    private readonly clock: Clock,
    private readonly driver: TimerDriver,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.seedFromPackage();
    await this.reload();
    this.registry.setTimerLiteral((value, now) => this.resolveLiteral(value, now));
    this.refreshTimer = setInterval(() => void this.refresh().catch((e) => this.logger.warn(`calendar refresh: ${(e as Error).message}`)), CALENDAR_REFRESH_MS);
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
  resolveLiteral(value: string, now: number): TimerLiteral | null {
    const r = resolveWorkdaysLiteral(this.calendar, value, now);
    return r ? { expireAt: r.expireAt } : null;
  }

  addWorkdays(from: string, n: number): string {
    return this.calendar.addWorkdays(from, n);
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
      for (const year of missing) await this.repo.replaceYear(m, year, 'chinese-days', pkg.years.get(year)!, `chinese-days ${pkg.version}`, at);
      return missing;
    });
    if (added.length) this.logger.log(`working-day calendar: added ${added.length} years from chinese-days ${pkg.version} (${added[0]}–${added[added.length - 1]})`);
    return added;
  }

  /** Load the calendar from the database into memory. */
  async reload(q: Queryable = this.db): Promise<void> {
    const stamp = await this.repo.stamp(q);
    const { years, days } = await this.repo.loadAll(q);
    this.calendar = new WorkdayCalendar(days, years);
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
      throw new DomainException('VALIDATION', 422, problems.map((p) => `${p.field}: ${p.message}`).join('; '), { fields: problems });
    }
    const entries = yearEntries(input);
    const note = input.note?.trim() || null;
    const reschedule: { id: string; instanceId: string; expireAt: number }[] = [];
    const result: { calendar: WorkdayCalendar | null } = { calendar: null };

    const summary = await this.db.transaction(async (m) => {
      await this.repo.lock(m);
      const stored = await this.repo.loadAll(m);
      const before = new WorkdayCalendar(stored.days, stored.years);
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
          if (r.skip) skipped.push({ kind: 'timer', id: t.id, instanceId: t.instance_id, spec: t.spec, reason: r.skip });
          continue;
        }
        await this.repo.moveTimer(m, t.id, new Date(r.after));
        moved.push({ kind: 'timer', id: t.id, instanceId: t.instance_id, activityId: t.activity_id, spec: t.spec, before: iso(current), after: iso(r.after) });
        reschedule.push({ id: t.id, instanceId: t.instance_id, expireAt: r.after });
      }
      for (const t of await this.repo.workdayTasks(m)) {
        const current = t.due_at ? new Date(t.due_at).getTime() : null;
        const r = this.recompute(before, next, t.due_spec, new Date(t.created_at).getTime(), current);
        if ('skip' in r) {
          if (r.skip) skipped.push({ kind: 'task', id: t.id, instanceId: t.instance_id, spec: t.due_spec, reason: r.skip });
          continue;
        }
        await this.repo.moveTask(m, t.id, new Date(r.after));
        moved.push({ kind: 'task', id: t.id, instanceId: t.instance_id, activityId: t.activity_id, spec: t.due_spec, before: iso(current), after: iso(r.after) });
      }
      const timersMoved = moved.filter((x) => x.kind === 'timer').length;
      const tasksMoved = moved.length - timersMoved;
      const changeId = await this.repo.logChange(m, { year, note, changedAt: at, timersMoved, tasksMoved, details: { moved, skipped } });
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
    this.logger.log(`calendar ${year} changed: ${summary.timersMoved} timers and ${summary.tasksMoved} tasks moved${summary.skipped ? `, ${summary.skipped} left alone` : ''}`);
    return summary;
  }

  /**
   * The due time of a literal under the new calendar. A literal without base counts from when the row was
   * created. Left alone (skip) when the row's due time is not what the previous calendar gave — someone moved
   * it by hand (an extension) — or when the literal cannot be computed; `skip: null` when nothing changes.
   */
  private recompute(before: WorkdayCalendar, after: WorkdayCalendar, spec: string, createdAt: number, current: number | null): { after: number } | { skip: string | null } {
    let next: number;
    try {
      const r = resolveWorkdaysLiteral(after, spec, createdAt);
      if (!r || isNaN(r.expireAt)) return { skip: null };
      next = r.expireAt;
    } catch (e) {
      return { skip: `cannot be computed with the new calendar: ${(e as Error).message}` };
    }
    if (next === current) return { skip: null };
    let previous: number | null = null;
    try {
      previous = resolveWorkdaysLiteral(before, spec, createdAt)?.expireAt ?? null;
    } catch {
      previous = null;
    }
    if (previous !== current) return { skip: `its due time ${iso(current)} is not what the previous calendar gave (${iso(previous)}); moved by hand?` };
    return { after: next };
  }
}

function iso(ms: number | null): string | null {
  return ms === null || isNaN(ms) ? null : new Date(ms).toISOString();
}
