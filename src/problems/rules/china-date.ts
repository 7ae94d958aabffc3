/** Calendar dates as 'YYYY-MM-DD' in China time (UTC+8, no daylight saving): deadlines are dates there. */
const OFFSET = 8 * 3_600_000;
const DAY = 86_400_000;

export function chinaDate(epochMs: number): string {
  return new Date(epochMs + OFFSET).toISOString().slice(0, 10);
}

export function isValidDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function ymd(year: number, month: number, day: number): string | null {
  const s = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isValidDate(s) ? s : null;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Same day of the month `months` later, clamped to the month's last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return ymd(year, month, Math.min(d, last))!;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/** An instant at a China wall-clock time on a date, e.g. 09:00 for a re-check that day. */
export function chinaInstant(date: string, time = '09:00:00'): string {
  return `${date}T${time}+08:00`;
}

/** A `date` column as PostgreSQL hands it to `pg` (a Date at local midnight) or as text, back to 'YYYY-MM-DD'. */
export function dateColumn(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const y = value.getFullYear();
    return ymd(y, value.getMonth() + 1, value.getDate());
  }
  return String(value).slice(0, 10);
}
