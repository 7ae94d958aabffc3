import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { LIGHTS, LIGHT_LABELS, PROBLEM_STATUSES, STATUS_LABELS } from '../problems/problem-status.js';
import { chinaDate } from '../problems/rules/china-date.js';
import { DashboardRepository } from './dashboard.repository.js';
import { monthsUpTo, rankCoUnits, rankUnits, rateOf } from './rules/unit-ranking.js';

/** The seed's targets (2017 plan): shown against the monthly values the office enters. */
export const SEED_TARGETS = [
  { code: 'PM10', name: 'PM10 年均浓度', unit: 'μg/m³', target: 83, direction: '≤' },
  { code: 'PM25', name: 'PM2.5 年均浓度', unit: 'μg/m³', target: 58, direction: '≤' },
  { code: 'GOOD_DAYS', name: '空气质量优良天数比例', unit: '%', target: 73.4, direction: '≥' },
  { code: 'WATER_GOOD', name: '地表水水质优良比例', unit: '%', target: 100, direction: '≥' },
] as const;

@Injectable()
export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly clock: Clock,
  ) {}

  /** `within`: an office of a lower level's unit, whose subtree's problems it shows; null for everything. */
  async dashboard(within: string | null = null) {
    const now = this.clock.now();
    const today = chinaDate(now);
    // The twelve months up to now; a ledger quiet all that time (a history like the demo's 2017–2020) shows its
    // own last twelve months rather than a flat line.
    const last = await this.repo.lastActiveMonth(today, within);
    const until = last && last < monthsUpTo(today.slice(0, 7), 12)[0] ? last : today.slice(0, 7);
    const months = monthsUpTo(until, 12);
    const untilDay = until === today.slice(0, 7) ? today : lastDayOf(until);
    const [statuses, lights, units, parts, categories, trend] = await Promise.all([
      this.repo.byStatus(within),
      this.repo.openLights(within),
      this.repo.byUnit(today, within),
      this.repo.partsByUnit(today, within),
      this.repo.byCategory(today, within),
      this.repo.trend(months[0], today, untilDay, within),
    ]);
    const count = <T extends string>(rows: { n: number }[], key: (r: any) => T, k: T) =>
      rows.find((r) => key(r) === k)?.n ?? 0;
    const sum = <R>(rows: R[], f: (r: R) => number) => rows.reduce((n, r) => n + f(r), 0);
    const lead = { due: sum(units, (u) => u.due), onTime: sum(units, (u) => u.on_time) };
    const ofParts = { due: sum(parts, (p) => p.due), onTime: sum(parts, (p) => p.on_time) };
    return {
      asOf: new Date(now).toISOString(),
      today,
      total: statuses.reduce((a, r) => a + r.n, 0),
      // 整改一个、销号一个、见效一个: signed off, and of those found effective at 回头看.
      signedOff: sum(units, (u) => u.closed),
      effective: sum(units, (u) => u.effective),
      // The on-time rate of the lead units' problems, and of every task due: those and the co-units' parts.
      onTime: {
        due: lead.due,
        onTime: lead.onTime,
        rate: rateOf(lead.onTime, lead.due),
        partsDue: ofParts.due,
        partsOnTime: ofParts.onTime,
        allRate: rateOf(lead.onTime + ofParts.onTime, lead.due + ofParts.due),
      },
      byStatus: PROBLEM_STATUSES.map((s) => ({
        status: s,
        label: STATUS_LABELS[s],
        count: count(statuses, (r) => r.status, s),
      })),
      byLight: LIGHTS.map((l) => ({ light: l, label: LIGHT_LABELS[l], count: count(lights, (r) => r.light, l) })),
      byUnit: rankUnits(
        units.map((u) => ({
          unit: u.unit,
          name: u.name,
          total: u.total,
          closed: u.closed,
          effective: u.effective,
          due: u.due,
          onTime: u.on_time,
          overdue: u.overdue,
        })),
      ),
      byCoUnit: rankCoUnits(
        parts.map((p) => ({ unit: p.unit, name: p.name, parts: p.parts, due: p.due, onTime: p.on_time, late: p.late })),
      ),
      byCategory: categories,
      trend,
      trendUntil: until,
      targets: SEED_TARGETS,
    };
  }
}

/** 'YYYY-MM' → its last day, 'YYYY-MM-DD'. */
function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
