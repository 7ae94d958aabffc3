import {
  computeBulletin,
  percent,
  rankUnits,
  scopeBulletin,
  type ProblemFact,
  type UnitStat,
} from './bulletin-rules.js';
import { addMonthsTo, lastDay, monthEnd, monthOf } from './month.js';

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const ASSIGNED = at('2017-08-03T09:00:00');
const LATER = at('2030-01-01T00:00:00');

function problem(code: string, over: Partial<ProblemFact> = {}): ProblemFact {
  return {
    id: code,
    code,
    title: `问题${code}`,
    leadUnit: 'HBJ',
    responsibleUnits: ['HBJ'],
    deadline: '2017-12-31',
    assignedAt: ASSIGNED,
    signedOffAt: null,
    ...over,
  };
}

describe('months (China time)', () => {
  it('ends a month at 00:00 UTC+8 of the next one', () => {
    expect(new Date(monthEnd('2017-12')).toISOString()).toBe('2017-12-31T16:00:00.000Z');
    expect(lastDay('2020-02')).toBe('2020-02-29');
    expect(addMonthsTo('2017-12', 1)).toBe('2018-01');
    expect(addMonthsTo('2018-01', -13)).toBe('2016-12');
    expect(monthOf(Date.parse('2017-08-31T16:30:00Z'))).toBe('2017-09');
  });
});

describe('computeBulletin', () => {
  const names = (c: string) => ({ HBJ: '市环保局', GAJ: '市公安局', SWJ: '市水务局', JLJD: '竟陵街道' })[c] ?? c;

  it('counts from dates as of the month end: on time, late, overdue, not yet due, signed off after the cut-off', () => {
    const problems = [
      problem('A', { deadline: '2017-10-31', signedOffAt: at('2017-10-27T10:00:00') }), // on time
      problem('B', { deadline: '2017-09-30', signedOffAt: at('2017-10-15T10:00:00') }), // late
      problem('C', { deadline: '2017-10-31' }), // overdue on 31 Oct's end
      problem('D', { deadline: '2017-12-31', signedOffAt: at('2017-11-02T10:00:00') }), // signed off after the cut-off
      problem('E', { deadline: '2017-10-31', signedOffAt: at('2017-10-31T23:59:00') }), // on its last day
      problem('F', { assignedAt: at('2017-11-01T09:00:00') }), // assigned after the month
    ];
    const b = computeBulletin('2017-10', LATER, problems, [], names);
    expect(b.asOf).toBe('2017-10-31T16:00:00.000Z');
    expect(b.units).toEqual([
      expect.objectContaining({
        unit: 'HBJ',
        assigned: 5,
        closed: 3,
        due: 4,
        onTime: 2,
        overdue: 1,
        onTimeRate: 0.5,
        rank: 1,
      }),
    ]);
    expect(b.units[0].overdueProblems.map((p) => p.code)).toEqual(['C']);
    expect(b.laggards).toEqual([
      { unit: 'HBJ', unitName: '市环保局', overdue: [expect.objectContaining({ code: 'C' })], missingReports: [] },
    ]);
  });

  it('cuts a month not over yet at now', () => {
    const b = computeBulletin(
      '2017-10',
      at('2017-10-20T12:00:00'),
      [problem('A', { deadline: '2017-10-19' }), problem('B', { deadline: '2017-10-20' })],
      [],
      names,
    );
    expect(b.asOf).toBe('2017-10-20T04:00:00.000Z');
    expect(b.units[0]).toMatchObject({ due: 1, overdue: 1 });
  });

  it('names units missing the monthly report, not for problems signed off meanwhile', () => {
    const problems = [
      problem('A'),
      problem('B'),
      problem('C', { signedOffAt: at('2017-09-10T09:00:00') }),
      problem('W', { leadUnit: 'SWJ' }),
    ];
    const reports = [
      { unit: 'HBJ', problemIds: ['A', 'B', 'C'], reportedIds: ['A'] },
      { unit: 'SWJ', problemIds: ['W'], reportedIds: ['W'] },
    ];
    const b = computeBulletin('2017-09', LATER, problems, reports, names);
    expect(b.laggards).toEqual([
      { unit: 'HBJ', unitName: '市环保局', overdue: [], missingReports: [expect.objectContaining({ code: 'B' })] },
    ]);
  });

  it('counts co-responsible units apart, with the overdue problems they share', () => {
    const problems = [
      problem('A', { deadline: '2017-08-31', responsibleUnits: ['HBJ', 'GAJ', 'JLJD'] }),
      problem('B', { leadUnit: 'GAJ', responsibleUnits: ['GAJ', 'JLJD'] }),
    ];
    const b = computeBulletin('2017-09', LATER, problems, [], names);
    expect(b.units.map((u) => u.unit)).toEqual(['GAJ', 'HBJ']);
    expect(b.coUnits.map((c) => [c.rank, c.unit, c.unitName, c.shared, c.overdue, c.parts])).toEqual([
      [1, 'GAJ', '市公安局', 1, 1, 0],
      [1, 'JLJD', '竟陵街道', 2, 1, 0],
    ]);
    expect(b.totals).toMatchObject({ assigned: 2, overdue: 1, due: 1, onTime: 0, onTimeRate: 0, units: 2 });
  });

  it("ranks the co-units on their own parts: on time, late, not yet due, each against the part's deadline", () => {
    const problems = [problem('A', { deadline: '2017-12-31', responsibleUnits: ['HBJ', 'GAJ', 'JLJD', 'SWJ'] })];
    const started = Date.parse('2017-08-10T02:00:00Z');
    const parts = [
      { problemId: 'A', unit: 'GAJ', deadline: '2017-09-15', startedAt: started, doneAt: null },
      {
        problemId: 'A',
        unit: 'JLJD',
        deadline: '2017-09-15',
        startedAt: started,
        doneAt: Date.parse('2017-09-15T08:00:00Z'),
      },
      { problemId: 'A', unit: 'SWJ', deadline: '2017-11-30', startedAt: started, doneAt: null },
    ];
    const b = computeBulletin('2017-09', LATER, problems, [], names, parts);
    expect(
      b.coUnits.map((c) => [c.rank, c.unit, c.parts, c.partsDue, c.partsOnTime, c.partsLate, c.partsOnTimeRate]),
    ).toEqual([
      [1, 'JLJD', 1, 1, 1, 0, 1],
      [1, 'SWJ', 1, 0, 0, 0, null],
      [3, 'GAJ', 1, 1, 0, 1, 0],
    ]);
    expect(b.coUnits[2].lateParts).toEqual([{ code: 'A', title: expect.any(String), deadline: '2017-09-15' }]);
    // The lead's own figures do not move for its co-units' parts; the whole on-time rate counts them.
    expect(b.units.map((u) => [u.unit, u.due, u.overdue])).toEqual([['HBJ', 0, 0]]);
    expect(b.totals).toMatchObject({ due: 0, onTimeRate: null, partsDue: 2, partsOnTime: 1, partsLate: 1 });
    expect(b.totals.allOnTimeRate).toBe(0.5);
  });

  it("counts lead problems and co-units' parts together in the whole on-time rate", () => {
    const problems = [
      problem('A', { deadline: '2017-09-20', signedOffAt: at('2017-09-19T10:00:00') }), // on time
      problem('B', { deadline: '2017-09-20' }), // overdue
    ];
    const started = Date.parse('2017-08-10T02:00:00Z');
    const parts = [
      { problemId: 'A', unit: 'GAJ', deadline: '2017-09-10', startedAt: started, doneAt: at('2017-09-08T10:00:00') },
      { problemId: 'B', unit: 'GAJ', deadline: '2017-09-10', startedAt: started, doneAt: at('2017-09-08T10:00:00') },
    ];
    const b = computeBulletin('2017-09', LATER, problems, [], names, parts);
    expect(b.totals).toMatchObject({ due: 2, onTime: 1, onTimeRate: 0.5, partsDue: 2, partsOnTime: 2 });
    expect(b.totals.allOnTimeRate).toBe(0.75);
  });

  it('counts 见效 among the signed-off problems, as of the cut-off (整改一个、销号一个、见效一个)', () => {
    const problems = [
      problem('A', { signedOffAt: at('2017-03-01T10:00:00'), effectiveAt: at('2017-09-01T10:00:00') }),
      problem('B', { signedOffAt: at('2017-03-01T10:00:00'), effectiveAt: at('2017-10-02T10:00:00') }), // after
      problem('C', { signedOffAt: at('2017-03-01T10:00:00') }),
      problem('D'),
    ];
    const b = computeBulletin('2017-09', LATER, problems, [], names);
    expect(b.units.map((u) => [u.unit, u.assigned, u.closed, u.effective])).toEqual([['HBJ', 4, 3, 1]]);
    expect(b.totals).toMatchObject({ closed: 3, effective: 1 });
  });
});

