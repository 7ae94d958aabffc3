import type { ProblemRow } from './problems.repository.js';
import { LIGHT_LABELS, STATUS_LABELS, TIER_LABELS } from './problem-status.js';
import { lateness } from './rules/problem-rules.js';

export interface ProblemView {
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
  tierLabel: string;
  goal: string | null;
  recheckMonths: number;
  status: string;
  statusLabel: string;
  light: string;
  lightLabel: string;
  overdueDays: number;
  overdueWorkdays: number;
  overdueText: string | null;
  processInstanceId: string | null;
  round: number;
  previousProblemId: string | null;
  /** The problem this one was split from (拆分下达), if any. */
  parentProblemId: string | null;
  /** 进度汇总: the problems split from it, how many are signed off, and that share in percent (null: none). */
  rollup: { children: number; signedOff: number; percent: number } | null;
  createdAt: Date;
  signedOffAt: Date | null;
  closedAt: Date | null;
  recheckedAt: Date | null;
  /** 见效: when a 回头看 first found the rectification holding and showing its effect. */
  effectiveAt: Date | null;
  /** 责任领导: the username of a leader's account. */
  responsibleLeader: string | null;
  /** The level the problem came down from (its sign-off is filed there). */
  sourceLevel: string | null;
}

export function problemView(p: ProblemRow, now: number, isWorkday: (date: string) => boolean): ProblemView {
  const late = lateness({ status: p.status, deadline: p.deadline, signedOffAt: p.signed_off_at }, now, isWorkday);
  return {
    id: p.id,
    code: p.code,
    source: p.source,
    title: p.title,
    description: p.description,
    category: p.category,
    leadUnit: p.lead_unit,
    responsibleUnits: p.responsible_units,
    responsiblePerson: p.responsible_person,
    deadline: p.deadline,
    tier: p.tier,
    tierLabel: TIER_LABELS[p.tier] ?? p.tier,
    goal: p.goal,
    recheckMonths: p.recheck_months,
    status: p.status,
    statusLabel: STATUS_LABELS[p.status] ?? p.status,
    light: p.light,
    lightLabel: `${LIGHT_LABELS[p.light] ?? p.light}灯`,
    overdueDays: late.days,
    overdueWorkdays: late.workdays,
    overdueText: late.text,
    processInstanceId: p.process_instance_id,
    round: p.round,
    previousProblemId: p.previous_problem_id,
    parentProblemId: p.parent_problem_id,
    rollup: p.children_total
      ? {
          children: p.children_total,
          signedOff: p.children_signed_off,
          percent: Math.floor((100 * p.children_signed_off) / p.children_total),
        }
      : null,
    createdAt: p.created_at,
    signedOffAt: p.signed_off_at,
    closedAt: p.closed_at,
    recheckedAt: p.rechecked_at,
    effectiveAt: p.effective_at,
    responsibleLeader: p.responsible_leader,
    sourceLevel: p.source_level,
  };
}
