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
  formKey: string | null;
  assignee: string | null;
  candidateGroups: string[];
  due: string | null;
  created: string;
  overdue: boolean;
  daysLeft: number | null;
  problem: InboxProblem | null;
  completedAt?: string;
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
  createdAt: string;
  signedOffAt: string | null;
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

export interface ProblemDetail extends Problem {
  tasks: ProblemTask[];
  milestones: Milestone[];
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
  type: 'text' | 'textarea' | 'boolean' | 'date' | 'number' | 'milestones' | 'files' | 'select';
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
