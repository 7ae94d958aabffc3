import { chineseDaysCalendar } from './chinese-days-data.js';
import { provisionalHolidays } from './provisional-year.js';
import {
  CalendarInputError,
  UnknownYearError,
  WorkdayCalendar,
  baseDate,
  checkYearInput,
  chinaDate,
  endOfChinaDay,
  parseWorkdaysLiteral,
  resolveOverdueLiteral,
  resolveWorkdaysLiteral,
} from './workday-rules.js';

const data = chineseDaysCalendar();
const cal = new WorkdayCalendar([...data.years.values()].flat(), data.years.keys());
const china = (local: string) => Date.parse(`${local}+08:00`);

describe('the chinese-days data', () => {
  it('covers 2004–2026 with the 2017 National Day arrangement', () => {
    expect([...data.years.keys()]).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    const y2017 = data.years.get(2017)!;
    expect(y2017).toContainEqual({ date: '2017-09-30', kind: 'workday', name: '国庆节' });
    expect(y2017).toContainEqual({ date: '2017-10-01', kind: 'holiday', name: '国庆节' });
    expect(y2017).toContainEqual({ date: '2017-10-04', kind: 'holiday', name: '中秋' });
  });
});

describe('isWorkday', () => {
  it('follows holidays, make-up working days and weekends', () => {
    expect(cal.isWorkday('2017-09-29')).toBe(true); // Friday
    expect(cal.isWorkday('2017-09-30')).toBe(true); // Saturday, 调休 make-up working day
    expect(cal.isWorkday('2017-10-02')).toBe(false); // Monday, National Day
    expect(cal.isWorkday('2017-10-07')).toBe(false); // Saturday, holiday
    expect(cal.isWorkday('2017-10-08')).toBe(false); // Sunday, holiday
    expect(cal.isWorkday('2017-10-09')).toBe(true);
    expect(cal.isWorkday('2017-10-14')).toBe(false); // an ordinary Saturday
    expect(cal.isWorkday('2026-10-10')).toBe(true); // Saturday make-up day after National Day 2026
  });

  it('refuses a year without data, naming it', () => {
    expect(() => cal.isWorkday('2027-03-01')).toThrow(UnknownYearError);
    expect(() => cal.isWorkday('2027-03-01')).toThrow(/2027/);
  });
});

