/**
 * The annual score's weights (考核权重): settings the office changes on the settings page, stored beside the
 * ladder's thresholds in `supervision_setting` under these keys. Whole points; the score is
 * on-time rate × `onTimeRate` + signed off × `signedOff` − each 通报, 约谈, 追责, rebound and missing monthly
 * report × its weight.
 */
export interface AssessmentWeights {
  /** Points for an on-time rate of 100 % (scaled by the rate; nothing due counts as no deadline missed). */
  weightOnTimeRate: number;
  /** Points per problem signed off (销号) in the year. */
  weightSignedOff: number;
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

export type WeightKey = keyof AssessmentWeights;

export const DEFAULT_WEIGHTS: Readonly<AssessmentWeights> = {
  weightOnTimeRate: 60,
  weightSignedOff: 2,
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
  weightBulletin: [0, 100],
  weightInterview: [0, 100],
  weightAccountability: [0, 100],
  weightRebound: [0, 100],
  weightMissingReport: [0, 100],
};

export const WEIGHT_LABELS: Record<WeightKey, string> = {
  weightOnTimeRate: '按期完成率（满分）',
  weightSignedOff: '每销号一个问题加分',
  weightBulletin: '每次通报扣分',
  weightInterview: '每次约谈扣分',
  weightAccountability: '每次追责扣分',
  weightRebound: '每个反弹问题扣分',
  weightMissingReport: '每缺报一次月度进展扣分',
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
