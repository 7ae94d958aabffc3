/**
 * What the reports API answers — the monthly bulletin (月通报) and the annual score (年度考核) — as types shared
 * by the server, which computes them, and the pages, which show them. Types only: nothing here runs.
 */

// ---- the monthly bulletin ----

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
  /** Of those signed off: found effective (见效) at 回头看 by the cut-off. */
  effective: number;
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

/**
 * Units sharing problems they do not lead (配合单位): counted apart from the lead units, and ranked among
 * themselves on their own parts (分工) — on time or late against each part's own deadline.
 */
export interface CoUnitStat {
  unit: string;
  unitName: string;
  /** Problems it shares without leading them. */
  shared: number;
  /** Of those, the problem's deadline over and not signed off. */
  overdue: number;
  /** Its parts started by the cut-off. */
  parts: number;
  /** Part deadline over by the cut-off. */
  partsDue: number;
  /** Of those due: done on or before the part's deadline. */
  partsOnTime: number;
  /** Part deadline over, not done by the cut-off. */
  partsLate: number;
  /** partsOnTime ÷ partsDue; null when no part is due yet. */
  partsOnTimeRate: number | null;
  /** Among the co-units: by part on-time rate, then late parts; equal keys share a rank. */
  rank: number;
  /** The problems whose part it is late on (with the part's deadline). */
  lateParts: NamedProblem[];
  /** Problems whose part it was asked to report on that month and did not. */
  missingReports: NamedProblem[];
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
    /** 整改一个、销号一个、见效一个: of those signed off, found effective at 回头看. */
    effective: number;
    due: number;
    onTime: number;
    overdue: number;
    /** The lead units' problems: onTime ÷ due. */
    onTimeRate: number | null;
    /** The co-units' parts: deadline over, of those done on time, and late (not done). */
    partsDue: number;
    partsOnTime: number;
    partsLate: number;
    /** Every task due, the lead units' problems and the co-units' parts: (onTime + partsOnTime) ÷ (due + partsDue). */
    allOnTimeRate: number | null;
    units: number;
  };
  units: UnitStat[];
  coUnits: CoUnitStat[];
  laggards: Laggard[];
}

/** A bulletin as answered and as frozen: the figures, with the document's own particulars. */
export interface BulletinView extends BulletinData {
  title: string;
  issuer: string;
  documentNo: string | null;
  published: boolean;
  publishedAt: string | null;
  /** 分级督办: read by an office of a lower level, the bulletin restricted to its subtree (absent: the whole). */
  scope?: { unit: string; unitName: string };
}

// ---- the annual score ----

/**
 * The annual score's weights (考核权重): settings the office changes on the settings page, stored beside the
 * ladder's thresholds in `supervision_setting` under these keys. Whole points; the score is
 * on-time rate × `onTimeRate` + signed off × `signedOff` + effective × `effective` − each 通报, 约谈, 追责, rebound
 * and missing monthly report × its weight.
 */
export interface AssessmentWeights {
  /** Points for an on-time rate of 100 % (scaled by the rate; nothing due counts as no deadline missed). */
  weightOnTimeRate: number;
  /** Points per problem signed off (销号) in the year. */
  weightSignedOff: number;
  /** Points per problem found effective (见效) at 回头看 in the year. */
  weightEffective: number;
  /** Points off per 通报 against the unit in the year. */
  weightBulletin: number;
  /** Points off per 约谈 of the unit's leaders in the year. */
  weightInterview: number;
  /** Points off per 追责 decided against the unit in the year. */
  weightAccountability: number;
  /** Points off per rebound (反弹) found at 回头看 in the year. */
  weightRebound: number;
  /** Points off per monthly progress report missing (a problem not reported on in a month of the year). */
  weightMissingReport: number;
}

/** One record behind a figure: a problem, a supervision action, or a month's report not made. */
export interface ScoreRecord {
  kind: 'problem' | 'action' | 'report';
  /** The problem's or the action's id (for a missing report: the problem's). */
  id: string;
  /** The problem's code. */
  code: string;
  title: string;
  /** China date the record counts on: deadline, sign-off, issue, re-check (见效, 反弹); a month for a report. */
  date: string;
  documentNo?: string | null;
  /** For the on-time rate's problems: signed off on or before the deadline. */
  onTime?: boolean;
}

export interface ScoreFigure {
  value: number;
  /** What the figure adds to (or takes from) the score. */
  points: number;
  records: ScoreRecord[];
}

export interface RateFigure {
  /** onTime ÷ due; null when nothing fell due in the year. */
  value: number | null;
  due: number;
  onTime: number;
  points: number;
  /** The problems due in the year, each marked on time or not. */
  records: ScoreRecord[];
}

export interface UnitScore {
  unit: string;
  unitName: string;
  rank: number;
  score: number;
  onTimeRate: RateFigure;
  signedOff: ScoreFigure;
  /** 见效: its problems found effective at 回头看 in the year (整改一个、销号一个、见效一个). */
  effective: ScoreFigure;
  bulletins: ScoreFigure;
  interviews: ScoreFigure;
  accountabilities: ScoreFigure;
  rebounds: ScoreFigure;
  missingReports: ScoreFigure;
}

export interface AssessmentData {
  year: number;
  /** The cut-off: the year's end, or now for the current year. */
  asOf: string;
  weights: AssessmentWeights;
  units: UnitScore[];
  /**
   * The year's dated records over all units: problems due, sign-offs, 通报, 约谈, 追责, rebounds, missing
   * reports. 0: nothing fell due or happened in the year, and every unit's score is the full on-time points.
   */
  records: number;
  /** Answered by GET /api/assessment/current: the clock's year (the year answered is earlier when it has no records). */
  currentYear?: number;
}