describe('addWorkdays', () => {
  it('counts across the 2017 National Day holiday (Oct 1–8, Sep 30 a make-up working day)', () => {
    expect(cal.addWorkdays('2017-09-28', 1)).toBe('2017-09-29');
    expect(cal.addWorkdays('2017-09-28', 2)).toBe('2017-09-30');
    expect(cal.addWorkdays('2017-09-28', 3)).toBe('2017-10-09');
    expect(cal.addWorkdays('2017-09-29', 1)).toBe('2017-09-30');
    expect(cal.addWorkdays('2017-09-30', 1)).toBe('2017-10-09');
    expect(cal.addWorkdays('2017-10-01', 1)).toBe('2017-10-09');
    expect(cal.addWorkdays('2017-10-08', 5)).toBe('2017-10-13');
  });

  it('counts 15 working days from 2026-09-25 over Mid-Autumn and National Day 2026', () => {
    expect(cal.addWorkdays('2026-09-25', 15)).toBe('2026-10-22');
  });

  it('counts backwards with a negative offset', () => {
    expect(cal.addWorkdays('2017-10-09', -1)).toBe('2017-09-30');
    expect(cal.addWorkdays('2017-10-09', -2)).toBe('2017-09-29');
    expect(cal.addWorkdays('2017-10-09', -3)).toBe('2017-09-28');
    expect(cal.addWorkdays('2026-10-22', -15)).toBe('2026-09-24'); // 09-25 is Mid-Autumn
    expect(cal.addWorkdays('2026-10-12', -1)).toBe('2026-10-10'); // the Saturday make-up day
  });

  it('returns the day itself for 0 on a working day, else the next working day', () => {
    expect(cal.addWorkdays('2017-09-30', 0)).toBe('2017-09-30');
    expect(cal.addWorkdays('2017-10-01', 0)).toBe('2017-10-09');
    expect(cal.addWorkdays('2017-10-14', 0)).toBe('2017-10-16');
  });

  it('makes a weekend make-up day count', () => {
    // 2026-09-20 is a Sunday worked for National Day; 2026-09-18 is a Friday.
    expect(cal.addWorkdays('2026-09-18', 1)).toBe('2026-09-20');
    expect(cal.addWorkdays('2026-09-21', -1)).toBe('2026-09-20');
  });

  it('throws UnknownYearError naming the first year without data, never guessing weekdays', () => {
    expect(() => cal.addWorkdays('2026-12-20', 15)).toThrow(UnknownYearError);
    try {
      cal.addWorkdays('2026-12-20', 15);
    } catch (e) {
      expect((e as UnknownYearError).year).toBe(2027);
      expect((e as Error).message).toMatch(/2027/);
      expect((e as UnknownYearError).status).toBe(422);
    }
    expect(() => cal.addWorkdays('2004-01-05', -5)).toThrow(/2003/);
    expect(() => cal.addWorkdays('2027-01-05', 1)).toThrow(/2027/);
    expect(() => cal.addWorkdays('2027-01-05', 0)).toThrow(/2027/);
  });

  it('computes into a year once it is added', () => {
    const next = cal.withYear(2027, [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect(next.addWorkdays('2026-12-25', 5)).toBe('2027-01-04');
    expect(cal.knows(2027)).toBe(false);
  });

  it('refuses a bad date or count', () => {
    expect(() => cal.addWorkdays('2026-02-30', 1)).toThrow(CalendarInputError);
    expect(() => cal.addWorkdays('2026-02-01', 1.5)).toThrow(CalendarInputError);
  });
});

describe('working-day literals', () => {
  it('parses workdays(N) and workdays(N, BASE)', () => {
    expect(parseWorkdaysLiteral('workdays(5)')).toEqual({ n: 5, base: null });
    expect(parseWorkdaysLiteral(' workdays( -5 , 2026-10-22 ) ')).toEqual({ n: -5, base: '2026-10-22' });
    expect(parseWorkdaysLiteral("workdays(0, '2026-10-22')")).toEqual({ n: 0, base: '2026-10-22' });
    expect(parseWorkdaysLiteral('PT1H')).toBeNull();
    expect(parseWorkdaysLiteral('2026-10-22T09:00:00+08:00')).toBeNull();
    expect(() => parseWorkdaysLiteral('workdays(five)')).toThrow(/不是工作日表达式/);
    expect(() => parseWorkdaysLiteral('workdays(99999)')).toThrow(/最多 3650 个工作日/);
  });

  it('fires at 00:00 China time after the computed working day', () => {
    const r = resolveWorkdaysLiteral(cal, 'workdays(0, 2026-10-22)', 0)!;
    expect(r.date).toBe('2026-10-22');
    expect(r.expireAt).toBe(china('2026-10-23T00:00:00'));
    expect(new Date(r.expireAt).toISOString()).toBe('2026-10-22T16:00:00.000Z');
  });

  it('counts workdays(N) from the China date of now', () => {
    expect(resolveWorkdaysLiteral(cal, 'workdays(15)', china('2026-09-25T10:00:00'))!.date).toBe('2026-10-22');
    // 2026-09-24T17:00Z is already 09-25 01:00 in China.
    expect(resolveWorkdaysLiteral(cal, 'workdays(15)', Date.parse('2026-09-24T17:00:00Z'))!.date).toBe('2026-10-22');
    // 23:00 on 09-29 in China is still the 29th; 01:00 on the 30th is the 30th.
    expect(resolveWorkdaysLiteral(cal, 'workdays(1)', Date.parse('2026-09-29T15:00:00Z'))!.date).toBe('2026-09-30');
    expect(resolveWorkdaysLiteral(cal, 'workdays(1)', Date.parse('2026-09-29T17:00:00Z'))!.date).toBe('2026-10-08');
  });

  it('accepts a date, an ISO datetime or a JS date string as base', () => {
    expect(baseDate('2026-10-22', 'x')).toBe('2026-10-22');
    expect(baseDate('2026-10-21T20:00:00Z', 'x')).toBe('2026-10-22');
    expect(baseDate('2026-10-22T07:59:59.999+08:00', 'x')).toBe('2026-10-22');
    expect(baseDate('2026-10-22T23:00:00', 'x')).toBe('2026-10-22'); // no offset: China time
    expect(baseDate(String(new Date('2026-10-22T01:00:00+08:00')), 'x')).toBe('2026-10-22');
    expect(() => baseDate('', 'workdays(0, )')).toThrow(/起算日期为空/);
    expect(() => baseDate('tomorrow', 'x')).toThrow(/不是日期/);
    expect(() => baseDate('2026-13-01', 'x')).toThrow(/不是日期/);
  });

  it('counts negative offsets from the base', () => {
    // 5 working days before 2026-10-22: 21, 20, 19, 16, 15.
    expect(resolveWorkdaysLiteral(cal, 'workdays(-5, 2026-10-22)', 0)!.expireAt).toBe(china('2026-10-16T00:00:00'));
  });

  it('throws an error naming the year for a literal reaching an unknown year', () => {
    expect(() => resolveWorkdaysLiteral(cal, 'workdays(10, 2026-12-25)', 0)).toThrow(
      /workdays\(10, 2026-12-25\).*2027/,
    );
    expect(() => resolveWorkdaysLiteral(cal, 'workdays(3)', china('2027-02-01T09:00:00'))).toThrow(/2027/);
  });

  it('accepts an unsubstituted template base as syntax only (deploy-time check)', () => {
    const r = resolveWorkdaysLiteral(cal, 'workdays(-5, ${environment.variables.deadline})', 0)!;
    expect(r.date).toBeNull();
    expect(r.expireAt).toBeNaN();
  });

  it('ends a China day at midnight +08:00', () => {
    expect(endOfChinaDay('2026-12-31')).toBe(Date.parse('2026-12-31T16:00:00Z'));
    expect(chinaDate(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });
});

describe('checkYearInput', () => {
  it('accepts a well-formed year', () => {
    expect(
      checkYearInput(2027, {
        holidays: [{ date: '2027-01-01', name: '元旦' }],
        workdays: [{ date: '2027-02-06', name: '春节' }],
      }),
    ).toEqual([]);
  });

  it('names what is wrong', () => {
    const problems = checkYearInput(2027, {
      holidays: [
        { date: '2027-01-01' },
        { date: '2026-12-31' },
        { date: '2027-02-06' },
        { date: '2027-01-01' },
        { date: '2027-02-30' },
      ],
      workdays: [{ date: '2027-02-06' }, { date: '2027-02-08' }],
    });
    expect(problems).toEqual([
      { field: 'holidays[1].date', message: '2026-12-31 不在 2027 年内' },
      { field: 'holidays[3].date', message: '2027-01-01 在节假日中重复列出' },
      { field: 'holidays[4].date', message: '“2027-02-30”不是日期（应为 YYYY-MM-DD）' },
      { field: 'workdays[0].date', message: '2027-02-06 同时列为节假日和调休上班日' },
      expect.objectContaining({ field: 'workdays[1].date', message: expect.stringMatching(/周六或周日/) }),
    ]);
    expect(checkYearInput(1800, { holidays: [], workdays: [] })[0].field).toBe('year');
  });
});

describe('a provisional year (no announced arrangement)', () => {
  const prov = new WorkdayCalendar([...data.years.values()].flat(), data.years.keys(), provisionalHolidays);

  it('computes 2027 from the lunar calendar and the solar terms, with 补假 for holidays on a weekend', () => {
    const days = provisionalHolidays(2027)!.map((d) => `${d.date} ${d.name}`);
    expect(days).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 春节', // 除夕, Friday
      '2027-02-06 春节', // 初一, Saturday
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-02-09 春节（补假）',
      '2027-02-10 春节（补假）',
      '2027-04-05 清明',
      '2027-05-01 劳动节', // Saturday
      '2027-05-02 劳动节', // Sunday
      '2027-05-03 劳动节（补假）',
      '2027-05-04 劳动节（补假）',
      '2027-06-09 端午',
      '2027-09-15 中秋',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
      '2027-10-04 国庆节（补假）',
      '2027-10-05 国庆节（补假）',
    ]);
  });

  it('finds the statutory days the announced 2026 arrangement has', () => {
    const announced = new Set(
      data.years
        .get(2026)!
        .filter((d) => d.kind === 'holiday')
        .map((d) => d.date),
    );
    const statutory = provisionalHolidays(2026)!.filter((d) => !d.name!.includes('补假'));
    expect(statutory.map((d) => d.date).filter((d) => !announced.has(d))).toEqual([]);
  });

  it('counts into 2027 and says which years were provisional', () => {
    expect(prov.knows(2027)).toBe(false);
    expect(prov.isProvisional(2027)).toBe(true);
    expect(prov.isProvisional(2026)).toBe(false);
    expect(prov.addWorkdays('2026-12-31', 1)).toBe('2027-01-04');
    expect(prov.addWorkdays('2027-02-04', 1)).toBe('2027-02-11');
    const r = resolveWorkdaysLiteral(prov, 'workdays(-5, 2027-01-08)', 0)!;
    expect(r.date).toBe('2026-12-31');
    expect(r.provisionalYears).toEqual([2027]);
    expect(resolveWorkdaysLiteral(prov, 'workdays(5, 2026-10-08)', 0)!.provisionalYears).toEqual([]);
    expect(prov.day('2027-02-09')).toEqual({
      date: '2027-02-09',
      workday: false,
      kind: 'holiday',
      name: '春节（补假）',
      provisional: true,
    });
  });

  it('an announced year replaces the rule, and a year the lunar tables do not cover is still refused', () => {
    const announced = prov.withYear(2027, [{ date: '2027-02-11', kind: 'holiday', name: '春节' }]);
    expect(announced.isProvisional(2027)).toBe(false);
    expect(announced.addWorkdays('2027-02-08', 1)).toBe('2027-02-09');
    expect(() => prov.addWorkdays('2100-01-04', 1)).toThrow(UnknownYearError);
  });
});

describe('overdue(DUE, EVERY, TIMES): the chase of an overdue task', () => {
  const at = (v: string, now: string, repeating = false) => {
    const r = resolveOverdueLiteral(cal, v, china(now), repeating)!;
    return { at: new Date(r.expireAt).toISOString(), repeat: r.repeat };
  };

  it('first chases at 09:00 of the working day after the due date, over National Day 2017', () => {
    // Due 29 September 2017 (Friday); 30 September is a make-up working day.
    expect(at('overdue(2017-09-29, 3, 5)', '2017-09-20T10:00:00')).toEqual({
      at: '2017-09-30T01:00:00.000Z',
      repeat: 5,
    });
    // Due 30 September: the next working day is 9 October, after the holiday.
    expect(at('overdue(workdays(0, 2017-09-30), 3, 5)', '2017-09-20T10:00:00')).toEqual({
      at: '2017-10-09T01:00:00.000Z',
      repeat: 5,
    });
  });

  it('repeats every EVERY working days from the chase that fired, and counts the past ones on arrival', () => {
    expect(at('overdue(2017-09-29, 3, 5)', '2017-10-09T09:00:00', true).at).toBe('2017-10-12T01:00:00.000Z');
    // Arriving late: 9 Oct and 12 Oct are past, the next is 17 Oct (12 Oct + 3 working days), 2 left after.
    expect(at('overdue(2017-09-30, 3, 5)', '2017-10-13T10:00:00')).toEqual({
      at: '2017-10-17T01:00:00.000Z',
      repeat: 3,
    });
    // Every chase past: once, now.
    expect(at('overdue(2017-01-03, 3, 2)', '2017-10-13T10:00:00')).toEqual({
      at: '2017-10-13T02:00:00.000Z',
      repeat: 1,
    });
  });

  it('is no literal for other values, and refuses bad counts in Chinese', () => {
    expect(resolveOverdueLiteral(cal, 'workdays(3)', 0)).toBeNull();
    expect(() => resolveOverdueLiteral(cal, 'overdue(2017-09-29, 0, 5)', 0)).toThrow(/催办间隔/);
    expect(() => resolveOverdueLiteral(cal, 'overdue(2017-09-29, 3, 500)', 0)).toThrow(/催办次数/);
    expect(() => resolveOverdueLiteral(cal, 'overdue(2017-09-29)', 0)).toThrow(/逾期催办表达式/);
    // At deploy, before the engine substitutes the settings.
    expect(
      resolveOverdueLiteral(cal, 'overdue(workdays(${environment.variables.n}), ${environment.variables.e}, 5)', 0)!
        .expireAt,
    ).toBeNaN();
  });
});
