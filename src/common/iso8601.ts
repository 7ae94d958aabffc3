/**
 * ISO 8601 durations, date-times and repeating intervals, parsed by hand: every computation on them is a few
 * arithmetic operations, never a loop over occurrences (a zero period made a date library loop forever).
 * Calendar units (years, months) are counted in China time (UTC+8, no daylight saving since 1991), so that
 * P1M from 01-31 09:00 is 02-28 09:00 there, as Camunda's java.time arithmetic clamps it.
 */

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export interface IsoCycle {
  /** `R5/…` → 5; `R/…` (no count) → null. */
  repeat: number | null;
  /** Epoch ms of the first occurrence (`R3/2026-05-01T09:00:00+08:00/P1D`), or null: counted from when it starts. */
  start: number | null;
  period: IsoDuration;
}

/** A value that is not the ISO 8601 form asked for; the message says why, without the value. */
export class IsoSyntaxError extends Error {}

const CHINA_OFFSET_MS = 8 * 3_600_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Nothing is due after the last day of year 9999: a later instant is a typing error, not a plan. */
export const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const NUM = '(\\d+(?:[.,]\\d+)?)';
const DURATION = new RegExp(
  `^P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`,
);
const FIELDS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;
// More digits than any sane period has; also keeps Number() exact.
const MAX_DIGITS = 9;

/** `P1Y2M3W4DT5H6M7.5S` and any subset; a fraction only on the smallest unit written, and not on Y or M. */
export function parseDuration(text: string): IsoDuration {
  const value = text.trim();
  if (/^[-−]?P/i.test(value) && /[-−]/.test(value)) throw new IsoSyntaxError('a duration cannot be negative');
  if (/^\+?P/i.test(value) && value.includes('+')) throw new IsoSyntaxError('a duration takes no sign');
  const m = DURATION.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) {
    throw new IsoSyntaxError('expected P and counts of Y, M, W, D, then T and counts of H, M, S (PT10M, P3D, P1Y2M)');
  }
  const parts = m.slice(1);
  const written = parts.map((p, i) => (p === undefined ? -1 : i)).filter((i) => i >= 0);
  const out: IsoDuration = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  for (const i of written) {
    const raw = parts[i]!;
    const [whole, fraction] = raw.split(/[.,]/);
    if (whole.length > MAX_DIGITS) throw new IsoSyntaxError(`${raw}${'YMWDHMS'[i]} is too large`);
    if (fraction !== undefined && i !== written[written.length - 1]) {
      throw new IsoSyntaxError('only the smallest unit written may have a fraction');
    }
    if (fraction !== undefined && i < 2) throw new IsoSyntaxError('fractions of years or months are not supported');
    out[FIELDS[i]] = Number(raw.replace(',', '.'));
  }
  return out;
}

/** The part of a duration that has a fixed length (weeks and below; China keeps no daylight saving). */
export function fixedMillis(d: IsoDuration): number {
  return Math.round((d.weeks * 7 + d.days) * DAY + d.hours * HOUR + d.minutes * 60_000 + d.seconds * 1000);
}

/** The shortest a duration can last: a month counts as 28 days, a year as 365. */
export function shortestMillis(d: IsoDuration): number {
  return fixedMillis(d) + d.months * 28 * DAY + d.years * 365 * DAY;
}

/** Whether every unit of the duration is zero. */
export function isZero(d: IsoDuration): boolean {
  return FIELDS.every((f) => d[f] === 0);
}

/** `at` plus `times` × `d`, in one step (no loop): months and years first, in China time, then the fixed part. */
export function addDuration(at: number, d: IsoDuration, times = 1): number {
  let t = at;
  const months = (d.years * 12 + d.months) * times;
  if (months) t = addMonths(t, months);
  return t + fixedMillis(d) * times;
}

