/**
 * The reason of an incident in words the office reads. A message already in Chinese (a domain refusal such as a
 * year with no calendar) is shown as it is; a technical one gets the Chinese sentence of its kind, and the
 * technical text stays beside it for the administrator.
 */
const HAN = /[\u4e00-\u9fff]/;

const KINDS: { test: RegExp; reason: string }[] = [
  {
    test: /no handler registered/i,
    reason: '流程图中的服务任务没有对应的处理程序（部署的流程与程序版本不一致），请系统管理员处理后重试。',
  },
  {
    test: /timer|repeats|period|does not resolve to a date/i,
    reason: '流程图中的定时器（时间表达式）无效，请修改流程图后重试。',
  },
  { test: /definition|not deployed/i, reason: '流程所用的流程定义已不存在或无法加载，请重新部署后重试。' },
  { test: /not found|no action record/i, reason: '流程引用的记录不存在（可能已被删除），请核对后重试。' },
  { test: /variable|is not a date/i, reason: '流程变量缺失或格式不对（如日期），请核对问题信息后重试。' },
  { test: /timeout|ECONN|database|connection/i, reason: '数据库或外部服务暂时不可用，请稍后重试。' },
];

export function incidentReason(message: string): string {
  const text = String(message ?? '').trim();
  if (HAN.test(text)) return text;
  for (const k of KINDS) if (k.test.test(text)) return k.reason;
  return '流程步骤执行出错，请系统管理员查看技术详情，处理后重试。';
}
