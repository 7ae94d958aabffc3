import { chinaDate } from '../../problems/rules/china-date.js';
import { monthEnd } from './month.js';
import type { BulletinData, CoUnitStat, NamedProblem, UnitStat } from '../../web/shared/report-types.js';

export type { BulletinData, CoUnitStat, Laggard, NamedProblem, UnitStat } from '../../web/shared/report-types.js';

/** A problem as the bulletin sees it: dates only, never its current status, so any month can be recomputed. */
export interface ProblemFact {
  id: string;
  code: string;
  title: string;
  leadUnit: string;
  responsibleUnits: string[];
  deadline: string;
  assignedAt: number;
  signedOffAt: number | null;
  /** 见效: when a 回头看 first found it holding and showing its effect. */
  effectiveAt?: number | null;
}

/** One unit's monthly report request (月调度) and which of its problems it reported on by the cut-off. */
export interface ReportFact {
  unit: string;
  problemIds: string[];
  reportedIds: string[];
}

/** A co-unit's part of a problem (分工), as the bulletin sees it: dates only. */
export interface PartFact {
  problemId: string;
  unit: string;
  deadline: string;
  startedAt: number;
  doneAt: number | null;
}

/**
 * What a bulletin counts: everything before the month's end (00:00 of the next month, exclusive), or up to
 * and including `now` for a month not over yet.
 */
export function cutoffOf(month: string, now: number): number {
  return Math.min(monthEnd(month), now + 1);
}

const named = (p: ProblemFact): NamedProblem => ({ code: p.code, title: p.title, deadline: p.deadline });
const rate = (onTime: number, due: number): number | null =>
  due ? Math.round((onTime / due) * 10_000) / 10_000 : null;

/**
 * The month's figures per lead unit (牵头单位), as of the month's end (or `now` when earlier). Everything
 * comes from dates — assignment, deadline, sign-off, report times — so recomputing a past month later gives
 * the same numbers whatever happened since.
 */
export function computeBulletin(
  month: string,
  now: number,
  problems: ProblemFact[],
  reports: ReportFact[],
  unitName: (code: string) => string,
  parts: PartFact[] = [],
): BulletinData {
  const cutoff = cutoffOf(month, now);
  const cutoffDate = chinaDate(cutoff);
  const signed = (p: ProblemFact) => p.signedOffAt !== null && p.signedOffAt < cutoff;
  const effective = (p: ProblemFact) => p.effectiveAt != null && p.effectiveAt < cutoff;
  const isDue = (p: ProblemFact) => p.deadline < cutoffDate;
  const live = problems.filter((p) => p.assignedAt < cutoff);
  const byId = new Map(live.map((p) => [p.id, p]));

  const stats = new Map<string, UnitStat>();
  const stat = (unit: string): UnitStat => {
    let s = stats.get(unit);
    if (!s) {
      s = {
        unit,
        unitName: unitName(unit),
        assigned: 0,
        closed: 0,
        effective: 0,
        due: 0,
        onTime: 0,
        overdue: 0,
        onTimeRate: null,
        rank: 0,
        overdueProblems: [],
        missingReports: [],
      };
      stats.set(unit, s);
    }
    return s;
  };
  const co = new Map<string, CoUnitStat>();
  const coStat = (u: string): CoUnitStat => {
    let c = co.get(u);
    if (!c) {
      c = {
        unit: u,
        unitName: unitName(u),
        shared: 0,
        overdue: 0,
        parts: 0,
        partsDue: 0,
        partsOnTime: 0,
        partsLate: 0,
        partsOnTimeRate: null,
        rank: 0,
        lateParts: [],
        missingReports: [],
      };
      co.set(u, c);
    }
    return c;
  };
  for (const p of [...live].sort((a, b) => a.code.localeCompare(b.code))) {
    const s = stat(p.leadUnit);
    const done = signed(p);
    const late = isDue(p) && !done;
    s.assigned++;
    if (done) s.closed++;
    if (done && effective(p)) s.effective++;
    if (isDue(p)) s.due++;
    if (done && isDue(p) && chinaDate(p.signedOffAt!) <= p.deadline) s.onTime++;
    if (late) {
      s.overdue++;
      s.overdueProblems.push(named(p));
    }
    for (const u of p.responsibleUnits) {
      if (u === p.leadUnit) continue;
      const c = coStat(u);
      c.shared++;
      if (late) c.overdue++;
    }
  }
  for (const part of parts) {
    const p = byId.get(part.problemId);
    if (!p || part.startedAt >= cutoff) continue;
    const c = coStat(part.unit);
    const done = part.doneAt !== null && part.doneAt < cutoff;
    const due = part.deadline < cutoffDate;
    c.parts++;
    if (due) c.partsDue++;
    if (due && done && chinaDate(part.doneAt!) <= part.deadline) c.partsOnTime++;
    if (due && !done) {
      c.partsLate++;
      c.lateParts.push({ code: p.code, title: p.title, deadline: part.deadline });
    }
  }
  for (const c of co.values()) {
    c.partsOnTimeRate = rate(c.partsOnTime, c.partsDue);
    c.lateParts.sort((a, b) => a.code.localeCompare(b.code));
  }
  for (const r of reports) {
    const reported = new Set(r.reportedIds);
    // A problem signed off meanwhile needs no report.
    const missing = r.problemIds
      .map((id) => byId.get(id))
      .filter((p): p is ProblemFact => Boolean(p) && !reported.has(p!.id) && !signed(p!));
    missing.sort((a, b) => a.code.localeCompare(b.code));
    // A co-unit reports on its part: a report it owes counts on its own line, not among the lead units.
    const led = missing.filter((p) => p.leadUnit === r.unit);
    const ofParts = missing.filter((p) => p.leadUnit !== r.unit);
    if (led.length) stat(r.unit).missingReports.push(...led.map(named));
    if (ofParts.length) coStat(r.unit).missingReports.push(...ofParts.map(named));
  }
  for (const s of stats.values()) s.onTimeRate = rate(s.onTime, s.due);
  const units = rankUnits([...stats.values()]);
  const coUnits = rankCoUnits([...co.values()]);
  return {
    month,
    asOf: new Date(Math.min(monthEnd(month), now)).toISOString(),
    totals: totalsOf(units, coUnits),
    units,
    coUnits,
    laggards: units
      .filter((s) => s.overdue > 0 || s.missingReports.length > 0)
      .map((s) => ({
        unit: s.unit,
        unitName: s.unitName,
        overdue: s.overdueProblems,
        missingReports: s.missingReports,
      })),
  };
}

