// Chinese names for the codes the office and admin pages show (the API keeps the codes; people read these).

export const ACTION_STATUS_LABELS: Record<string, string> = {
  issued: '已下发',
  open: '进行中',
  closed: '已办结',
  referred: '已移送追责',
  decided: '已决定',
  scheduling: '待安排',
  scheduled: '已安排',
  committed: '已承诺',
  kept: '承诺已兑现',
  missed: '承诺未兑现',
  void: '已作废',
  requested: '待审核',
  granted: '已批准',
  refused: '不予批准',
};

/** What the body of an action holds, in the order a reader wants it (unknown keys are not shown). */
export const ACTION_BODY_LABELS: [string, string][] = [
  ['text', '内容'],
  ['problemCode', '问题编号'],
  ['problemTitle', '问题'],
  ['leadUnitName', '牵头单位'],
  ['responsiblePerson', '责任人'],
  ['deadline', '整改时限'],
  ['overdueWorkdays', '逾期工作日'],
  ['issuedOn', '下发日期'],
  ['mode', '督察方式'],
  ['reason', '事由'],
  ['interviewDate', '约谈时间'],
  ['interviewPlace', '约谈地点'],
  ['attendees', '参加人员'],
  ['minutes', '约谈纪要'],
  ['commitment', '整改承诺'],
  ['commitmentDeadline', '承诺完成时限'],
  ['findings', '督察结论'],
  ['inspectedOn', '督察日期'],
  ['measure', '追责方式'],
  ['investigation', '调查情况'],
  ['decidedOn', '决定日期'],
  ['before', '原整改时限'],
  ['requested', '申请延至'],
  ['requestedBy', '申请人'],
  ['requestedOn', '申请日期'],
  ['closedOn', '办结日期'],
  ['voidReason', '作废原因'],
];

export const CHANNEL_KIND_LABELS: Record<string, string> = {
  email: '电子邮件',
  wecom: '企业微信群机器人',
  dingtalk: '钉钉群机器人',
  inapp: '站内消息',
};

export const OWNER_TYPE_LABELS: Record<string, string> = {
  unit: '单位',
  person: '人员',
  role: '角色',
};

export const OUTBOX_STATUS_LABELS: Record<string, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
};

export const NOTIFY_KIND_LABELS: Record<string, string> = {
  task: '待办提醒',
  reminder: '期限提醒',
  notice: '督办通知',
  summons: '约谈通知',
  bulletin: '通报',
};

export const PERSON_ROLE_LABELS: Record<string, string> = {
  handler: '经办人',
  head: '负责人',
};

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'task.created': '生成待办',
  'task.ended': '完成环节',
  'task.claimed': '签收',
  'task.handover': '转办',
  'instance.started': '启动流程',
  'instance.ended': '流程结束',
  'problems.imported': '批量导入问题',
  'problem.imported': '导入问题',
  'problem.created': '新增问题',
  'problem.updated': '修改问题',
  'problem.assigned': '交办问题',
  'unit.created': '新增单位',
  'unit.updated': '修改单位',
  'person.created': '新增人员',
  'person.updated': '修改人员',
  'account.created': '新增账号',
  'account.updated': '修改账号',
  'account.password_reset': '重置密码',
  'account.disabled': '停用账号',
  'account.enabled': '启用账号',
  'problem.signed_off': '销号',
  'problem.rechecked': '回头看',
  'problem.signoff_refused': '验收不通过',
  'problem.signoff_verified': '验收通过（公示）',
  'auth.refreshed': '续期登录',
  'incident.raised': '发生异常事件',
  'incident.retried': '重试异常事件',
  'incident.resolved': '异常事件已排除',
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'access.refused': '越权访问被拒绝',
  'calendar.year_replaced': '发布年度工作日历',
  'clock.moved': '调整系统时钟',
  'deployment.created': '部署流程',
  'audit.key_applied': '启用审计密钥',
  'api.call': '接口操作',
};

export const AUDIT_ACTOR_LABELS: Record<string, string> = {
  system: '系统',
  timer: '定时任务',
  anonymous: '未登录访问者',
};

export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  task: '待办',
  problem: '问题',
  account: '账号',
  route: '接口',
  calendar_year: '工作日历',
  import: '导入',
  unit: '单位',
  person: '人员',
  clock: '系统时钟',
  deployment: '流程部署',
  instance: '流程实例',
};

export const AUDIT_BREAK_LABELS: Record<string, string> = {
  altered: '记录被篡改',
  removed: '记录被删除',
  'wrong-key': '审计密钥不符',
};