describe('scopeBulletin (分级督办)', () => {
  const names = (c: string) => c;
  it("keeps the subtree's units, ranks them among themselves and counts the totals again from them", () => {
    const problems = [
      problem('A', { leadUnit: 'XA', deadline: '2017-09-10' }), // overdue
      problem('B', { leadUnit: 'XB', deadline: '2017-09-10', signedOffAt: at('2017-09-05T10:00:00') }),
      problem('C', { leadUnit: 'XAZ', deadline: '2017-09-10', signedOffAt: at('2017-09-05T10:00:00') }),
    ];
    const whole = computeBulletin('2017-09', LATER, problems, [], names);
    expect(whole.units.map((u) => [u.unit, u.rank])).toEqual([
      ['XAZ', 1],
      ['XB', 1],
      ['XA', 3],
    ]);
    const mine = new Set(['XA', 'XAZ']);
    const own = scopeBulletin(whole, (u) => mine.has(u));
    expect(own.units.map((u) => [u.unit, u.rank])).toEqual([
      ['XAZ', 1],
      ['XA', 2],
    ]);
    expect(own.totals).toMatchObject({
      assigned: 2,
      closed: 1,
      due: 2,
      onTime: 1,
      overdue: 1,
      onTimeRate: 0.5,
      units: 2,
    });
    expect(own.laggards.map((l) => l.unit)).toEqual(['XA']);
    // The whole is left as it was.
    expect(whole.units.map((u) => u.rank)).toEqual([1, 1, 3]);
  });
});

describe('rankUnits', () => {
  const s = (unit: string, onTimeRate: number | null, overdue: number) => ({ unit, onTimeRate, overdue }) as UnitStat;
  it('ranks by on-time rate, then overdue count; equal keys share a rank', () => {
    const ranked = rankUnits([s('D', 0.5, 1), s('A', 1, 0), s('C', 0.5, 1), s('B', null, 0), s('E', 0.5, 3)]);
    expect(ranked.map((x) => [x.unit, x.rank])).toEqual([
      ['A', 1],
      ['B', 1],
      ['C', 3],
      ['D', 3],
      ['E', 5],
    ]);
  });
  it('prints rates as percentages', () => {
    expect([percent(null), percent(0.6667), percent(1)]).toEqual(['—', '66.7%', '100.0%']);
  });
});
