import type { BatchRow, PetitionRow, PublicPetitionRow } from './petitions.repository.js';
import type { PetitionCounts } from './report/petition-counts.js';

export const STATUS_LABELS: Record<string, string> = {
  assigned: '待签收',
  investigating: '调查核实',
  handling: '处理整改',
  reviewing: '办公室审核',
  closed: '已办结',
  duplicate: '重复件',
};

export const BATCH_STATUS_LABELS: Record<string, string> = {
  queued: '等待导入',
  running: '导入中',
  done: '已导入',
  failed: '导入失败',
};

export function batchView(b: BatchRow, counts?: PetitionCounts) {
  return {
    id: b.id,
    code: b.code,
    title: b.title,
    receivedOn: b.received_on,
    closeBy: b.close_by,
    assignDays: b.assign_days,
    status: b.status,
    statusLabel: BATCH_STATUS_LABELS[b.status],
    rows: b.rows,
    done: b.done,
    message: b.message,
    errors: b.errors,
    createdAt: b.created_at,
    finishedAt: b.finished_at,
    publishedAt: b.published_at,
    ...(counts ? { counts } : {}),
  };
}

/** A complaint for the office: complainant fields included (the office reads them to call back). */
export function petitionView(p: PetitionRow, closeBy: string, today: string) {
  return {
    id: p.id,
    code: p.code,
    summary: p.summary,
    district: p.district,
    pollutionType: p.pollution_type,
    unitCode: p.unit_code,
    complainant: { name: p.complainant_name, phone: p.complainant_phone, address: p.complainant_address },
    duplicateOf: p.duplicate_of_code,
    status: p.status,
    statusLabel: STATUS_LABELS[p.status],
    verdict: p.verdict,
    investigation: p.investigation,
    evidence: p.evidence,
    handling: p.handling,
    accountability: p.accountability,
    measures: {
      orderedRectify: p.ordered_rectify,
      caseFiled: p.case_filed,
      fineWan: Number(p.fine_wan),
      detained: p.detained,
      interviewed: p.interviewed,
      accountablePeople: p.accountable_people,
    },
    lastingHarm: p.lasting_harm,
    returned: p.returned_count,
    reviewComment: p.review_comment,
    problemCode: p.problem_code,
    processInstanceId: p.process_instance_id,
    assignedOn: p.assigned_on,
    signedAt: p.signed_at,
    closedAt: p.closed_at,
    chases: p.chases,
    reviewTaskId: p.review_task_id,
    overdue: p.status !== 'closed' && p.status !== 'duplicate' && today > closeBy,
  };
}

/** What the public sees of a complaint: these fields, and never a complainant's name, phone or address. */
export function publicPetitionView(p: PublicPetitionRow) {
  return {
    code: p.code,
    district: p.district,
    pollutionType: p.pollution_type,
    verdict: p.status === 'duplicate' ? '重复件' : p.verdict,
    handling: p.status === 'duplicate' ? `与受理编号 ${p.duplicate_of_code ?? ''} 重复，合并办理` : p.handling,
    accountability: p.accountability,
    status: STATUS_LABELS[p.status],
  };
}