/**
 * A bulletin's ranking: on-time rate (high first; nothing due yet counts as no deadline missed), then the
 * overdue count (few first). Equal keys share a rank (1, 2, 2, 4); within a rank, by unit code.
 */
export function rankUnits(stats: UnitStat[]): UnitStat[] {
  const key = (s: UnitStat) => [-(s.onTimeRate ?? 1), s.overdue] as const;
  const sorted = [...stats].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || a.unit.localeCompare(b.unit);
  });
  sorted.forEach((s, i) => {
    const prev = sorted[i - 1];
    s.rank = prev && key(prev)[0] === key(s)[0] && key(prev)[1] === key(s)[1] ? prev.rank : i + 1;
  });
  return sorted;
}

/** Co-units on their parts: on-time rate (high first; none due counts as none late), then late parts (few first). */
export function rankCoUnits(stats: CoUnitStat[]): CoUnitStat[] {
  const key = (c: CoUnitStat) => [-(c.partsOnTimeRate ?? 1), c.partsLate, c.overdue] as const;
  const same = (a: CoUnitStat, b: CoUnitStat) => key(a).every((k, i) => k === key(b)[i]);
  const sorted = [...stats].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || a.unit.localeCompare(b.unit);
  });
  sorted.forEach((c, i) => {
    const prev = sorted[i - 1];
    c.rank = prev && same(prev, c) ? prev.rank : i + 1;
  });
  return sorted;
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** The bulletin's totals over its units and co-units (a unit of a bulletin frozen before 见效 counted none). */
function totalsOf(units: UnitStat[], coUnits: CoUnitStat[]): BulletinData['totals'] {
  const sum = (k: 'assigned' | 'closed' | 'effective' | 'due' | 'onTime' | 'overdue') =>
    units.reduce((n, s) => n + (s[k] ?? 0), 0);
  const coSum = (k: 'partsDue' | 'partsOnTime' | 'partsLate') => coUnits.reduce((n, c) => n + c[k], 0);
  return {
    assigned: sum('assigned'),
    closed: sum('closed'),
    effective: sum('effective'),
    due: sum('due'),
    onTime: sum('onTime'),
    overdue: sum('overdue'),
    onTimeRate: rate(sum('onTime'), sum('due')),
    partsDue: coSum('partsDue'),
    partsOnTime: coSum('partsOnTime'),
    partsLate: coSum('partsLate'),
    allOnTimeRate: rate(sum('onTime') + coSum('partsOnTime'), sum('due') + coSum('partsDue')),
    units: units.length,
  };
}

/**
 * 分级督办: a bulletin as an office of a lower level reads it — the lead units and co-units of its subtree only,
 * ranked among themselves, the laggards among them named, and the totals counted again from them. The same
 * figures per unit as the whole bulletin (a published one stays as frozen); only who is in it changes.
 */
export function scopeBulletin<B extends BulletinData>(b: B, inScope: (unit: string) => boolean): B {
  const units = rankUnits(b.units.filter((u) => inScope(u.unit)).map((u) => ({ ...u })));
  const coUnits = rankCoUnits(b.coUnits.filter((c) => inScope(c.unit)).map((c) => ({ ...c })));
  return {
    ...b,
    totals: totalsOf(units, coUnits),
    units,
    coUnits,
    laggards: b.laggards.filter((l) => inScope(l.unit)),
  };
}
