import {
  DEFAULT_TIMER_LIMITS,
  TimerValueError,
  cappedRepeat,
  checkLiteral,
  isoMillis,
  nextExpiry,
  occurrencesAfter,
  parseTimer,
  type TimerType,
} from './timer-rules.js';

const limits = DEFAULT_TIMER_LIMITS;
const HOUR = 3_600_000;
const now = Date.parse('2026-03-02T01:00:00Z');

function refusal(type: TimerType, value: string, l = limits): string {
  try {
    parseTimer(type, value, l);
  } catch (err) {
    expect(err).toBeInstanceOf(TimerValueError);
    return (err as Error).message;
  }
  throw new Error(`expected ${value} to be refused`);
}

describe('parseTimer: what a timer may ask for', () => {
  it.each<[TimerType, string, RegExp]>([
    ['timeCycle', 'R/PT0S', /^'R\/PT0S' has a period of zero; the shortest period allowed is PT1M \(DUBAN_MIN_TIMER/],
    ['timeDuration', 'PT0S', /^'PT0S' has a period of zero/],
    ['timeDuration', 'P0D', /period of zero/],
    ['timeDuration', '-PT1H', /^'-PT1H' is negative: a timer only counts forward/],
    ['timeDuration', 'PT-1H', /^'PT-1H' is negative/],
    ['timeCycle', 'R/-PT1H', /is negative/],
    ['timeDuration', 'PT1S', /^'PT1S' has a period of PT1S, shorter than PT1M, the shortest allowed \(DUBAN_MIN_/],
    ['timeCycle', 'R/PT0.5S', /shorter than PT1M/],
    ['timeCycle', 'R100000/PT1H', /^'R100000\/PT1H' repeats 100000 times, more than the 1000 allowed \(DUBAN_MAX_/],
    ['timeCycle', 'R99999999999999999999999/PT1H', /repeats more often than the 1000 allowed/],
    ['timeCycle', 'R0/PT1H', /repeats zero times/],
    ['timeCycle', '0 0/5 * * * ?', /is not an ISO 8601 cycle \(e\.g\. R3\/PT10H; cron is not supported\)/],
    ['timeDuration', 'R3/PT1H', /is not an ISO 8601 duration/],
    ['timeDate', '2026-02-30T09:00:00Z', /is not an ISO 8601 date-time.*no such date/],
    ['timeDate', 'PT1H', /is not an ISO 8601 date-time/],
  ])('%s %s is refused', (type, value, reason) => {
    expect(refusal(type, value)).toMatch(reason);
  });

  it('accepts what is at or above the floor and within the cap; R/… without a count repeats up to the cap', () => {
    expect(parseTimer('timeDuration', 'PT1M', limits)).toMatchObject({ type: 'timeDuration' });
    expect(parseTimer('timeCycle', 'R1000/PT1M', limits)).toMatchObject({ repeat: 1000 });
    expect(parseTimer('timeCycle', 'R/PT1H', limits)).toMatchObject({ repeat: 1000 });
    expect(parseTimer('timeCycle', 'R/PT1H', { ...limits, maxRepeat: 3 })).toMatchObject({ repeat: 3 });
    expect(parseTimer('timeCycle', 'P1M', limits)).toMatchObject({ repeat: 1 });
    const lax = { ...limits, minPeriodMs: 1000 };
    expect(parseTimer('timeDuration', 'PT1S', lax)).toMatchObject({ type: 'timeDuration' });
    const may = '2026-05-01T09:00:00+08:00';
    const at = Date.parse('2026-05-01T01:00:00Z');
    expect(parseTimer('timeDate', may, limits)).toEqual({ type: 'timeDate', source: may, at });
  });

  it('refuses what falls after the year 9999', () => {
    expect(refusal('timeDate', '10000-01-01')).toMatch(/not an ISO 8601/);
    const due = (value: string) => () => nextExpiry(parseTimer('timeDuration', value, limits), now);
    expect(due('P999999999Y')).toThrow(/falls after the year 9999/);
    expect(due('PT9999999H')).not.toThrow();
    expect(due('P999999999W')).toThrow(/year 9999/);
  });
});

describe('nextExpiry: O(1) from the parsed parts', () => {
  it('a duration and a cycle without a start count from now; a date is itself', () => {
    expect(nextExpiry(parseTimer('timeDuration', 'PT1H', limits), now)).toEqual({ expireAt: now + HOUR });
    expect(nextExpiry(parseTimer('timeCycle', 'R3/PT1H', limits), now)).toEqual({ expireAt: now + HOUR, repeat: 3 });
    const past = parseTimer('timeDate', '2020-01-01T00:00:00Z', limits);
    expect(nextExpiry(past, now)).toEqual({ expireAt: Date.UTC(2020, 0, 1) });
  });

  it('a cycle with a start: its first occurrence after now and how many are left', () => {
    const start = '2026-03-02T00:00:00Z';
    const spec = parseTimer('timeCycle', `R5/${start}/PT1H`, limits);
    const t0 = Date.parse(start);
    // Before the start: the start itself, all five left.
    expect(nextExpiry(spec, t0 - 1)).toEqual({ expireAt: t0, repeat: 5 });
    expect(nextExpiry(spec, t0)).toEqual({ expireAt: t0 + HOUR, repeat: 4 });
    expect(nextExpiry(spec, t0 + 2.5 * HOUR)).toEqual({ expireAt: t0 + 3 * HOUR, repeat: 2 });
    expect(occurrencesAfter(spec, t0 + 2.5 * HOUR)).toBe(2);
    // All past: once, now (its last occurrence), and nothing after.
    expect(nextExpiry(spec, t0 + 100 * HOUR)).toEqual({ expireAt: t0 + 4 * HOUR, repeat: 1 });
    expect(occurrencesAfter(spec, t0 + 100 * HOUR)).toBe(0);
    expect(occurrencesAfter(parseTimer('timeCycle', 'R5/PT1H', limits), now)).toBeNull();
  });

  it('a monthly cycle with a start finds its month without walking the months', () => {
    const spec = parseTimer('timeCycle', 'R1000/2017-01-31T09:00:00+08:00/P1M', limits);
    const t = Date.parse('2075-06-15T00:00:00+08:00');
    expect(new Date(nextExpiry(spec, t).expireAt).toISOString()).toBe('2075-06-30T01:00:00.000Z');
    expect(nextExpiry(spec, t).repeat).toBe(1000 - (58 * 12 + 5));
    for (const probe of ['2017-02-28T09:00:00+08:00', '2017-02-28T08:59:59+08:00', '2020-02-29T09:00:00+08:00']) {
      const at = Date.parse(probe);
      const next = nextExpiry(spec, at).expireAt;
      expect(next).toBeGreaterThan(at);
      expect(next - at).toBeLessThanOrEqual(31 * 86_400_000);
    }
  });
});

describe('the rest of the rules', () => {
  it('a calendar literal must resolve to a date; its repetitions within the cap', () => {
    expect(checkLiteral('workdays(5)', { expireAt: now }, limits)).toEqual({ expireAt: now });
    const template = () => checkLiteral('workdays(5, ${x})', { expireAt: NaN }, limits);
    expect(template).toThrow(/'workdays\(5, \$\{x\}\)' does not resolve to a date/);
    expect(() => checkLiteral('workdays(5)', { expireAt: now, repeat: 5000 }, limits)).toThrow(/repeats 5000 times/);
  });

  it('a stored endless repetition is capped', () => {
    expect(cappedRepeat(-1, limits)).toBe(1000);
    expect(cappedRepeat(5000, limits)).toBe(1000);
    expect(cappedRepeat(3, limits)).toBe(3);
    expect(cappedRepeat(undefined, limits)).toBeUndefined();
  });

  it('writes milliseconds back in ISO 8601', () => {
    expect(isoMillis(60_000)).toBe('PT1M');
    expect(isoMillis(90_061_500)).toBe('P1DT1H1M1.5S');
    expect(isoMillis(0)).toBe('PT0S');
  });
});
