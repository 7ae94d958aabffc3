/** Names of what a step's form sends, for what was submitted with a step (the trail, 已办). */
export const FIELD_LABELS: Record<string, string> = {
  note: '签收意见',
  summary: '内容',
  plan: '整改方案',
  milestones: '节点计划',
  planApproved: '方案通过',
  comment: '意见',
  percent: '完成进度',
  text: '进展',
  verified: '验收通过',
  rebound: '问题反弹',
  findings: '检查情况',
  reason: '理由',
  date: '日期',
  approved: '同意',
  reviewComments: '审核意见',
  commitment: '承诺事项',
  commitmentDeadline: '承诺完成时限',
  deadline: '整改时限',
  measure: '追责方式',
  persons: '责任人',
  interviewDate: '约谈时间',
  interviewPlace: '约谈地点',
  attendees: '参加人员',
  inspectionMode: '督察方式',
  accountable: '需要追责',
};

const HIDDEN = new Set([
  'completedBy',
  'evidenceFileIds',
  'activityId',
  'name',
  'activityName',
  'taskId',
  'instanceId',
  'definitionKey',
  'processKey',
  'formKey',
  'businessKey',
]);

export function valueText(v: unknown): string {
  if (v === true) return '是';
  if (v === false) return '否';
  if (Array.isArray(v))
    return v
      .map((x) => (x && typeof x === 'object' ? Object.values(x as Record<string, unknown>).join(' ') : String(x)))
      .join('；');
  if (v && typeof v === 'object')
    return Object.values(v as Record<string, unknown>)
      .map(String)
      .join(' ');
  return String(v);
}

/** What was submitted, one labelled line a field (fields without a Chinese name left out). */
export function submittedLines(src: Record<string, unknown> | null | undefined): { label: string; value: string }[] {
  if (!src) return [];
  return Object.entries(src)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== '' && FIELD_LABELS[k])
    .map(([k, v]) => ({ label: FIELD_LABELS[k], value: k === 'percent' ? `${String(v)}%` : valueText(v) }));
}
