import { chinaDate } from '../../problems/rules/china-date.js';
import { monthEnd } from './month.js';

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
}

/** One unit's monthly report request (月调度) and which of its problems it reported on by the cut-off. */
export interface ReportFact {
  unit: string;
  problemIds: string[];
  reportedIds: string[];
}

export interface NamedProblem {
  code: string;
  title: string;
  deadline: string;
}

export interface UnitStat {
  unit: string;
  unitName: string;
  /** Problems it leads, assigned by the cut-off. */
  assigned: number;
  /** Signed off (销号) by the cut-off. */
  closed: number;
  /** Deadline over by the cut-off. */
  due: number;
  /** Of those due: signed off on or before the deadline. */
  onTime: number;
  /** Deadline over, not signed off by the cut-off. */
  overdue: number;
  /** onTime ÷ due; null when nothing has fallen due yet. */
  onTimeRate: number | null;
  rank: number;
  overdueProblems: NamedProblem[];
  missingReports: NamedProblem[];
}

/** Units sharing problems they do not lead (配合单位): counted apart, not ranked. */
export interface CoUnitStat {
  unit: string;
  unitName: string;
  shared: number;
  overdue: number;
}

export interface Laggard {
  unit: string;
  unitName: string;
  overdue: NamedProblem[];
  missingReports: NamedProblem[];
}

export interface BulletinData {
  month: string;
  /** The cut-off: the month's end, or now for a month not over yet. */
  asOf: string;
  totals: {
    assigned: number;
    closed: number;
    due: number;
    onTime: number;
    overdue: number;
    onTimeRate: number | null;
    units: number;
  };
  units: UnitStat[];
  coUnits: CoUnitStat[];
  laggards: Laggard[];
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
): BulletinData {
  const cutoff = cutoffOf(month, now);
  const cutoffDate = chinaDate(cutoff);
  const signed = (p: ProblemFact) => p.signedOffAt !== null && p.signedOffAt < cutoff;
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
  for (const p of [...live].sort((a, b) => a.code.localeCompare(b.code))) {
    const s = stat(p.leadUnit);
    const done = signed(p);
    const late = isDue(p) && !done;
    s.assigned++;
    if (done) s.closed++;
    if (isDue(p)) s.due++;
    if (done && isDue(p) && chinaDate(p.signedOffAt!) <= p.deadline) s.onTime++;
    if (late) {
      s.overdue++;
      s.overdueProblems.push(named(p));
    }
    for (const u of p.responsibleUnits) {
      if (u === p.leadUnit) continue;
      const c = co.get(u) ?? { unit: u, unitName: unitName(u), shared: 0, overdue: 0 };
      c.shared++;
      if (late) c.overdue++;
      co.set(u, c);
    }
  }
  for (const r of reports) {
    const reported = new Set(r.reportedIds);
    // A problem signed off meanwhile needs no report.
    const missing = r.problemIds
      .map((id) => byId.get(id))
      .filter((p): p is ProblemFact => Boolean(p) && !reported.has(p!.id) && !signed(p!));
    if (missing.length)
      stat(r.unit).missingReports.push(...missing.sort((a, b) => a.code.localeCompare(b.code)).map(named));
  }
  for (const s of stats.values()) s.onTimeRate = rate(s.onTime, s.due);
  const units = rankUnits([...stats.values()]);
  const sum = (k: 'assigned' | 'closed' | 'due' | 'onTime' | 'overdue') => units.reduce((n, s) => n + s[k], 0);
  return {
    month,
    asOf: new Date(Math.min(monthEnd(month), now)).toISOString(),
    totals: {
      assigned: sum('assigned'),
      closed: sum('closed'),
      due: sum('due'),
      onTime: sum('onTime'),
      overdue: sum('overdue'),
      onTimeRate: rate(sum('onTime'), sum('due')),
      units: units.length,
    },
    units,
    coUnits: [...co.values()].sort((a, b) => b.overdue - a.overdue || a.unit.localeCompare(b.unit)),
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

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
