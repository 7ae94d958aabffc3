import { chinaDate } from '../../problems/rules/china-date.js';
import { dayStart, lastDay, monthEnd } from '../rules/month.js';
import type { AssessmentWeights } from './assessment-weights.js';
import type { AssessmentData, RateFigure, ScoreFigure, ScoreRecord, UnitScore } from '../../web/shared/report-types.js';

export type { AssessmentData, RateFigure, ScoreFigure, ScoreRecord, UnitScore } from '../../web/shared/report-types.js';

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

/** A problem as the score reads it: dates only (and the rebound's mark), never its light. */
export interface ScoreProblem {
  id: string;
  code: string;
  title: string;
  leadUnit: string;
  deadline: string;
  assignedAt: number;
  signedOffAt: number | null;
  /** Set when 回头看 found it rebounded (反弹): when that re-check was done. */
  reboundAt: number | null;
  /** Set when 回头看 first found it effective (见效). */
  effectiveAt: number | null;
}

/** A supervision action that counts against a unit: 通报, 约谈, 追责. */
export interface ScoreAction {
  id: string;
  type: 'bulletin' | 'interview' | 'accountability';
  unit: string;
  problemId: string;
  problemCode: string;
  title: string;
  documentNo: string | null;
  issuedAt: number;
}

/** A monthly report asked of a unit (月调度) and what it reported on by the month's end. */
export interface ScoreReport {
  month: string;
  unit: string;
  problemIds: string[];
  reportedIds: string[];
}

/** The year as China time: [00:00 of 1 January, 00:00 of the next 1 January). */
export function yearSpan(year: number): { from: number; to: number } {
  return { from: dayStart(`${year}-01-01`), to: dayStart(`${year + 1}-01-01`) };
}

