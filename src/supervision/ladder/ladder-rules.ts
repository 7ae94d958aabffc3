import { addDays, chinaDate } from '../../problems/rules/china-date.js';

const HOUR = 3_600_000;
const CHINA_OFFSET = 8 * HOUR;
/** Documents are dated at the office's opening hour, China time. */
export const OFFICE_OPENS_HOUR = 9;

/** A rung the ladder passed over because a later one was already due when it fired. */
export interface SkippedRung {
  /** The rung's name as drawn in the BPMN (提醒, 督办单, 通报…). */
  rung: string;
  /** When that rung fell due (ISO), before the problem reached the ladder. */
  dueAt: string;
}

/** 09:00 China time of a China date. */
export function officeOpening(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET + OFFICE_OPENS_HOUR * HOUR;
}

/**
 * When a document taken at `now` is issued and dated: now, on a working day from 09:00; else 09:00 of the
 * first working day from today (a rung falling due at the end of a Friday, on a holiday, or at midnight).
 */
export function officeTime(now: number, isWorkday: (date: string) => boolean): number {
  let date = chinaDate(now);
  if (isWorkday(date) && now >= officeOpening(date)) return now;
  if (!isWorkday(date)) {
    for (let i = 0; i < 400 && (i === 0 || !isWorkday(date)); i++) date = addDays(date, 1);
    if (!isWorkday(date)) throw new Error(`no working day within 400 days of ${chinaDate(now)}`);
  }
  return officeOpening(date);
}

/** A timer expression with the ladder's variables put in (`${environment.variables.x}` lookups only). */
export function substituteVariables(expr: string, vars: Record<string, unknown>): string | null {
  let missing = false;
  const out = expr.replace(/\$\{\s*environment\.variables\.([A-Za-z_]\w*)\s*\}/g, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined || v === null || v === '') missing = true;
    return String(v ?? '');
  });
  return missing || out.includes('${') ? null : out;
}

/** The sentence a rung's document adds when it stands for the rungs it passed over. */
export function skippedSentence(skipped: readonly SkippedRung[]): string {
  if (!skipped.length) return '';
  const names = skipped.map((s) => s.rung).join('、');
  return `该问题交办时已超过${names}的时点，不再逐级补发，直接采取本级措施。`;
}

const MAX_COUNT_DAYS = 3660;

/** Working days fully past between a deadline and `today` (the days after the deadline, before today). */
export function workdaysLate(deadline: string, today: string, isWorkday: (date: string) => boolean): number {
  let n = 0;
  for (let d = addDays(deadline, 1), i = 0; d < today && i < MAX_COUNT_DAYS; d = addDays(d, 1), i++)
    if (isWorkday(d)) n++;
  return n;
}

/** Working days left to a deadline, today included. */
export function workdaysLeft(today: string, deadline: string, isWorkday: (date: string) => boolean): number {
  let n = 0;
  for (let d = today, i = 0; d <= deadline && i < MAX_COUNT_DAYS; d = addDays(d, 1), i++) if (isWorkday(d)) n++;
  return n;
}

/** The start (00:00 China) of the day 5 working days before `today`: a second 督办单 within it cites the first. */
export function officeWeekBefore(today: string, addWorkdays: (from: string, n: number) => string): Date {
  return new Date(Date.parse(`${addWorkdays(today, -5)}T00:00:00Z`) - CHINA_OFFSET);
}
