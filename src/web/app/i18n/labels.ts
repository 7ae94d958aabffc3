/**
 * Every label a person sees for a code the API sends: statuses, lights, roles, process names, action types,
 * error codes. A code with no label here is shown as it is (a code, never an English sentence).
 * pages-office appends its own keys in `office-labels.ts`.
 */

export const ROLE_LABELS: Record<string, string> = {
  admin: '系统管理员',
  office: '督办办公室',
  leader: '领导',
  inspector: '督察组',
  unit: '责任单位',
};

export const STATUS_LABELS: Record<string, string> = {
  assigned: '已交办',
  planning: '制定方案',
  rectifying: '整改中',
  applying: '申请销号',
  closed: '已销号',
  rechecking: '回头看',
  rebounded: '已反弹',
};

export const LIGHT_LABELS: Record<string, string> = { green: '绿灯', blue: '蓝灯', yellow: '黄灯', red: '红灯' };

/** What each light means, said on every page that shows lights. */
export const LIGHT_MEANINGS: Record<string, string> = {
  green: '按期推进：距整改时限 5 个工作日以上，进度符合序时要求',
  blue: '临近时限：距整改时限不足 5 个工作日，已提醒责任人',
  yellow: '进度滞后：落后于整改方案的序时进度或月度进展未报，已催报催办',
  red: '已超期：超过整改时限，已向牵头单位下发督办单',
};

/** Element Plus tag types / colours for the lights. */
export const LIGHT_COLORS: Record<string, string> = {
  green: '#2e7d32',
  blue: '#1565c0',
  yellow: '#d19a00',
  red: '#c62828',
};

export const TIER_LABELS: Record<string, string> = { short: '短期', medium: '中期', long: '长期' };

export const PROCESS_LABELS: Record<string, string> = {
  rectification: '问题整改',
  'escalation-ladder': '督办升级',
  extension: '延期申请',
  inspection: '专项督察',
  interview: '约谈',
  'monthly-cycle': '月调度、月通报、月督办',
  accountability: '追责问责',
  petition: '信访件办理',
};

export const ACTION_LABELS: Record<string, string> = {
  reminder: '提醒',
  urge: '催报催办',
  notice: '督办单',
  bulletin: '通报',
  interview: '约谈',
  inspection: '专项督察',
  accountability: '追责',
  extension: '延期',
};

export const ACTION_STATUS_LABELS: Record<string, string> = {
  issued: '已下发',
  open: '办理中',
  scheduling: '待安排',
  scheduled: '已安排',
  committed: '已承诺',
  decided: '已决定',
  requested: '待审核',
  granted: '已同意',
  refused: '未同意',
  void: '已作废',
  closed: '已办结',
  kept: '已兑现',
  broken: '未兑现',
};

/** What happened, in a problem's trail (the audit actions). */
export const TRAIL_LABELS: Record<string, string> = {
  'task.created': '进入环节',
  'task.ended': '完成环节',
  'task.completed': '完成环节',
  'task.claimed': '签收',
  'task.handover': '转办',
  'instance.started': '流程开始',
  'instance.ended': '流程结束',
  'problem.imported': '交办',
  'problem.created': '交办',
  'problem.updated': '修改问题',
  'problem.signed_off': '验收销号',
  'problem.signoff_refused': '验收退回',
  'problem.signoff_verified': '验收通过，进入公示',
  'problem.rechecked': '回头看',
  'problem.deadline_moved': '整改时限变更',
  'deadline.moved': '整改时限变更',
  'file.uploaded': '上传佐证材料',
  'monthly.reported': '报送月度进展',
  'extension.requested': '申请延期',
  'extension.decided': '延期审核',
  'action.issued': '督办措施',
};

export const TASK_STATE_LABELS: Record<string, string> = {
  open: '待办',
  done: '已办',
  cc: '抄送',
  claimed: '已签收',
  unclaimed: '未签收',
  completed: '已完成',
};

export const CHANNEL_LABELS: Record<string, string> = {
  inapp: '站内消息',
  email: '电子邮件',
  webhook: '接口推送',
  sms: '短信',
};

