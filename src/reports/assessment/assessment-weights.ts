import type { AssessmentWeights } from '../../web/shared/report-types.js';
import { WEIGHT_LABELS } from '../../web/shared/weight-labels.js';

export type { AssessmentWeights } from '../../web/shared/report-types.js';
export { WEIGHT_LABELS };

export type WeightKey = keyof AssessmentWeights;

export const DEFAULT_WEIGHTS: Readonly<AssessmentWeights> = {
  weightOnTimeRate: 60,
  weightSignedOff: 2,
  weightEffective: 2,
  weightBulletin: 2,
  weightInterview: 5,
  weightAccountability: 10,
  weightRebound: 5,
  weightMissingReport: 1,
};

export const WEIGHT_KEYS = Object.keys(DEFAULT_WEIGHTS) as WeightKey[];

const RANGES: Record<WeightKey, [number, number]> = {
  weightOnTimeRate: [0, 100],
  weightSignedOff: [0, 100],
  weightEffective: [0, 100],
  weightBulletin: [0, 100],
  weightInterview: [0, 100],
  weightAccountability: [0, 100],
  weightRebound: [0, 100],
  weightMissingReport: [0, 100],
};

export interface WeightProblem {
  field: string;
  message: string;
}

/** Stored rows over the defaults; an unknown key or a malformed stored value falls back to the default. */
export function weightsFromRows(rows: { key: string; value: unknown }[]): AssessmentWeights {
  const out: AssessmentWeights = { ...DEFAULT_WEIGHTS };
  for (const r of rows) {
    if (!(WEIGHT_KEYS as string[]).includes(r.key)) continue;
    const v = Number(r.value);
    if (Number.isInteger(v)) out[r.key as WeightKey] = v;
  }
  return out;
}

/** A partial change over the stored weights: every unknown key, non-integer and value out of range is named. */
export function checkWeights(
  current: AssessmentWeights,
  patch: Record<string, unknown>,
): { merged: AssessmentWeights; problems: WeightProblem[] } {
  const merged: AssessmentWeights = { ...current };
  if (!patch || typeof patch !== 'object' || Array.isArray(patch))
    return { merged, problems: [{ field: 'body', message: '应为考核权重对象' }] };
  const problems: WeightProblem[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (!(WEIGHT_KEYS as string[]).includes(key)) {
      problems.push({ field: key, message: `不是考核权重；可设置：${WEIGHT_KEYS.join('、')}` });
      continue;
    }
    const k = key as WeightKey;
    const [min, max] = RANGES[k];
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      problems.push({ field: k, message: `${WEIGHT_LABELS[k]}应为整数` });
      continue;
    }
    if (value < min || value > max) {
      problems.push({ field: k, message: `${WEIGHT_LABELS[k]}应在 ${min}–${max} 之间` });
      continue;
    }
    merged[k] = value;
  }
  return { merged, problems };
}
