import { createRequire } from 'node:module';
import type { CalendarDayEntry } from './workday-rules.js';

const require = createRequire(import.meta.url);

interface RawData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** `"National Day,国庆节,3"` → `国庆节`. */
function chineseName(raw: string): string {
  const parts = raw.split(',');
  return (parts[1] ?? parts[0]).trim();
}

/**
 * The State Council's holiday arrangements as published by the `chinese-days` package (2004 onwards):
 * listed holidays (法定节假日) and make-up working days (调休上班), by year.
 */
export function chineseDaysCalendar(): { version: string; years: Map<number, CalendarDayEntry[]> } {
  const raw = require('chinese-days/dist/chinese-days.json') as RawData;
  const version = (require('chinese-days/package.json') as { version: string }).version;
  const years = new Map<number, CalendarDayEntry[]>();
  const add = (date: string, kind: CalendarDayEntry['kind'], name: string) => {
    const year = Number(date.slice(0, 4));
    if (!years.has(year)) years.set(year, []);
    years.get(year)!.push({ date, kind, name: chineseName(name) });
  };
  for (const [date, name] of Object.entries(raw.holidays)) add(date, 'holiday', name);
  for (const [date, name] of Object.entries(raw.workdays)) add(date, 'workday', name);
  for (const list of years.values()) list.sort((a, b) => a.date.localeCompare(b.date));
  return { version, years: new Map([...years].sort((a, b) => a[0] - b[0])) };
}
