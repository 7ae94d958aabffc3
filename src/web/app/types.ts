/** Shapes of the API answers the pages read (what they use of them). */

export interface InboxProblem {
  id: string;
  code: string;
  title: string;
  light: string;
  status: string;
  leadUnit: string;
  deadline: string;
}

export interface InboxItem {
  id: string;
  name: string | null;
  step: string;
  process: string;
  /** The business key: a problem's code, a complaint's 受理编号. */
  businessKey?: string | null;
  formKey: string | null;
  assignee: string | null;
  candidateGroups: string[];
  due: string | null;
  created: string;
  overdue: boolean;
  daysLeft: number | null;
  problem: InboxProblem | null;
}

/** 已办: a task completed by this account (a unit account: by its unit). */
export interface DoneItem {
  id: string;
  name: string | null;
  step: string;
  process: string;
  started: string;
  completedAt: string;
  completedBy: { username: string; personName: string | null; unitCode: string | null; unitName: string | null };
  submitted: Record<string, unknown> | null;
  problem: InboxProblem | null;
}

/** 抄送: a document copied to the reader. */
export interface CopyItem {
  kind: 'action' | 'bulletin';
  id: string;
  type: string;
  title: string;
  documentNo: string | null;
  issuedAt: string;
  toUnit: string | null;
  toUnitName: string | null;
  docx: string;
  problem: { id: string; code: string; title: string; light: string } | null;
}

export interface ViewPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface InboxPage {
  items: InboxItem[];
  total: number;
  page: number;
  pageSize: number;
  counts: { all: number; overdue: number; dueSoon: number; byProcess?: Record<string, number> } & Record<
    string,
    unknown
  >;
}

export interface Problem {
  id: string;
  code: string;
  source: string | null;
  title: string;
  description: string | null;
  category: string;
  leadUnit: string;
  responsibleUnits: string[];
  responsiblePerson: string | null;
  deadline: string;
  tier: string;
  goal: string | null;
  recheckMonths: number;
  status: string;
  light: string;
  overdueDays: number;
  processInstanceId: string | null;
  round: number;
  previousProblemId: string | null;
  nextRoundId?: string | null;
  /** 拆分下达: the problem this one was split from, and the roll-up of the problems split from it. */
  parentProblemId?: string | null;
  rollup?: { children: number; signedOff: number; percent: number } | null;
  createdAt: string;
  signedOffAt: string | null;
  /** 见效: when a 回头看 first found the rectification holding and showing its effect. */
  effectiveAt?: string | null;
  /** 责任领导: a leader account's username. */
  responsibleLeader?: string | null;
}

export interface ProblemTask {
  id: string;
  activityId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  formKey: string | null;
  dueAt: string | null;
  createdAt: string;
}

export interface Milestone {
  id: string;
  seq: number;
  title: string;
  dueDate: string;
  doneDate: string | null;
}

export interface Progress {
  month: string;
  unitCode: string;
  percent: number;
  text: string;
  reportedAt?: string;
}

/** A co-unit's part of the problem (配合单位分工). */
export interface ProblemPart {
  id: string;
  unit: string;
  measures: string;
  deadline: string;
  status: 'planned' | 'open' | 'done';
  report: string | null;
  doneAt: string | null;
}

export interface ProblemDetail extends Problem {
  tasks: ProblemTask[];
  milestones: Milestone[];
  parts?: ProblemPart[];
  progress: Progress[];
  processInstance: { id: string; status: string } | null;
  /** The trail, oldest first (told by the service: step, what was submitted, person and unit). */
  timeline?: unknown[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'boolean' | 'date' | 'number' | 'milestones' | 'parts' | 'files' | 'select';
  required: boolean;
  options?: string[];
}

export interface TaskDetail {
  id: string;
  name: string | null;
  step: string;
  process: string;
  instanceId: string;
  assignee: string | null;
  candidateGroups: string[];
  due: string | null;
  created: string;
  documentation: string | null;
  properties: Record<string, string>;
  input: Record<string, unknown>;
  form: { key: string; title: string; fields: FormField[] } | null;
  problem: Record<string, unknown> | null;
}

export interface Unit {
  code: string;
  name: string;
  parent?: string | null;
}

export interface SupervisionAction {
  id: string;
  problemId: string | null;
  type: string;
  typeLabel?: string;
  status: string;
  statusLabel?: string;
  title: string;
  documentNo: string | null;
  unitCode?: string | null;
  issuedAt: string;
  deadline: string | null;
}