export const CALENDAR_SOURCE_LABELS: Record<string, string> = {
  'chinese-days': '国务院公布安排（内置）',
  office: '督办办公室发布',
  provisional: '临时推算（待公布）',
};

/** What each supervision setting means, under its field on the settings page (labels: SETTING_LABELS). */
export const SETTING_HINTS: Record<string, string> = {
  remindBefore: '整改时限前第几个工作日提醒责任人（亮蓝灯）',
  bulletinAfter: '逾期第几个工作日在月通报中点名',
  interviewAfter: '逾期第几个工作日约谈单位主要负责人（须晚于通报）',
  inspectionAfter: '逾期第几个工作日开展专项督察（须晚于约谈）',
  accountabilityAfter: '逾期第几个工作日仍未销号即启动追责问责（须晚于专项督察）',
  noticeReplyDays: '督办单下发后单位书面答复的工作日数',
  monthlyReplyDays: '月度督办单下发后单位书面答复的工作日数',
  monthlyReportDay: '每月几日前报送整改进展，逾期催报（亮黄灯）',
  signDays: '交办后几个工作日内牵头单位签收',
  planDays: '交办后几个工作日内报送整改方案',
  planReviewDays: '方案报送后几个工作日内办公室审核',
  selfCheckDays: '申请销号后几个工作日内牵头单位完成自查',
  verifyDays: '自查通过后几个工作日内办公室验收',
  objectionReviewDays: '公示期收到异议后几个工作日内办公室核查',
  recheckDays: '回头看开始后几个工作日内督察组办结',
  scheduleDays: '启动约谈后几个工作日内办公室安排约谈',
  minutesDays: '约谈后几个工作日内记录纪要',
  commitmentDays: '约谈后几个工作日内单位提交整改承诺',
  inspectDays: '专项督察下达后几个工作日内完成核查',
  investigateDays: '启动追责后几个工作日内调查核实',
  decideDays: '调查核实后几个工作日内作出追责决定',
  extensionReviewDays: '延期申请后几个工作日内办公室审核',
  chaseEvery: '任务逾期次一工作日9时催办，此后每隔几个工作日再催办',
  chaseTimes: '同一逾期任务最多催办几次（含第一次）',
  noticeDays: '验收通过后在信息公开页面公示的工作日数，公示期内可提出异议',
};

/** Office user-task steps (the rectification, extension, interview and accountability processes). */
export const OFFICE_STEP_LABELS: Record<string, string> = {
  review: '办公室审核方案',
  verify: '办公室验收',
  schedule: '安排约谈',
  hold: '约谈并记录纪要',
  decide: '追责决定',
  investigate: '调查核实',
};

export const INDICATOR_DIRECTION_LABELS: Record<string, string> = {
  '≤': '不高于',
  '≥': '不低于',
};

/** The changes recorded as `api.call` (entity `METHOD /route`), said as what the person did. */
export const AUDIT_ROUTE_LABELS: Record<string, string> = {
  'POST /api/problems': '新增问题',
  'PATCH /api/problems/:id': '修改问题',
  'POST /api/problems/:id/extension': '申请延期',
  'POST /api/problems/:id/files': '上传佐证材料',
  'POST /api/tasks/:id/claim': '签收待办',
  'POST /api/tasks/:id/unclaim': '退回待办',
  'POST /api/tasks/:id/handover': '转办',
  'POST /api/tasks/:id/complete': '办理待办',
  'POST /api/tasks/:id/extension': '申请延期',
  'POST /api/monthly-reports/tasks/:id': '报送月度进展',
  'POST /api/bulletins/:month/publish': '发布月通报',
  'PUT /api/indicators/:code/values/:month': '录入指标月度值',
  'PUT /api/supervision/settings': '修改督办升级设置',
  'POST /api/supervision/actions/:id/commitment-kept': '确认约谈承诺兑现',
  'POST /api/notify/channels': '新增通知渠道',
  'PATCH /api/notify/channels/:id': '修改通知渠道',
  'POST /api/notify/outbox/:id/retry': '重发通知',
  'POST /api/notify/mine/:id/read': '阅读消息',
  'PATCH /api/units/:code': '修改单位',
  'PATCH /api/persons/:id': '修改人员',
  'POST /api/accounts/:id/reset-password': '重置密码',
  'POST /api/incidents/:id/retry': '重试异常事件',
  'POST /api/auth/refresh': '续期登录',
};

/** Units of measure in words (the symbols read as letters to most readers). */
export const MEASURE_UNIT_LABELS: Record<string, string> = {
  'μg/m³': '微克/立方米',
  'mg/m³': '毫克/立方米',
  'mg/L': '毫克/升',
  '%': '%',
  days: '天',
};