/** Chinese for the API's error codes (`error` / `code` in its answers). */
export const ERROR_LABELS: Record<string, string> = {
  VALIDATION: '填写的内容有误，请按提示修改',
  UNKNOWN_REFERENCE: '引用的单位、人员或文件不存在',
  TASK_GONE: '该事项已由他人办理或已结束',
  TASK_CLAIMED: '该事项已由他人签收',
  NOT_FOUND: '未找到',
  NOT_YOURS: '该事项不属于您',
  NOT_DEPLOYED: '该流程尚未部署',
  CONFLICT: '操作与当前状态冲突，请刷新后重试',
  BAD_REQUEST: '请求无效',
  ALREADY_PUBLISHED: '已发布，不能重复发布',
  WEBHOOK_REFUSED: '该推送地址不被接受',
  UNSUPPORTED_MEDIA_TYPE: '文件类型不被接受（可上传 JPEG、PNG、PDF、Word、Excel 等）',
  TOO_MANY_REQUESTS: '操作过于频繁，请稍后再试',
  PAYLOAD_TOO_LARGE: '文件过大',
  NO_PROBLEM: '未找到对应的问题',
  NO_CORRELATION: '没有等待该消息的流程',
  MONTH_NOT_OVER: '该月尚未结束',
  MONTH_NOT_BEGUN: '该月尚未开始',
  LOCKED: '多次登录失败，账号已暂时锁定',
  LAST_ADMIN: '不能停用或降级最后一个系统管理员',
  INVALID_PLAN: '整改方案不符合要求',
  INVALID_FORM: '表单内容不符合要求',
  INVALID_CREDENTIALS: '用户名或密码错误',
  INCIDENT: '流程运行出错，已记录为异常事件',
  IMPORT_INVALID: '导入文件有错误，请按行修改后重新导入',
  IMPORT_FAILED: '导入失败',
  FORM_UNKNOWN: '该环节没有对应的表单',
  FORBIDDEN: '无权进行此操作',
  ENGINE_ERROR: '流程引擎出错',
  DEPLOY_REFUSED: '流程文件不被接受',
  UNAVAILABLE: '数据库暂时不可用，请稍后重试',
  INTERNAL: '服务内部错误，请稍后重试或联系管理员',
  DISABLED: '账号已停用，请联系管理员',
};

/** Chinese for an HTTP status when the answer carries no code. */
export const STATUS_ERRORS: Record<number, string> = {
  400: '请求无效',
  401: '登录已失效，请重新登录',
  403: '无权进行此操作',
  404: '未找到',
  409: '操作与当前状态冲突，请刷新后重试',
  413: '文件过大',
  415: '文件类型不被接受',
  422: '填写的内容有误，请按提示修改',
  423: '账号已暂时锁定',
  429: '操作过于频繁，请稍后再试',
  500: '服务内部错误',
  502: '服务暂时不可用',
  503: '服务暂时不可用，请稍后重试',
};

export function label(table: Record<string, string>, code: string | null | undefined, empty = '—'): string {
  if (code === null || code === undefined || code === '') return empty;
  return table[code] ?? code;
}

/** True when a text has Chinese in it (a message the API already said in Chinese). */
export function hasChinese(text: string | null | undefined): boolean {
  return !!text && /[\u4e00-\u9fff]/.test(text);
}

/** class-validator's English messages for one field, said in Chinese where the pattern is known. */
export function fieldMessage(message: string): string {
  const m = String(message ?? '');
  if (hasChinese(m)) return m;
  const rules: [RegExp, string | ((x: RegExpExecArray) => string)][] = [
    [/should not be empty|must be longer than or equal to 1 characters|is required|must be a string$/, '必填'],
    [/must be longer than or equal to (\d+)/, (x) => `至少 ${x[1]} 个字`],
    [/must be shorter than or equal to (\d+)/, (x) => `不超过 ${x[1]} 个字`],
    [/ISO 8601|YYYY-MM-DD|must be a valid date/, '日期格式应为 年-月-日'],
    [/after the deadline (\d{4}-\d{2}-\d{2})/, (x) => `不得晚于整改时限 ${x[1]}`],
    [
      /before the assignment date (\d{4}-\d{2}-\d{2})?/,
      (x) => (x[1] ? `不得早于交办日期 ${x[1]}` : '不得早于交办日期'),
    ],
    [/must be a boolean/, '请选择是或否'],
    [/must not be greater than (\d+)/, (x) => `不能大于 ${x[1]}`],
    [/must not be less than (-?\d+)/, (x) => `不能小于 ${x[1]}`],
    [/must be an integer|must be an integer number/, '应为整数'],
    [/must be a number/, '应为数字'],
    [/must be an array/, '请至少填写一项'],
    [/must contain at least (\d+)/, (x) => `至少填写 ${x[1]} 项`],
    [/should not exist/, '不接受此项'],
    [/must be a UUID/, '标识无效'],
    [/must be an email/, '邮箱格式不正确'],
    [/must be one of the following values/, '请从选项中选择'],
    [/unknown unit/, '单位不存在'],
    [/unknown person/, '人员不存在'],
    [/must match/, '格式不正确'],
  ];
  for (const [re, say] of rules) {
    const x = re.exec(m);
    if (x) return typeof say === 'function' ? say(x) : say;
  }
  return '填写有误';
}
