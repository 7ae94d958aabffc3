import { OPEN_STATUSES, type ProblemStatus, type Tier } from '../problem-status.js';
import { addDays, addMonths, chinaDate, daysBetween } from './china-date.js';

/** 短期/中期/长期 by how far the deadline lies from the assignment date. */
export function tierOf(assignedOn: string, deadline: string): Tier {
  if (deadline <= addMonths(assignedOn, 3)) return 'short';
  if (deadline <= addMonths(assignedOn, 12)) return 'medium';
  return 'long';
}

export function isOpen(status: ProblemStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * Calendar days past the deadline: for an open problem up to today, for a signed-off one up to its sign-off
 * (a late sign-off stays on the record as late).
 */
export function overdueDays(
  p: { status: ProblemStatus; deadline: string; signedOffAt: Date | null },
  now: number,
): number {
  const until = p.signedOffAt ? chinaDate(p.signedOffAt.getTime()) : isOpen(p.status) ? chinaDate(now) : null;
  if (!until) return 0;
  return Math.max(0, daysBetween(p.deadline, until));
}

const MAX_COUNT_DAYS = 3660;

/**
 * Lateness, one definition: the days after the deadline up to today (an open problem) or its sign-off, counted as
 * working days by the calendar, with the calendar days of the same span beside them ("逾期 12 个工作日（16 天）").
 */
export function lateness(
  p: { status: ProblemStatus; deadline: string; signedOffAt: Date | null },
  now: number,
  isWorkday: (date: string) => boolean,
): { days: number; workdays: number; text: string | null } {
  return lateBy(p.deadline, overdueDays(p, now), isWorkday);
}

/** The same lateness for anything due on `due` (a task's due date), up to `until` (both China dates). */
export function lateSince(
  due: string,
  until: string,
  isWorkday: (date: string) => boolean,
): { days: number; workdays: number; text: string | null } {
  return lateBy(due, Math.max(0, daysBetween(due, until)), isWorkday);
}

function lateBy(due: string, days: number, isWorkday: (date: string) => boolean) {
  let workdays = 0;
  for (let d = addDays(due, 1), i = 0; i < Math.min(days, MAX_COUNT_DAYS); d = addDays(d, 1), i++)
    if (isWorkday(d)) workdays++;
  return { days, workdays, text: days > 0 ? `逾期 ${workdays} 个工作日（${days} 天）` : null };
}

/** The code of a rebound's new round: TM-001 → TM-001-R2 → TM-001-R3. */
export function nextRoundCode(code: string, nextRound: number): string {
  return `${code.replace(/-R\d+$/, '')}-R${nextRound}`;
}

/** When a signed-off problem is looked at again (回头看): `months` after sign-off, 09:00 China time. */
export function recheckDate(signedOffOn: string, months: number): string {
  return addMonths(signedOffOn, months);
}
