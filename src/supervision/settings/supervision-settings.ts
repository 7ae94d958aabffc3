/**
 * The escalation ladder's thresholds (DESIGN.md §2). They are settings the office changes
 * (`PUT /api/supervision/settings`), not constants: a ladder takes them as process variables when it starts,
 * under these same names, so the diagram and the variables read alike.
 */
export interface SupervisionSettings {
  /** Working days before the deadline when the responsible person is reminded (light blue). */
  remindBefore: number;
  /** Working days past the deadline when the problem is named in a bulletin (通报). */
  bulletinAfter: number;
  /** Working days past the deadline when the unit's leaders are interviewed (约谈). */
  interviewAfter: number;
  /** Working days past the deadline when a special inspection (专项督察) starts; also at once when an interview commitment is missed. */
  inspectionAfter: number;
  /** Working days past the deadline when, still not signed off, accountability (追责) is opened. */
  accountabilityAfter: number;
  /** Working days a 督办单 of the ladder gives the unit to answer in writing. */
  noticeReplyDays: number;
  /** Working days a monthly 督办单 (月督办) gives the unit to answer in writing. */
  monthlyReplyDays: number;
  /** Day of the month by which units report their monthly progress (月调度); later is lagging (催报, light yellow). */
  monthlyReportDay: number;
  /** Working days a sign-off is on public notice (公示) for objections before it takes effect. */
  noticeDays: number;
}

export type SettingKey = keyof SupervisionSettings;

export const DEFAULT_SETTINGS: Readonly<SupervisionSettings> = {
  remindBefore: 5,
  bulletinAfter: 10,
  interviewAfter: 20,
  inspectionAfter: 30,
  accountabilityAfter: 40,
  noticeReplyDays: 5,
  monthlyReplyDays: 10,
  monthlyReportDay: 25,
  noticeDays: 5,
};

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

const RANGES: Record<SettingKey, [number, number]> = {
  remindBefore: [0, 60],
  bulletinAfter: [1, 250],
  interviewAfter: [1, 250],
  inspectionAfter: [1, 250],
  accountabilityAfter: [1, 250],
  noticeReplyDays: [1, 60],
  monthlyReplyDays: [1, 60],
  monthlyReportDay: [1, 28],
  noticeDays: [1, 30],
};

export const SETTING_LABELS: Record<SettingKey, string> = {
  remindBefore: '期限前提醒（工作日）',
  bulletinAfter: '逾期通报（工作日）',
  interviewAfter: '逾期约谈（工作日）',
  inspectionAfter: '逾期专项督察（工作日）',
  accountabilityAfter: '逾期追责（工作日）',
  noticeReplyDays: '督办单答复期限（工作日）',
  monthlyReplyDays: '月督办单答复期限（工作日）',
  monthlyReportDay: '月度进展报送日',
  noticeDays: '销号公示期（工作日）',
};

export interface FieldProblem {
  field: string;
  message: string;
}

/** Stored rows (key → jsonb value) over the defaults; unknown or malformed stored values fall back to the default. */
export function settingsFromRows(rows: { key: string; value: unknown }[]): SupervisionSettings {
  const out: SupervisionSettings = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    if (!(SETTING_KEYS as string[]).includes(r.key)) continue;
    const v = Number(r.value);
    if (Number.isInteger(v)) out[r.key as SettingKey] = v;
  }
  return out;
}

/**
 * What is wrong with `patch` applied over `current`: unknown keys, non-integers, values out of range, and a
 * ladder out of order (通报 before 约谈 before 专项督察). Empty when the result can be stored.
 */
export function checkSettings(
  current: SupervisionSettings,
  patch: Record<string, unknown>,
): { merged: SupervisionSettings; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const merged: SupervisionSettings = { ...current };
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    return { merged, problems: [{ field: 'body', message: 'an object of settings is required' }] };
  }
  for (const [key, value] of Object.entries(patch)) {
    if (!(SETTING_KEYS as string[]).includes(key)) {
      problems.push({ field: key, message: `unknown setting; known: ${SETTING_KEYS.join(', ')}` });
      continue;
    }
    const k = key as SettingKey;
    const [min, max] = RANGES[k];
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      problems.push({ field: k, message: 'must be a whole number' });
      continue;
    }
    if (value < min || value > max) {
      problems.push({ field: k, message: `must be between ${min} and ${max}` });
      continue;
    }
    merged[k] = value;
  }
  if (!problems.length) {
    if (merged.interviewAfter <= merged.bulletinAfter)
      problems.push({
        field: 'interviewAfter',
        message: `must be more than bulletinAfter (${merged.bulletinAfter}): 约谈 comes after 通报`,
      });
    if (merged.inspectionAfter <= merged.interviewAfter)
      problems.push({
        field: 'inspectionAfter',
        message: `must be more than interviewAfter (${merged.interviewAfter}): 专项督察 comes after 约谈`,
      });
    if (merged.accountabilityAfter <= merged.inspectionAfter)
      problems.push({
        field: 'accountabilityAfter',
        message: `must be more than inspectionAfter (${merged.inspectionAfter}): 追责 comes after 专项督察`,
      });
  }
  return { merged, problems };
}
