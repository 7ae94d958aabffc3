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
  // Every task's due date, in working days (camunda:dueDate `workdays(${signDays}, …)`), and its chase.
  /** 牵头单位签收, from the day of assignment. */
  signDays: number;
  /** 制定整改方案, from the day of assignment. */
  planDays: number;
  /** 办公室审核方案, from the plan's submission. */
  planReviewDays: number;
  /** 牵头单位自查 (sign-off), from the application for sign-off. */
  selfCheckDays: number;
  /** 办公室验收, from the self-check. */
  verifyDays: number;
  /** 异议核查 of an objection to a sign-off on notice, from the objection. */
  objectionReviewDays: number;
  /** 回头看 by the inspectors, from when it falls due. */
  recheckDays: number;
  /** 安排约谈, from the interview's opening. */
  scheduleDays: number;
  /** 约谈并记录纪要, from the interview's date. */
  minutesDays: number;
  /** 提交整改承诺, from the interview's minutes. */
  commitmentDays: number;
  /** 督察核查, from the inspection's opening. */
  inspectDays: number;
  /** 追责调查核实, from the case's opening. */
  investigateDays: number;
  /** 追责决定, from the investigation's end. */
  decideDays: number;
  /** 审核延期申请, from the request. */
  extensionReviewDays: number;
  /** An overdue task is chased at 09:00 of the first working day after its due date, then every this many working days. */
  chaseEvery: number;
  /** At most this many chases of one overdue task (the first included). */
  chaseTimes: number;
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
  signDays: 3,
  planDays: 10,
  planReviewDays: 5,
  selfCheckDays: 5,
  verifyDays: 10,
  objectionReviewDays: 5,
  recheckDays: 20,
  scheduleDays: 5,
  minutesDays: 5,
  commitmentDays: 5,
  inspectDays: 10,
  investigateDays: 15,
  decideDays: 10,
  extensionReviewDays: 5,
  chaseEvery: 3,
  chaseTimes: 5,
  noticeDays: 5,
};

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

/** The smallest and largest value of each setting (the settings page offers the same). */
export const SETTING_RANGES: Record<SettingKey, [number, number]> = {
  remindBefore: [0, 60],
  bulletinAfter: [1, 250],
  interviewAfter: [1, 250],
  inspectionAfter: [1, 250],
  accountabilityAfter: [1, 250],
  noticeReplyDays: [1, 60],
  monthlyReplyDays: [1, 60],
  monthlyReportDay: [1, 28],
  signDays: [1, 60],
  planDays: [1, 60],
  planReviewDays: [1, 60],
  selfCheckDays: [1, 60],
  verifyDays: [1, 60],
  objectionReviewDays: [1, 60],
  recheckDays: [1, 60],
  scheduleDays: [1, 60],
  minutesDays: [1, 60],
  commitmentDays: [1, 60],
  inspectDays: [1, 60],
  investigateDays: [1, 60],
  decideDays: [1, 60],
  extensionReviewDays: [1, 60],
  chaseEvery: [1, 60],
  chaseTimes: [1, 20],
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
  signDays: '签收期限（工作日）',
  planDays: '制定整改方案期限（工作日）',
  planReviewDays: '方案审核期限（工作日）',
  selfCheckDays: '自查期限（工作日）',
  verifyDays: '验收期限（工作日）',
  objectionReviewDays: '异议核查期限（工作日）',
  recheckDays: '回头看期限（工作日）',
  scheduleDays: '安排约谈期限（工作日）',
  minutesDays: '约谈纪要期限（工作日）',
  commitmentDays: '整改承诺期限（工作日）',
  inspectDays: '督察核查期限（工作日）',
  investigateDays: '追责调查核实期限（工作日）',
  decideDays: '追责决定期限（工作日）',
  extensionReviewDays: '延期审核期限（工作日）',
  chaseEvery: '逾期催办间隔（工作日）',
  chaseTimes: '逾期催办次数上限',
  noticeDays: '销号公示期（工作日）',
};

/**
 * The settings as the settings page shows them: in groups, each in the order of its work. Every setting is in
 * exactly one group (supervision-settings.spec.ts).
 */
export const SETTING_GROUPS: readonly { title: string; hint: string; keys: readonly SettingKey[] }[] = [
  {
    title: '升级阶梯',
    hint: '按工作日计算：期限前提醒 → 逾期下发督办单 → 逾期通报 → 逾期约谈 → 逾期专项督察 → 逾期追责',
    keys: [
      'remindBefore',
      'noticeReplyDays',
      'bulletinAfter',
      'interviewAfter',
      'inspectionAfter',
      'accountabilityAfter',
    ],
  },
  {
    title: '各环节办理期限',
    hint: '每个办理环节的期限（工作日），流程启动时取用',
    keys: [
      'signDays',
      'planDays',
      'planReviewDays',
      'extensionReviewDays',
      'selfCheckDays',
      'verifyDays',
      'objectionReviewDays',
      'recheckDays',
      'scheduleDays',
      'minutesDays',
      'commitmentDays',
      'inspectDays',
      'investigateDays',
      'decideDays',
    ],
  },
  { title: '催办', hint: '环节逾期后的自动催办', keys: ['chaseEvery', 'chaseTimes'] },
  { title: '月调度', hint: '每月整改进展的报送与月度督办', keys: ['monthlyReportDay', 'monthlyReplyDays'] },
  { title: '销号公示', hint: '验收通过后的公示期', keys: ['noticeDays'] },
];

/**
 * The settings every process starts with (as variables of the same names): the due dates of its tasks and
 * the cadence of their chase. Taken when the process starts, as the ladder takes its thresholds.
 */
export const TASK_SETTING_KEYS: readonly SettingKey[] = SETTING_GROUPS.filter(
  (g) => g.title === '各环节办理期限' || g.title === '催办',
).flatMap((g) => g.keys);

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
    return { merged, problems: [{ field: 'body', message: '请提交一组设置（对象）' }] };
  }
  for (const [key, value] of Object.entries(patch)) {
    if (!(SETTING_KEYS as string[]).includes(key)) {
      problems.push({
        field: key,
        message: `没有这项设置；可设置的有：${SETTING_KEYS.map((k) => SETTING_LABELS[k]).join('、')}`,
      });
      continue;
    }
    const k = key as SettingKey;
    const [min, max] = SETTING_RANGES[k];
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      problems.push({ field: k, message: `${SETTING_LABELS[k]}须为整数` });
      continue;
    }
    if (value < min || value > max) {
      problems.push({ field: k, message: `${SETTING_LABELS[k]}须在 ${min} 到 ${max} 之间` });
      continue;
    }
    merged[k] = value;
  }
  if (!problems.length) {
    if (merged.interviewAfter <= merged.bulletinAfter)
      problems.push({
        field: 'interviewAfter',
        message: `${SETTING_LABELS.interviewAfter}须大于${SETTING_LABELS.bulletinAfter}（${merged.bulletinAfter}）：约谈在通报之后`,
      });
    if (merged.inspectionAfter <= merged.interviewAfter)
      problems.push({
        field: 'inspectionAfter',
        message: `${SETTING_LABELS.inspectionAfter}须大于${SETTING_LABELS.interviewAfter}（${merged.interviewAfter}）：专项督察在约谈之后`,
      });
    if (merged.accountabilityAfter <= merged.inspectionAfter)
      problems.push({
        field: 'accountabilityAfter',
        message: `${SETTING_LABELS.accountabilityAfter}须大于${SETTING_LABELS.inspectionAfter}（${merged.inspectionAfter}）：追责在专项督察之后`,
      });
  }
  return { merged, problems };
}
