import { addMonths, chinaDate, daysBetween, isValidDate } from './china-date.js';
import { nextRoundCode, overdueDays, recheckDate, tierOf } from './problem-rules.js';

describe('problem rules', () => {
  it('dates problems in China time', () => {
    expect(chinaDate(Date.parse('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(chinaDate(Date.parse('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
  });

  it('adds months clamped to the end of the month', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-01-15', 12)).toBe('2027-01-15');
    expect(recheckDate('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('tiers by the span from assignment to deadline: ≤ 3 months short, ≤ 1 year medium, else long', () => {
    expect(tierOf('2026-03-02', '2026-06-02')).toBe('short');
    expect(tierOf('2026-03-02', '2026-06-03')).toBe('medium');
    expect(tierOf('2026-03-02', '2027-03-02')).toBe('medium');
    expect(tierOf('2026-03-02', '2027-03-03')).toBe('long');
  });

  it('counts overdue days for open problems up to today and for signed-off ones up to sign-off', () => {
    const now = Date.parse('2026-04-10T02:00:00Z');
    expect(overdueDays({ status: 'rectifying', deadline: '2026-04-01', signedOffAt: null }, now)).toBe(9);
    expect(overdueDays({ status: 'rectifying', deadline: '2026-04-30', signedOffAt: null }, now)).toBe(0);
    expect(
      overdueDays({ status: 'closed', deadline: '2026-04-01', signedOffAt: new Date('2026-04-04T03:00:00Z') }, now),
    ).toBe(3);
    expect(overdueDays({ status: 'rebounded', deadline: '2026-04-01', signedOffAt: null }, now)).toBe(0);
  });

  it('names rebound rounds after the first code', () => {
    expect(nextRoundCode('TM-001', 2)).toBe('TM-001-R2');
    expect(nextRoundCode('TM-001-R2', 3)).toBe('TM-001-R3');
  });
});