/** Adds whole months in China time, clamping the day to the target month's last day. */
function addMonths(at: number, months: number): number {
  const local = new Date(at + CHINA_OFFSET_MS);
  const index = local.getUTCFullYear() * 12 + local.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  if (year > 9999 || year < 0) return NaN;
  const day = Math.min(local.getUTCDate(), daysInMonth(year, month));
  const target = new Date(local.getTime());
  target.setUTCFullYear(year, month, day);
  return target.getTime() - CHINA_OFFSET_MS;
}

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month + 1, 0);
  return d.getUTCDate();
}

// Extended (2026-05-01T09:00:00.5+08:00) and basic (20260501T090000Z) forms; a date alone is 00:00.
const EXTENDED = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const BASIC = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?:\d{2})?)?)?$/i;

/** An ISO 8601 calendar date-time; without an offset it is China time. Returns epoch ms. */
export function parseDateTime(text: string): number {
  const value = text.trim();
  const m = EXTENDED.exec(value) ?? BASIC.exec(value);
  if (!m) throw new IsoSyntaxError('expected YYYY-MM-DD, then THH:MM[:SS] and an offset (2026-05-01T09:00:00+08:00)');
  const [year, month, day, hour = 0, minute = 0, second = 0] = m
    .slice(1, 7)
    .map((p) => (p === undefined ? undefined : Number(p)));
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month! - 1)) {
    throw new IsoSyntaxError('no such date');
  }
  if (hour > 23 || minute > 59 || second > 59) throw new IsoSyntaxError('no such time of day');
  const ms = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const offset = offsetMillis(m[8]);
  const d = new Date(0);
  d.setUTCFullYear(year!, month! - 1, day!);
  d.setUTCHours(hour, minute, second, Math.floor(ms));
  return d.getTime() - offset;
}

function offsetMillis(zone: string | undefined): number {
  if (zone === undefined) return CHINA_OFFSET_MS;
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) throw new IsoSyntaxError('no such time zone offset');
  return sign * (hours * HOUR + minutes * 60_000);
}

const CYCLE_EXPECTED = 'expected R<count>/<duration> or R<count>/<start>/<duration> (R3/PT10H, R/P1D)';

/**
 * A repeating interval: `R5/PT1H`, `R/P1D`, `R3/<start>/<duration>`; a bare duration is one occurrence.
 * Forms counted back from an end (`R3/PT1H/<end>`, `<start>/<end>`) are refused.
 */
export function parseCycle(text: string): IsoCycle {
  const value = text.trim();
  const m = /^R([^/]*)\/(.*)$/i.exec(value);
  if (!m) {
    if (/^[-−]?P/i.test(value)) return { repeat: 1, start: null, period: parseDuration(value) };
    throw new IsoSyntaxError(CYCLE_EXPECTED);
  }
  let repeat: number | null = null;
  if (m[1] !== '') {
    if (!/^\d+$/.test(m[1])) throw new IsoSyntaxError(`the repetition count '${m[1]}' is not a whole number`);
    repeat = m[1].length > MAX_DIGITS ? Number.POSITIVE_INFINITY : Number(m[1]);
  }
  const parts = m[2].split('/');
  if (parts.length === 1) return { repeat, start: null, period: parseDuration(parts[0]) };
  if (parts.length === 2 && /^[-−]?P/i.test(parts[0])) {
    throw new IsoSyntaxError('a cycle counted back from an end date is not supported; write R<n>/<start>/<duration>');
  }
  if (parts.length === 2 && /^[-−]?P/i.test(parts[1])) {
    return { repeat, start: parseDateTime(parts[0]), period: parseDuration(parts[1]) };
  }
  throw new IsoSyntaxError(CYCLE_EXPECTED);
}

/** A duration written back in ISO 8601, for messages (`PT1M`, `P1DT2H`). */
export function formatDuration(d: IsoDuration): string {
  const unit = (n: number, u: string) => (n ? `${n}${u}` : '');
  const date = `${unit(d.years, 'Y')}${unit(d.months, 'M')}${unit(d.weeks, 'W')}${unit(d.days, 'D')}`;
  const time = `${unit(d.hours, 'H')}${unit(d.minutes, 'M')}${unit(d.seconds, 'S')}`;
  return date || time ? `P${date}${time ? `T${time}` : ''}` : 'PT0S';
}
