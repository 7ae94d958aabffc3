import { chinaDate, ymd } from '../../problems/rules/china-date.js';

/** Months as 'YYYY-MM' in China time: a month ends at 00:00 (UTC+8) of the next month's first day. */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

export function monthParts(month: string): { year: number; month: number } {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function addMonthsTo(month: string, n: number): string {
  const { year, month: mm } = monthParts(month);
  const total = year * 12 + (mm - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

export function firstDay(month: string): string {
  return `${month}-01`;
}

export function lastDay(month: string): string {
  const { year, month: mm } = monthParts(month);
  return ymd(year, mm, new Date(Date.UTC(year, mm, 0)).getUTCDate())!;
}

/** The instant a China date begins (00:00 UTC+8). */
export function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

/** The instant the month is over: 00:00 China time of the next month's first day. */
export function monthEnd(month: string): number {
  return dayStart(firstDay(addMonthsTo(month, 1)));
}

export function monthOf(epochMs: number): string {
  return chinaDate(epochMs).slice(0, 7);
}

/** 2017-08 → 2017年8月 */
export function monthLabel(month: string): string {
  const { year, month: mm } = monthParts(month);
  return `${year}年${mm}月`;
}

/** 2017-08-31 → 2017年8月31日 */
export function dateLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
