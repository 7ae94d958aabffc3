import type { TimerLiteral } from '../engine/runtime/step-context.js';
import type { WorkerTimerLiteral } from '../engine/runtime/portable-literal.js';
import { provisionalHolidays } from './provisional-year.js';
import {
  WorkdayCalendar,
  resolveOverdueLiteral,
  resolveWorkdaysLiteral,
  type CalendarDayEntry,
} from './workday-rules.js';

/** The calendar as the office keeps it: every entered day and the years with the announced arrangement. */
export interface CalendarSnapshot {
  days: CalendarDayEntry[];
  years: number[];
}

/** The calendar a snapshot describes (years without data computed by rule, as the service computes them). */
export function calendarOf(snapshot: CalendarSnapshot): WorkdayCalendar {
  return new WorkdayCalendar(snapshot.days, snapshot.years, provisionalHolidays);
}

/**
 * The engine's timer literals against `calendar`: `workdays(N)` / `workdays(N, BASE)` and the chase's
 * `overdue(…)`, each to the end of the computed working day; null for anything else. `provisional` hears every
 * year without the announced arrangement a computation went through. Throws UnknownYearError (naming the year)
 * when the count reaches a year the calendar cannot compute.
 */
export function resolveCalendarLiteral(
  calendar: WorkdayCalendar,
  value: string,
  now: number,
  repeating: boolean,
  provisional: (year: number) => void,
): TimerLiteral | null {
  const chase = resolveOverdueLiteral(calendar, value, now, repeating);
  if (chase) {
    for (const year of chase.provisionalYears) provisional(year);
    return { expireAt: chase.expireAt, repeat: chase.repeat };
  }
  const r = resolveWorkdaysLiteral(calendar, value, now);
  if (r) for (const year of r.provisionalYears) provisional(year);
  return r ? { expireAt: r.expireAt } : null;
}

/**
 * The resolver an engine thread builds from a snapshot (portable-literal.ts): the provisional years its steps
 * went through are handed back with each step, for the service to record.
 */
export function createTimerLiteral(snapshot: CalendarSnapshot): WorkerTimerLiteral {
  const calendar = calendarOf(snapshot);
  let years = new Set<number>();
  return {
    resolve: (value, now, opts) =>
      resolveCalendarLiteral(calendar, value, now, opts?.repeating === true, (y) => years.add(y)),
    drain: () => {
      const out = [...years];
      years = new Set();
      return out;
    },
  };
}
