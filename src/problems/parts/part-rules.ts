import { DomainException } from '../../common/domain-exception.js';
import { isValidDate } from '../rules/china-date.js';

export const UNIT_PART = 'unit-part';
/** The rectification's wait for its parts (`coRectify`) takes this message once every part is done. */
export const MSG_PARTS_DONE = '分工全部完成';
export const MAX_PARTS = 50;
export const MAX_PART_MILESTONES = 50;

export interface PartMilestone {
  title: string;
  dueDate: string;
}

/** One co-responsible unit's part of a problem, as the plan assigns it. */
export interface PartPlan {
  unit: string;
  measures: string;
  deadline: string;
  milestones: PartMilestone[];
}

function invalid(field: string, message: string): DomainException {
  return new DomainException('INVALID_PLAN', 422, `${field}：${message}`, { fields: [{ field, message }] });
}

/**
 * The plan's parts (分工), checked against the problem: one per co-unit (配合单位), each with its measures and
 * its own deadline no later than the lead's, its milestones within that deadline. A plan that names no parts
 * gives each co-unit the plan itself to carry out by the lead's deadline (as a plan did before parts).
 */
export function checkParts(
  raw: unknown,
  coUnits: string[],
  leadDeadline: string,
  summary: unknown,
  unitName: (code: string) => string,
): PartPlan[] {
  if (raw === undefined || raw === null) {
    const measures =
      typeof summary === 'string' && summary.trim() ? summary.trim().slice(0, 2000) : '按整改方案配合整改';
    return coUnits.map((unit) => ({ unit, measures, deadline: leadDeadline, milestones: [] }));
  }
  if (!Array.isArray(raw)) throw invalid('parts', '配合单位分工应为列表，每项含 unit、measures、deadline');
  if (raw.length > MAX_PARTS) throw invalid('parts', `最多 ${MAX_PARTS} 项分工`);
  const seen = new Set<string>();
  const parts = raw.map((item, i): PartPlan => {
    const it = (item ?? {}) as Record<string, unknown>;
    const unit = typeof it.unit === 'string' ? it.unit.trim() : '';
    if (!coUnits.includes(unit))
      throw invalid(
        `parts[${i}].unit`,
        `${unit || '（空）'} 不是该问题的配合单位（配合单位：${coUnits.map(unitName).join('、') || '无'}）`,
      );
    if (seen.has(unit)) throw invalid(`parts[${i}].unit`, `${unitName(unit)} 的分工重复`);
    seen.add(unit);
    const measures = typeof it.measures === 'string' ? it.measures.trim() : '';
    if (!measures || measures.length > 2000) throw invalid(`parts[${i}].measures`, '分工措施必填，1 到 2000 个字符');
    const deadline = String(it.deadline ?? '');
    if (!isValidDate(deadline)) throw invalid(`parts[${i}].deadline`, '分工时限应为日期（YYYY-MM-DD）');
    if (deadline > leadDeadline)
      throw invalid(
        `parts[${i}].deadline`,
        `${unitName(unit)} 的分工时限 ${deadline} 晚于牵头单位整改时限 ${leadDeadline}`,
      );
    const ms = it.milestones ?? [];
    if (!Array.isArray(ms)) throw invalid(`parts[${i}].milestones`, '分工节点应为列表，每项含 title 和 dueDate');
    if (ms.length > MAX_PART_MILESTONES) throw invalid(`parts[${i}].milestones`, `最多 ${MAX_PART_MILESTONES} 个节点`);
    const milestones = ms.map((m, j): PartMilestone => {
      const mm = (m ?? {}) as Record<string, unknown>;
      const title = typeof mm.title === 'string' ? mm.title.trim() : '';
      const dueDate = String(mm.dueDate ?? '');
      if (!title || title.length > 200)
        throw invalid(`parts[${i}].milestones[${j}].title`, '节点名称必填，1 到 200 个字符');
      if (!isValidDate(dueDate)) throw invalid(`parts[${i}].milestones[${j}].dueDate`, '应为日期（YYYY-MM-DD）');
      if (dueDate > deadline)
        throw invalid(`parts[${i}].milestones[${j}].dueDate`, `节点日期 ${dueDate} 晚于分工时限 ${deadline}`);
      return { title, dueDate };
    });
    return { unit, measures, deadline, milestones };
  });
  const missing = coUnits.filter((u) => !seen.has(u));
  if (missing.length) throw invalid('parts', `缺少配合单位 ${missing.map(unitName).join('、')} 的分工`);
  return parts;
}
