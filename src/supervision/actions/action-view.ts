import { ACTION_LABELS, type ActionRow } from './actions.repository.js';

export interface ActionView {
  id: string;
  problemId: string;
  problemCode: string | null;
  unitCode: string;
  personId: string | null;
  type: string;
  typeLabel: string;
  status: string;
  title: string;
  body: Record<string, unknown>;
  deadline: string | null;
  issuedAt: Date;
  closedAt: Date | null;
  processInstanceId: string | null;
  documentNo: string | null;
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
    title: a.title,
    body: a.body,
    deadline: a.deadline,
    issuedAt: a.issued_at,
    closedAt: a.closed_at,
    processInstanceId: a.process_instance_id,
    documentNo: a.document_no,
  };
}
