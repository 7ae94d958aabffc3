import {
  IsoSyntaxError,
  addDuration,
  fixedMillis,
  formatDuration,
  isZero,
  parseCycle,
  parseDateTime,
  parseDuration,
  shortestMillis,
} from './iso8601.js';

const china = (local: string) => Date.parse(`${local}+08:00`);

describe('parseDuration', () => {
  it('reads every unit, fractions on the smallest, both decimal signs', () => {
    const all = { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 };
    expect(parseDuration('P1Y2M3W4DT5H6M7S')).toEqual(all);
    expect(parseDuration('PT10M')).toMatchObject({ minutes: 10 });
    expect(parseDuration('PT1.5H')).toMatchObject({ hours: 1.5 });
    expect(parseDuration('P0,5D')).toMatchObject({ days: 0.5 });
    expect(fixedMillis(parseDuration('P1W1DT1H1M1.25S'))).toBe(8 * 86_400_000 + 3_661_250);
  });

  it.each([
    ['-PT1H', /negative/],
    ['PT-1H', /negative/],
    ['−PT1H', /negative/],
    ['+PT1H', /no sign/],
    ['P', /expected P/],
    ['PT', /expected P/],
    ['P1DT', /expected P/],
    ['1H', /expected P/],
    ['PT1H30', /expected P/],
    ['P1.5Y', /fractions of years/],
    ['PT1.5H30M', /smallest unit/],
    ['PT1234567890S', /too large/],
    ['pt1h', /expected P/],
  ])('refuses %s', (text, reason) => {
    expect(() => parseDuration(text)).toThrow(IsoSyntaxError);
    expect(() => parseDuration(text)).toThrow(reason);
  });

  it('knows a zero duration and the shortest a calendar one lasts', () => {
    expect(isZero(parseDuration('PT0S'))).toBe(true);
    expect(isZero(parseDuration('P0Y0M0DT0H'))).toBe(true);
    expect(isZero(parseDuration('PT0.001S'))).toBe(false);
    expect(shortestMillis(parseDuration('P1M'))).toBe(28 * 86_400_000);
    expect(shortestMillis(parseDuration('P1Y'))).toBe(365 * 86_400_000);
    expect(formatDuration(parseDuration('P1DT2H'))).toBe('P1DT2H');
    expect(formatDuration(parseDuration('PT0S'))).toBe('PT0S');
  });
});

describe('addDuration', () => {
  it('adds months in China time, clamping to the month end, as java.time does', () => {
    expect(addDuration(china('2026-01-31T09:00:00'), parseDuration('P1M'))).toBe(china('2026-02-28T09:00:00'));
    expect(addDuration(china('2024-01-31T09:00:00'), parseDuration('P1M'))).toBe(china('2024-02-29T09:00:00'));
    // 00:30 China time is the previous day in UTC: the month is still China's.
    expect(addDuration(china('2026-03-31T00:30:00'), parseDuration('P1M'))).toBe(china('2026-04-30T00:30:00'));
    expect(addDuration(china('2017-12-31T10:00:00'), parseDuration('P6M'))).toBe(china('2018-06-30T10:00:00'));
    expect(addDuration(china('2026-03-02T00:00:00'), parseDuration('P1Y2M3DT4H'))).toBe(china('2027-05-05T04:00:00'));
  });

  it('multiplies in one step, with no loop over the occurrences', () => {
    const start = china('2026-01-01T00:00:00');
    expect(addDuration(start, parseDuration('PT1H'), 1_000_000)).toBe(start + 1_000_000 * 3_600_000);
    expect(addDuration(start, parseDuration('P1M'), 12 * 50)).toBe(china('2076-01-01T00:00:00'));
    expect(Number.isNaN(addDuration(start, parseDuration('P1Y'), 100_000))).toBe(true);
  });
});

describe('parseDateTime', () => {
  it('reads extended and basic forms, offsets, fractions; no offset is China time', () => {
    expect(parseDateTime('2026-05-01T09:00:00+08:00')).toBe(Date.parse('2026-05-01T01:00:00Z'));
    expect(parseDateTime('2026-05-01T09:00:00')).toBe(Date.parse('2026-05-01T01:00:00Z'));
    expect(parseDateTime('2026-05-01T09:00Z')).toBe(Date.parse('2026-05-01T09:00:00Z'));
    expect(parseDateTime('2026-05-01T09:00:00.250-0130')).toBe(Date.parse('2026-05-01T10:30:00.250Z'));
    expect(parseDateTime('2026-05-01')).toBe(Date.parse('2026-04-30T16:00:00Z'));
    expect(parseDateTime('20260501T090000Z')).toBe(Date.parse('2026-05-01T09:00:00Z'));
    expect(parseDateTime(new Date(Date.UTC(2026, 2, 2)).toISOString())).toBe(Date.UTC(2026, 2, 2));
  });

  const bad = ['2026-02-30', '2026-13-01T00:00', '2026-05-01T24:00', '2026-05-01T09:60', '2026-05-01T09:00+15:00'];
  it.each([...bad, 'tomorrow', '2026-W18-5', ''])('refuses %s', (text) => {
    expect(() => parseDateTime(text)).toThrow(IsoSyntaxError);
  });
});

describe('parseCycle', () => {
  it('reads a count, no count, a start date, and a bare duration as one occurrence', () => {
    expect(parseCycle('R3/PT10H')).toEqual({ repeat: 3, start: null, period: expect.objectContaining({ hours: 10 }) });
    expect(parseCycle('R/P1D')).toEqual({ repeat: null, start: null, period: expect.objectContaining({ days: 1 }) });
    expect(parseCycle('R5/2026-05-01T09:00:00+08:00/P1D')).toEqual({
      repeat: 5,
      start: Date.parse('2026-05-01T01:00:00Z'),
      period: expect.objectContaining({ days: 1 }),
    });
    expect(parseCycle('PT1H')).toEqual({ repeat: 1, start: null, period: expect.objectContaining({ hours: 1 }) });
    expect(parseCycle('R99999999999999999999/PT1H').repeat).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    ['0/5 0/1 * 1/1 * ?', /expected R<count>/],
    ['R3', /expected R<count>/],
    ['R-1/PT1H', /not a whole number/],
    ['Rx/PT1H', /not a whole number/],
    ['R3/PT1H/2026-05-01T00:00:00Z', /counted back from an end/],
    ['R3/2026-05-01T00:00:00Z/2026-06-01T00:00:00Z', /expected R<count>/],
    ['R/PT-1H', /negative/],
    ['R3/2026-02-30T00:00:00Z/P1D', /no such date/],
  ])('refuses %s', (text, reason) => {
    expect(() => parseCycle(text)).toThrow(reason);
  });
});
