import { ACTION_LABELS, type ActionRow } from './actions.repository.js';

/** The states an action goes through (each process writes its own), as the pages show them. */
export const ACTION_STATUS_LABELS: Record<string, string> = {
  issued: '已下发',
  open: '进行中',
  scheduling: '待安排',
  scheduled: '已安排',
  committed: '已承诺',
  kept: '已兑现',
  missed: '未兑现',
  referred: '已移交追责',
  closed: '已办结',
  decided: '已作出决定',
  requested: '待审批',
  granted: '已同意',
  refused: '未同意',
  void: '已作废',
};

export interface ActionView {
  id: string;
  problemId: string;
  problemCode: string | null;
  unitCode: string;
  personId: string | null;
  type: string;
  typeLabel: string;
  status: string;
  statusLabel: string;
  title: string;
  body: Record<string, unknown>;
  deadline: string | null;
  issuedAt: Date;
  closedAt: Date | null;
  processInstanceId: string | null;
  documentNo: string | null;
  /** The official document (.docx) of the action. */
  documentUrl: string;
}

export function actionView(a: ActionRow): ActionView {
  return {
    id: a.id,
    problemId: a.problem_id,
    problemCode: a.problem_code ?? null,
    unitCode: a.unit_code,
    personId: a.person_id,
    type: a.type,
    typeLabel: ACTION_LABELS[a.type] ?? a.type,
    status: a.status,
    statusLabel: ACTION_STATUS_LABELS[a.status] ?? a.status,
    title: a.title,
    body: a.body,
    deadline: a.deadline,
    issuedAt: a.issued_at,
    closedAt: a.closed_at,
    processInstanceId: a.process_instance_id,
    documentNo: a.document_no,
    documentUrl: `/api/supervision/actions/${a.id}.docx`,
  };
}