/** The months of the year that are over by `now` (a month still running has no missing report yet). */
export function monthsOver(year: number, now: number): string[] {
  const out: string[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, '0')}`;
    if (monthEnd(month) <= now) out.push(month);
  }
  return out;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The year's score per unit (年度考核). Every figure comes from dated records — deadlines and sign-offs of the
 * problems it leads (牵头), the 通报/约谈/追责 issued to it, rebounds found at 回头看, monthly reports it owed —
 * within the year and before `now`, and carries those records, so each number can be counted again by hand.
 */
export function computeAssessment(
  year: number,
  now: number,
  weights: AssessmentWeights,
  problems: ScoreProblem[],
  actions: ScoreAction[],
  reports: ScoreReport[],
  unitName: (code: string) => string,
): AssessmentData {
  const span = yearSpan(year);
  const cutoff = Math.min(span.to, now + 1);
  const cutoffDate = chinaDate(cutoff);
  const inYear = (ms: number | null): ms is number => ms !== null && ms >= span.from && ms < cutoff;
  const live = problems.filter((p) => p.assignedAt < cutoff);
  const byId = new Map(live.map((p) => [p.id, p]));

  type Acc = {
    due: ScoreRecord[];
    signedOff: ScoreRecord[];
    effective: ScoreRecord[];
    bulletin: ScoreRecord[];
    interview: ScoreRecord[];
    accountability: ScoreRecord[];
    rebounds: ScoreRecord[];
    missing: ScoreRecord[];
  };
  const acc = new Map<string, Acc>();
  const of = (unit: string): Acc => {
    let a = acc.get(unit);
    if (!a) {
      a = {
        due: [],
        signedOff: [],
        effective: [],
        bulletin: [],
        interview: [],
        accountability: [],
        rebounds: [],
        missing: [],
      };
      acc.set(unit, a);
    }
    return a;
  };

  for (const p of [...live].sort((a, b) => a.code.localeCompare(b.code))) {
    const a = of(p.leadUnit);
    const rec = (date: string): ScoreRecord => ({ kind: 'problem', id: p.id, code: p.code, title: p.title, date });
    // Due in the year: the deadline day is in the year and over by the cut-off.
    if (p.deadline >= `${year}-01-01` && p.deadline <= `${year}-12-31` && p.deadline < cutoffDate) {
      const signedBy = p.signedOffAt !== null && p.signedOffAt < cutoff ? chinaDate(p.signedOffAt) : null;
      a.due.push({ ...rec(p.deadline), onTime: signedBy !== null && signedBy <= p.deadline });
    }
    if (inYear(p.signedOffAt)) a.signedOff.push(rec(chinaDate(p.signedOffAt)));
    if (inYear(p.effectiveAt)) a.effective.push(rec(chinaDate(p.effectiveAt)));
    if (inYear(p.reboundAt)) a.rebounds.push(rec(chinaDate(p.reboundAt)));
  }
  for (const x of [...actions].sort((a, b) => a.issuedAt - b.issuedAt || a.id.localeCompare(b.id))) {
    if (!inYear(x.issuedAt)) continue;
    of(x.unit)[x.type].push({
      kind: 'action',
      id: x.id,
      code: x.problemCode,
      title: x.title,
      date: chinaDate(x.issuedAt),
      documentNo: x.documentNo,
    });
  }
  for (const r of [...reports].sort((a, b) => a.month.localeCompare(b.month))) {
    if (!r.month.startsWith(`${year}-`) || monthEnd(r.month) > cutoff) continue;
    const reported = new Set(r.reportedIds);
    const end = monthEnd(r.month);
    // As the month's bulletin counts it: a problem signed off by the month's end needs no report.
    const missing = r.problemIds
      .map((id) => byId.get(id))
      .filter((p): p is ScoreProblem => !!p && !reported.has(p.id) && !(p.signedOffAt !== null && p.signedOffAt < end))
      .sort((a, b) => a.code.localeCompare(b.code));
    for (const p of missing)
      of(r.unit).missing.push({ kind: 'report', id: p.id, code: p.code, title: p.title, date: lastDay(r.month) });
  }

  const units: UnitScore[] = [...acc.entries()].map(([unit, a]) => {
    const onTime = a.due.filter((r) => r.onTime).length;
    const rate = a.due.length ? Math.round((onTime / a.due.length) * 10_000) / 10_000 : null;
    const figure = (records: ScoreRecord[], weight: number): ScoreFigure => ({
      value: records.length,
      points: round2(records.length * weight),
      records,
    });
    const onTimeRate: RateFigure = {
      value: rate,
      due: a.due.length,
      onTime,
      points: round2(weights.weightOnTimeRate * (rate ?? 1)),
      records: a.due,
    };
    const signedOff = figure(a.signedOff, weights.weightSignedOff);
    const effective = figure(a.effective, weights.weightEffective);
    const bulletins = figure(a.bulletin, -weights.weightBulletin);
    const interviews = figure(a.interview, -weights.weightInterview);
    const accountabilities = figure(a.accountability, -weights.weightAccountability);
    const rebounds = figure(a.rebounds, -weights.weightRebound);
    const missingReports = figure(a.missing, -weights.weightMissingReport);
    const score = round2(
      [onTimeRate, signedOff, effective, bulletins, interviews, accountabilities, rebounds, missingReports].reduce(
        (n, f) => n + f.points,
        0,
      ),
    );
    return {
      unit,
      unitName: unitName(unit),
      rank: 0,
      score,
      onTimeRate,
      signedOff,
      effective,
      bulletins,
      interviews,
      accountabilities,
      rebounds,
      missingReports,
    };
  });
  return {
    year,
    asOf: new Date(Math.min(span.to, now)).toISOString(),
    weights: { ...weights },
    units: rankScores(units),
    records: units.reduce(
      (n, u) =>
        n +
        u.onTimeRate.due +
        [u.signedOff, u.effective, u.bulletins, u.interviews, u.accountabilities, u.rebounds, u.missingReports].reduce(
          (k, f) => k + f.value,
          0,
        ),
      0,
    ),
  };
}

/** Highest score first; equal scores share a rank (1, 2, 2, 4); within a rank, by unit code. */
export function rankScores(units: UnitScore[]): UnitScore[] {
  const sorted = [...units].sort((a, b) => b.score - a.score || a.unit.localeCompare(b.unit));
  sorted.forEach((u, i) => {
    const prev = sorted[i - 1];
    u.rank = prev && prev.score === u.score ? prev.rank : i + 1;
  });
  return sorted;
}
