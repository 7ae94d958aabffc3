import {
  IsoSyntaxError,
  LATEST_INSTANT,
  addDuration,
  fixedMillis,
  formatDuration,
  isZero,
  parseCycle,
  parseDateTime,
  parseDuration,
  shortestMillis,
  type IsoDuration,
} from '../../common/iso8601.js';

export type TimerType = 'timeDate' | 'timeDuration' | 'timeCycle';

/** What a timer may ask for: one rule at deploy, when a variable is resolved, and when a stored timer resumes. */
export interface TimerLimits {
  /** The shortest period of a duration or a cycle, in ms (DUBAN_MIN_TIMER_PERIOD). */
  minPeriodMs: number;
  /** The most occurrences of a cycle; `R/…` without a count repeats this often (DUBAN_MAX_TIMER_REPEAT). */
  maxRepeat: number;
}

export const DEFAULT_TIMER_LIMITS: TimerLimits = { minPeriodMs: 60_000, maxRepeat: 1000 };

export type TimerSpec =
  | { type: 'timeDate'; source: string; at: number }
  | { type: 'timeDuration'; source: string; period: IsoDuration }
  /** `repeat` is the number of occurrences, the cap for `R/…`. */
  | { type: 'timeCycle'; source: string; repeat: number; start: number | null; period: IsoDuration };

export interface TimerExpiry {
  expireAt: number;
  /** Occurrences left, this one included (cycles only). */
  repeat?: number;
}

/** A timer value the service will not run; the message names the value and says why. */
export class TimerValueError extends Error {
  readonly code = 'TIMER_VALUE';
  constructor(
    readonly value: string,
    readonly reason: string,
    /** The timer's element, when known (at run time). */
    readonly element?: string,
  ) {
    super(`${element ? `timer ${element}: ` : ''}'${value}' ${reason}`);
    this.name = 'TimerValueError';
  }
}

/** A value that is not the ISO 8601 form asked for at all (it may still be one of the calendar's literals). */
export class TimerSyntaxError extends TimerValueError {}

const FORMS: Record<TimerType, string> = {
  timeDate: 'date-time (e.g. 2026-05-01T09:00:00+08:00)',
  timeDuration: 'duration (e.g. PT10M)',
  timeCycle: 'cycle (e.g. R3/PT10H; cron is not supported)',
};
const DAY = 86_400_000;
const AVERAGE_MONTH = 30.436875 * DAY;

/** Parses and checks a timer value against the limits; throws TimerValueError naming it. */
export function parseTimer(type: TimerType, value: string, limits: TimerLimits): TimerSpec {
  const source = String(value).trim();
  let spec: TimerSpec;
  try {
    if (type === 'timeDate') spec = { type, source, at: parseDateTime(source) };
    else if (type === 'timeDuration') spec = { type, source, period: parseDuration(source) };
    else {
      const c = parseCycle(source);
      spec = { type, source, repeat: checkRepeat(source, c.repeat, limits), start: c.start, period: c.period };
    }
  } catch (err) {
    if (!(err instanceof IsoSyntaxError)) throw err;
    if (/negative/.test(err.message)) {
      throw new TimerValueError(source, `is negative: a timer only counts forward${floor(limits)}`);
    }
    throw new TimerSyntaxError(source, `is not an ISO 8601 ${FORMS[type]}: ${err.message}`);
  }
  if (spec.type === 'timeDate') {
    if (spec.at > LATEST_INSTANT) throw new TimerValueError(source, 'falls after the year 9999');
    return spec;
  }
  const { period } = spec;
  if (isZero(period)) throw new TimerValueError(source, `has a period of zero${floor(limits)}`);
  if (shortestMillis(period) < limits.minPeriodMs) {
    const shortest = `${isoMillis(limits.minPeriodMs)}, the shortest allowed (DUBAN_MIN_TIMER_PERIOD)`;
    throw new TimerValueError(source, `has a period of ${formatDuration(period)}, shorter than ${shortest}`);
  }
  return spec;
}

function floor(limits: TimerLimits): string {
  return `; the shortest period allowed is ${isoMillis(limits.minPeriodMs)} (DUBAN_MIN_TIMER_PERIOD)`;
}

