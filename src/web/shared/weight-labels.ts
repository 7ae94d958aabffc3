import type { AssessmentWeights } from './report-types.js';

/** The annual score's weights by name, in the order the settings page shows them (the server names them so too). */
export const WEIGHT_LABELS: Readonly<Record<keyof AssessmentWeights, string>> = {
  weightOnTimeRate: '按期完成率（满分）',
  weightSignedOff: '每销号一个问题加分',
  weightEffective: '每个问题回头看见效加分',
  weightBulletin: '每次通报扣分',
  weightInterview: '每次约谈扣分',
  weightAccountability: '每次追责扣分',
  weightRebound: '每个反弹问题扣分',
  weightMissingReport: '每缺报一次月度进展扣分',
};
