import { createRequire } from 'node:module';
import type { CalendarDayEntry } from './workday-rules.js';

const require = createRequire(import.meta.url);

interface LunarConversion {
  getSolarDateFromLunar(lunarDate: string): { date: string; leapMonthDate?: string };
  getSolarTermDate(year: number, month: number, term: 'pure_brightness'): string;
}

/** The years chinese-days' lunar tables and solar terms cover. */
export const PROVISIONAL_MIN_YEAR = 1901;
export const PROVISIONAL_MAX_YEAR = 2099;

let lunar: LunarConversion | null = null;
function conversion(): LunarConversion {
  lunar ??= require('chinese-days') as LunarConversion;
  return lunar;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 || d === 6;
}

/**
 * A year's statutory holidays as the 全国年节及纪念日放假办法 (revised 2024, in force 2025) sets them, for a year the
 * State Council has not yet announced: 元旦 1 day, 春节 4 days (除夕 to 初三), 清明 1 day (the solar term), 劳动节
 * 2 days, 端午 1 day, 中秋 1 day, 国庆 3 days; a holiday falling on a Saturday or Sunday is made up on the next
 * working day after it (补假, the 办法's article 4). No make-up working days (调休上班): only the announcement
 * sets those. Null outside the years the lunar tables cover.
 */
export function provisionalHolidays(year: number): CalendarDayEntry[] | null {
  if (!Number.isInteger(year) || year < PROVISIONAL_MIN_YEAR || year > PROVISIONAL_MAX_YEAR) return null;
  const c = conversion();
  const lunarDate = (month: number, day: number) =>
    c.getSolarDateFromLunar(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`).date;
  const newYear = lunarDate(1, 1);
  const festivals: { name: string; days: string[] }[] = [
    { name: '元旦', days: [`${year}-01-01`] },
    { name: '春节', days: [addDays(newYear, -1), newYear, addDays(newYear, 1), addDays(newYear, 2)] },
    { name: '清明', days: [c.getSolarTermDate(year, 4, 'pure_brightness')] },
    { name: '劳动节', days: [`${year}-05-01`, `${year}-05-02`] },
    { name: '端午', days: [lunarDate(5, 5)] },
    { name: '中秋', days: [lunarDate(8, 15)] },
    { name: '国庆节', days: [`${year}-10-01`, `${year}-10-02`, `${year}-10-03`] },
  ];
  const holidays = new Map<string, string>();
  for (const f of festivals) for (const d of f.days) if (d.startsWith(`${year}-`)) holidays.set(d, f.name);
  for (const f of festivals) {
    const onWeekend = f.days.filter((d) => d.startsWith(`${year}-`) && isWeekend(d)).length;
    let d = f.days[f.days.length - 1];
    for (let left = onWeekend; left > 0;) {
      d = addDays(d, 1);
      if (!d.startsWith(`${year}-`)) break;
      if (isWeekend(d) || holidays.has(d)) continue;
      holidays.set(d, `${f.name}（补假）`);
      left--;
    }
  }
  return [...holidays]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([date, name]) => ({ date, kind: 'holiday', name }));
}
