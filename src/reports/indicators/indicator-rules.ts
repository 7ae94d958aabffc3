/** The plan's indicators (目标任务): targets by year, monthly values, and whether they meet them. */
export type Direction = '≤' | '≥';

export interface IndicatorTarget {
  code: string;
  name: string;
  unit: string;
  year: number;
  target: number;
  direction: Direction;
}

export interface IndicatorValue {
  code: string;
  month: string;
  value: number;
}

export interface IndicatorView {
  code: string;
  name: string;
  unit: string;
  direction: Direction;
  targets: { year: number; target: number }[];
  values: { month: string; value: number; target: number; met: boolean }[];
  /** Year-to-date mean of the monthly values against the year's target (annual targets are annual means). */
  years: { year: number; target: number; average: number; months: number; met: boolean }[];
}

export function meets(value: number, target: number, direction: Direction): boolean {
  return direction === '≤' ? value <= target : value >= target;
}

/**
 * The target in force in a year: the one set for that year, else the next one the plan aims at (2018 works
 * towards 2020's), else the last one set.
 */
export function targetFor(year: number, targets: { year: number; target: number }[]): number {
  const sorted = [...targets].sort((a, b) => a.year - b.year);
  return (sorted.find((t) => t.year >= year) ?? sorted[sorted.length - 1]).target;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function indicatorViews(targets: IndicatorTarget[], values: IndicatorValue[]): IndicatorView[] {
  const byCode = new Map<string, IndicatorTarget[]>();
  for (const t of targets) byCode.set(t.code, [...(byCode.get(t.code) ?? []), t]);
  return [...byCode.entries()].map(([code, ts]) => {
    const latest = [...ts].sort((a, b) => b.year - a.year)[0];
    const targetsOf = ts.map((t) => ({ year: t.year, target: t.target })).sort((a, b) => a.year - b.year);
    const vals = values.filter((v) => v.code === code).sort((a, b) => a.month.localeCompare(b.month));
    const valueRows = vals.map((v) => {
      const target = targetFor(Number(v.month.slice(0, 4)), targetsOf);
      return { month: v.month, value: v.value, target, met: meets(v.value, target, latest.direction) };
    });
    const years = [...new Set(vals.map((v) => Number(v.month.slice(0, 4))))].map((year) => {
      const of = vals.filter((v) => Number(v.month.slice(0, 4)) === year);
      const average = round(of.reduce((s, v) => s + v.value, 0) / of.length);
      const target = targetFor(year, targetsOf);
      return { year, target, average, months: of.length, met: meets(average, target, latest.direction) };
    });
    return {
      code,
      name: latest.name,
      unit: latest.unit,
      direction: latest.direction,
      targets: targetsOf,
      values: valueRows,
      years,
    };
  });
}
