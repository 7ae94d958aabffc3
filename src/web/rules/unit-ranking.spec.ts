import { monthsUpTo, rankUnits } from './unit-ranking.js';

const u = (unit: string, due: number, onTime: number, overdue: number, closed = onTime) => ({
  unit,
  name: unit,
  total: due + 1,
  closed,
  due,
  onTime,
  overdue,
});

describe('dashboard unit ranking', () => {
  it('orders by on-time rate (nothing due counts as none missed), then fewer overdue; equal keys share a rank', () => {
    const ranked = rankUnits([
      u('A', 4, 2, 2),
      u('B', 2, 2, 0),
      u('C', 0, 0, 0),
      u('D', 4, 2, 1),
      u('E', 4, 2, 1),
      u('F', 2, 2, 1),
    ]);
    expect(ranked.map((r) => [r.unit, r.rank, r.onTimeRate])).toEqual([
      ['B', 1, 1],
      ['C', 1, null],
      ['F', 3, 1],
      ['D', 4, 0.5],
      ['E', 4, 0.5],
      ['A', 6, 0.5],
    ]);
  });

  it('lists the months up to one, across a year', () => {
    expect(monthsUpTo('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
