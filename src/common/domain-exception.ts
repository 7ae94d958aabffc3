/** A refusal the caller can act on: a stable string code, an HTTP status, a message, optional details. */
export class DomainException extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The things a caller may look for, in Chinese (an unknown one is named as it is). */
const THINGS: Record<string, string> = {
  problem: '问题',
  task: '任务',
  file: '文件',
  'file content': '文件内容',
  unit: '单位',
  person: '人员',
  account: '账号',
  incident: '流程异常',
  'process instance': '流程实例',
  'process definition': '流程定义',
  definition: '流程定义',
  deployment: '部署',
  'calendar year': '工作日历年度',
  action: '督办措施',
  bulletin: '通报',
  channel: '通知渠道',
  message: '消息',
  month: '月份',
  'monthly report': '月度报告',
  indicator: '指标',
  'monthly report request': '月度报告请求',
  'monthly report task': '月度报告任务',
  notification: '通知',
  'process definition with key': '流程定义（键）',
  'process instance of problem': '问题的流程实例',
  'supervision action': '督办措施',
};

export const notFound = (what: string, id: string) =>
  new DomainException('NOT_FOUND', 404, `未找到${THINGS[what] ?? what} ${id}`);
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new DomainException('BAD_REQUEST', 400, message, details);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainException('CONFLICT', 409, message, details);
