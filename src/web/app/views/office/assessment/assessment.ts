/** The annual score (年度考核) as the API answers it, and the names of its indicators. */
export interface ScoreRecord {
  kind: 'problem' | 'action' | 'report';
  id: string;
  code: string;
  title: string;
  date: string;
  documentNo?: string | null;
  onTime?: boolean;
}
export interface ScoreFigure {
  value: number;
  points: number;
  records: ScoreRecord[];
}
export interface RateFigure {
  value: number | null;
  due: number;
  onTime: number;
  points: number;
  records: ScoreRecord[];
}
export interface UnitScore {
  unit: string;
  unitName: string;
  rank: number;
  score: number;
  onTimeRate: RateFigure;
  signedOff: ScoreFigure;
  bulletins: ScoreFigure;
  interviews: ScoreFigure;
  accountabilities: ScoreFigure;
  rebounds: ScoreFigure;
  missingReports: ScoreFigure;
}
export interface Assessment {
  year: number;
  asOf: string;
  weights: Record<string, number>;
  units: UnitScore[];
  /** The year's dated records over all units; 0: nothing fell due or happened in it. */
  records: number;
  /** From GET /api/assessment/current: the service clock's year (the year answered is earlier when it has none). */
  currentYear?: number;
}

export type CountKey = 'signedOff' | 'bulletins' | 'interviews' | 'accountabilities' | 'rebounds' | 'missingReports';

export const COUNT_FIGURES: { key: CountKey; label: string }[] = [
  { key: 'signedOff', label: '销号问题' },
  { key: 'bulletins', label: '通报' },
  { key: 'interviews', label: '约谈' },
  { key: 'accountabilities', label: '追责' },
  { key: 'rebounds', label: '反弹' },
  { key: 'missingReports', label: '缺报月度进展' },
];

export const rateText = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
