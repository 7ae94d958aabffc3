import { indicatorViews, targetFor, type IndicatorTarget } from './indicator-rules.js';

const PM25: IndicatorTarget[] = [
  { code: 'PM25', name: 'PM2.5年均浓度', unit: 'μg/m³', year: 2017, target: 58, direction: '≤' },
  { code: 'PM25', name: 'PM2.5年均浓度', unit: 'μg/m³', year: 2020, target: 53, direction: '≤' },
];

describe('indicators', () => {
  it('takes the target of the year, else the next one aimed at, else the last', () => {
    const ts = PM25.map((t) => ({ year: t.year, target: t.target }));
    expect([2016, 2017, 2018, 2020, 2024].map((y) => targetFor(y, ts))).toEqual([58, 58, 53, 53, 53]);
  });

  it('marks each month and the year-to-date mean against the target, in the direction of the indicator', () => {
    const [v] = indicatorViews(PM25, [
      { code: 'PM25', month: '2017-02', value: 70 },
      { code: 'PM25', month: '2017-01', value: 80 },
      { code: 'PM25', month: '2017-07', value: 30 },
      { code: 'PM25', month: '2018-01', value: 52 },
    ]);
    expect(v.values.map((x) => [x.month, x.target, x.met])).toEqual([
      ['2017-01', 58, false],
      ['2017-02', 58, false],
      ['2017-07', 58, true],
      ['2018-01', 53, true],
    ]);
    expect(v.years).toEqual([
      { year: 2017, target: 58, average: 60, months: 3, met: false },
      { year: 2018, target: 53, average: 52, months: 1, met: true },
    ]);
  });

  it('reads ≥ as at least', () => {
    const [v] = indicatorViews(
      [{ code: 'GOOD', name: '优良天数比例', unit: '%', year: 2017, target: 73.4, direction: '≥' }],
      [{ code: 'GOOD', month: '2017-03', value: 73.4 }],
    );
    expect(v.values[0].met).toBe(true);
  });
});