function checkRepeat(source: string, repeat: number | null, limits: TimerLimits): number {
  if (repeat === null) return limits.maxRepeat;
  if (repeat === 0) throw new TimerValueError(source, 'repeats zero times: it would never fire');
  if (repeat > limits.maxRepeat) {
    const count = Number.isFinite(repeat) ? `${repeat} times, more than` : 'more often than';
    throw new TimerValueError(source, `repeats ${count} the ${limits.maxRepeat} allowed (DUBAN_MAX_TIMER_REPEAT)`);
  }
  return repeat;
}

/** When the timer falls due if it starts at `now`, in O(1): no iteration over past occurrences. */
export function nextExpiry(spec: TimerSpec, now: number): TimerExpiry {
  let out: TimerExpiry;
  if (spec.type === 'timeDate') out = { expireAt: spec.at };
  else if (spec.type === 'timeDuration') out = { expireAt: addDuration(now, spec.period) };
  else if (spec.start === null) out = { expireAt: addDuration(now, spec.period), repeat: spec.repeat };
  else {
    const k = nextOccurrence(spec, now);
    // Every occurrence is past: it fires once, now, as a missed date does.
    out =
      k < spec.repeat
        ? { expireAt: occurrence(spec, k), repeat: spec.repeat - k }
        : { expireAt: occurrence(spec, spec.repeat - 1), repeat: 1 };
  }
  if (!Number.isFinite(out.expireAt) || out.expireAt > LATEST_INSTANT) {
    throw new TimerValueError(spec.source, 'falls after the year 9999');
  }
  return out;
}

/** Occurrences of a cycle still to come after `now` (for a cycle with a start date; otherwise null). */
export function occurrencesAfter(spec: TimerSpec, now: number): number | null {
  if (spec.type !== 'timeCycle' || spec.start === null) return null;
  return spec.repeat - nextOccurrence(spec, now);
}

function occurrence(spec: Extract<TimerSpec, { type: 'timeCycle' }>, k: number): number {
  return addDuration(spec.start!, spec.period, k);
}

/** Index of the first occurrence after `now` (start + k × period), at most `repeat`. */
function nextOccurrence(spec: Extract<TimerSpec, { type: 'timeCycle' }>, now: number): number {
  const start = spec.start!;
  if (now < start) return 0;
  const months = spec.period.years * 12 + spec.period.months;
  const fixed = fixedMillis(spec.period);
  if (!months) return Math.min(spec.repeat, Math.floor((now - start) / fixed) + 1);
  // Months vary in length: estimate, then correct by the step or two the estimate can be off.
  let k = Math.min(spec.repeat, Math.max(0, Math.floor((now - start) / (months * AVERAGE_MONTH + fixed))));
  for (let i = 0; i < 4 && k < spec.repeat && occurrence(spec, k) <= now; i++) k++;
  for (let i = 0; i < 4 && k > 0 && occurrence(spec, k - 1) > now; i++) k--;
  return k;
}

/** A working-day literal resolved by the calendar: a date, at most `maxRepeat` occurrences. */
export function checkLiteral(value: string, literal: TimerExpiry, limits: TimerLimits): TimerExpiry {
  if (!Number.isFinite(literal.expireAt) || literal.expireAt > LATEST_INSTANT) {
    throw new TimerValueError(value, 'does not resolve to a date');
  }
  if (literal.repeat !== undefined) checkRepeat(value, literal.repeat, limits);
  return literal;
}

/** A stored repetition count as the limits allow it: `-1` (endless, as stored before the cap) becomes the cap. */
export function cappedRepeat(repeat: unknown, limits: TimerLimits): number | undefined {
  if (typeof repeat !== 'number' || Number.isNaN(repeat)) return undefined;
  return repeat < 0 || repeat > limits.maxRepeat ? limits.maxRepeat : repeat;
}

/** Milliseconds as an ISO 8601 duration, for messages and settings (60000 → PT1M). */
export function isoMillis(ms: number): string {
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  const s = (rest - m * 60_000) / 1000;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  return days || time ? `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}` : 'PT0S';
}
