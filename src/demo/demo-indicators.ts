import type { IndicatorTarget } from '../reports/indicators/indicator-rules.js';

/**
 * The plan's targets (一、(二)): 2017 — PM10 ≤ 83 μg/m³, PM2.5 ≤ 58 μg/m³, good-air days ≥ 73.4 %, surface
 * water good (≤ Ⅲ类) 100 %; 2020 — good-air days 81 %, PM2.5 53 μg/m³, national sections 100 % good.
 * The monthly values are plausible figures for the demo (winter high, summer low), not measurements.
 */
export const DEMO_TARGETS: IndicatorTarget[] = [
  { code: 'PM10', name: 'PM10年均浓度', unit: 'μg/m³', year: 2017, target: 83, direction: '≤' },
  { code: 'PM25', name: 'PM2.5年均浓度', unit: 'μg/m³', year: 2017, target: 58, direction: '≤' },
  { code: 'PM25', name: 'PM2.5年均浓度', unit: 'μg/m³', year: 2020, target: 53, direction: '≤' },
  { code: 'GOOD_DAYS', name: '空气质量优良天数比例', unit: '%', year: 2017, target: 73.4, direction: '≥' },
  { code: 'GOOD_DAYS', name: '空气质量优良天数比例', unit: '%', year: 2020, target: 81, direction: '≥' },
  {
    code: 'WATER_GOOD',
    name: '地表水水质优良（达到或优于Ⅲ类）比例',
    unit: '%',
    year: 2017,
    target: 100,
    direction: '≥',
  },
  {
    code: 'WATER_GOOD',
    name: '地表水水质优良（达到或优于Ⅲ类）比例',
    unit: '%',
    year: 2020,
    target: 100,
    direction: '≥',
  },
];

/** Twelve monthly values per indicator and year, January first: the plan's years, 2017 to 2020. */
const SERIES: Record<string, Record<number, number[]>> = {
  PM10: {
    2017: [128, 110, 95, 82, 76, 60, 52, 55, 66, 79, 98, 120],
    2018: [115, 98, 88, 75, 70, 55, 48, 50, 60, 72, 90, 108],
    2019: [108, 92, 82, 70, 65, 52, 45, 47, 56, 68, 85, 102],
    2020: [100, 80, 74, 64, 60, 48, 42, 44, 52, 63, 78, 95],
  },
  PM25: {
    2017: [88, 75, 62, 50, 42, 35, 30, 32, 40, 52, 68, 85],
    2018: [80, 68, 56, 46, 40, 32, 28, 30, 37, 48, 62, 78],
    2019: [74, 62, 52, 43, 37, 30, 26, 28, 34, 45, 58, 72],
    2020: [70, 52, 45, 38, 33, 27, 24, 26, 31, 41, 54, 68],
  },
  GOOD_DAYS: {
    2017: [45.2, 57.1, 67.7, 76.7, 80.6, 90, 96.8, 93.5, 86.7, 77.4, 63.3, 48.4],
    2018: [51.6, 64.3, 71, 80, 83.9, 93.3, 100, 96.8, 90, 80.6, 66.7, 54.8],
    2019: [54.8, 67.9, 74.2, 83.3, 87.1, 93.3, 100, 96.8, 93.3, 83.9, 70, 58.1],
    2020: [61.3, 79.3, 80.6, 86.7, 90.3, 96.7, 100, 100, 93.3, 87.1, 73.3, 64.5],
  },
  WATER_GOOD: {
    2017: [100, 100, 100, 100, 100, 100, 75, 100, 100, 100, 100, 100],
    2018: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
    2019: [100, 100, 100, 100, 100, 100, 100, 87.5, 100, 100, 100, 100],
    2020: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
  },
};

/** The values of the months before `month` (a month's value is known once it is over). */
export function demoValues(beforeMonth: string): { code: string; month: string; value: number }[] {
  const out: { code: string; month: string; value: number }[] = [];
  for (const [code, years] of Object.entries(SERIES)) {
    for (const [year, values] of Object.entries(years)) {
      values.forEach((value, i) => {
        const month = `${year}-${String(i + 1).padStart(2, '0')}`;
        if (month < beforeMonth) out.push({ code, month, value });
      });
    }
  }
  return out;
}
