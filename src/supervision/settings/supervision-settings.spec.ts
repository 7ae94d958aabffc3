import {
  checkSettings,
  DEFAULT_SETTINGS,
  TASK_SETTING_KEYS,
  SETTING_GROUPS,
  SETTING_KEYS,
  SETTING_LABELS,
  settingsFromRows,
} from './supervision-settings.js';

describe('supervision settings', () => {
  it('puts every setting in exactly one group of the settings page, each with its label', () => {
    const grouped = SETTING_GROUPS.flatMap((g) => g.keys);
    expect([...grouped].sort()).toEqual([...SETTING_KEYS].sort());
    expect(new Set(grouped).size).toBe(grouped.length);
    for (const k of SETTING_KEYS) expect(SETTING_LABELS[k]).toMatch(/[\u4e00-\u9fff]/);
  });

  it('defaults to DESIGN.md §2 and reads stored values over them', () => {
    expect(DEFAULT_SETTINGS).toEqual({
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
    });
    expect(
      settingsFromRows([
        { key: 'bulletinAfter', value: 8 },
        { key: 'unknown', value: 1 },
        { key: 'remindBefore', value: 'x' },
      ]),
    ).toEqual({ ...DEFAULT_SETTINGS, bulletinAfter: 8 });
  });

  it('accepts a partial change checked against the rest', () => {
    expect(checkSettings(DEFAULT_SETTINGS, { remindBefore: 3 })).toEqual({
      merged: { ...DEFAULT_SETTINGS, remindBefore: 3 },
      problems: [],
    });
    expect(checkSettings(DEFAULT_SETTINGS, { interviewAfter: 40 }).problems).toEqual([
      { field: 'inspectionAfter', message: expect.stringContaining('须大于逾期约谈（工作日）（40）') },
    ]);
  });

  it('names every bad field: unknown, not whole, out of range', () => {
    const { problems } = checkSettings(DEFAULT_SETTINGS, {
      remindBefore: -1,
      bulletinAfter: 2.5,
      monthlyReportDay: 31,
      colour: 'red',
    });
    expect(problems.map((p) => p.field).sort()).toEqual([
      'bulletinAfter',
      'colour',
      'monthlyReportDay',
      'remindBefore',
    ]);
    expect(checkSettings(DEFAULT_SETTINGS, null as never).problems).toHaveLength(1);
  });
  it('starts every process with the due dates of its tasks and the cadence of their chase', () => {
    expect([...TASK_SETTING_KEYS].sort()).toEqual(
      [
        'signDays',
        'planDays',
        'planReviewDays',
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
        'extensionReviewDays',
        'chaseEvery',
        'chaseTimes',
      ].sort(),
    );
  });
});
