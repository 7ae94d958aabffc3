/** The annual score (年度考核) as the API answers it (the types the server computes it with), and its indicators' names. */
import type { AssessmentData } from '../../../../shared/report-types';

export type { RateFigure, ScoreFigure, ScoreRecord, UnitScore } from '../../../../shared/report-types';

export type Assessment = AssessmentData;

export type CountKey =
  'signedOff' | 'effective' | 'bulletins' | 'interviews' | 'accountabilities' | 'rebounds' | 'missingReports';

export const COUNT_FIGURES: { key: CountKey; label: string }[] = [
  { key: 'signedOff', label: '销号问题' },
  { key: 'effective', label: '见效问题' },
  { key: 'bulletins', label: '通报' },
  { key: 'interviews', label: '约谈' },
  { key: 'accountabilities', label: '追责' },
  { key: 'rebounds', label: '反弹' },
  { key: 'missingReports', label: '缺报月度进展' },
];

export const rateText = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
