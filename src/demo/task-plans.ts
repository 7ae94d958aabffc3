import { addDays, chinaDate } from '../problems/rules/china-date.js';

/** An open task as the simulated office and units see it. */
export interface OpenTask {
  id: string;
  definitionKey: string;
  activityId: string;
  formKey: string | null;
  businessKey: string | null;
  unit: string | null;
  createdAt: number;
  dueAt: number | null;
  deadline: string | null;
  title: string | null;
  person: string | null;
}

const DAY = 86_400_000;

/**
 * What a problem's units do in `simulate --act mixed`: most act on time, some never finish the works (late),
 * one asks for an extension that is granted, one for one that is refused, one is refused its sign-off once,
 * one rebounds at 回头看, one misses the commitment it made at its interview, one is objected to during its 公示
 * (the office upholds the objection and sends it back once).
 */
export type Role =
  | 'on-time'
  | 'late'
  | 'co-unit-late'
  | 'extension-granted'
  | 'extension-refused'
  | 'signoff-rejected'
  | 'rebound'
  | 'commitment-missed'
  | 'signoff-objected';

const SPECIAL: Role[] = [
  'extension-granted',
  'extension-refused',
  'signoff-rejected',
  'rebound',
  'commitment-missed',
  'signoff-objected',
];

/**
 * Roles by problem code, the same for the same list. The special roles go, in their order, to the problems due
 * soonest on or after `from` (the simulation's first day; ties by code), so that each of their stories (an
 * extension asked ten days before the deadline, a sign-off, a 回头看 months after it, an interview on a late
 * problem) unfolds within a run of some months; a problem already overdue at `from` cannot ask for an extension.
 * Then every third problem by code is late; of the rest, every fourth has its co-units finish their parts late
 * (the lead on time, waiting for them).
 */
export function mixedRoles(problems: { code: string; deadline: string }[], from: string): Map<string, Role> {
  const soonest = problems
    .filter((p) => p.deadline >= from)
    .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.code.localeCompare(b.code))
    .slice(0, SPECIAL.length);
  const roles = new Map<string, Role>(soonest.map((p, i) => [p.code, SPECIAL[i]]));
  [...problems]
    .map((p) => p.code)
    .sort()
    .forEach((code, i) => {
      if (!roles.has(code)) roles.set(code, i % 3 === 0 ? 'late' : i % 4 === 2 ? 'co-unit-late' : 'on-time');
    });
  return roles;
}

/** A co-unit late on its part finishes it this long after the part's deadline (its own ladder climbs meanwhile). */
const CO_UNIT_LATE_DAYS = 20;

/** The works are never finished: the ladder climbs. */
export function neverRectifies(role: Role): boolean {
  return role === 'late' || role === 'extension-refused' || role === 'commitment-missed';
}
const at = (date: string, hours = 10) => Date.parse(`${date}T${String(hours).padStart(2, '0')}:00:00+08:00`);

/**
 * When a diligent unit (and office) completes a task: soon after it appears, the rectification itself some
 * weeks before the deadline, always before the task's own due time. Null: a task the simulation does not do.
 */
export function plannedAt(t: OpenTask, role: Role = 'on-time'): number | null {
  const soon = (days: number) => {
    const when = t.createdAt + days * DAY;
    return t.dueAt ? Math.min(when, t.dueAt - 6 * 3_600_000) : when;
  };
  if (t.definitionKey === 'rectification') {
    switch (t.activityId) {
      case 'sign':
        return soon(1);
      case 'plan':
        return soon(3);
      case 'review':
        return soon(2);
      case 'recheck':
        return soon(5);
      case 'rectify':
      case 'rework':
      case 'coRectify': {
        if (neverRectifies(role)) return null;
        // The works take until a few weeks before the deadline; a deadline already past: as fast as can be. A unit
        // that asks for an extension (ten days before its deadline) is still at work then, and finishes a few days
        // before the deadline it is granted.
        const lead = t.activityId === 'coRectify' ? 25 : role === 'extension-granted' ? 5 : 20;
        const target = Math.max(
          t.createdAt + 7 * DAY,
          t.deadline ? at(addDays(t.deadline, -lead)) : t.createdAt + 30 * DAY,
        );
        if (!t.dueAt || t.dueAt <= t.createdAt + DAY) return t.createdAt + 3 * DAY;
        return Math.max(t.createdAt + DAY, Math.min(target, t.dueAt - 6 * 3_600_000));
      }
      default:
        return null;
    }
  }
  if (t.definitionKey === 'signoff') {
    const days: Record<string, number> = { apply: 2, selfCheck: 1, verify: 3, reviewObjection: 2 };
    return days[t.activityId] === undefined ? null : soon(days[t.activityId]);
  }
  if (t.definitionKey === 'unit-part' && t.activityId === 'partRectify') {
    if (neverRectifies(role)) return null;
    if (role === 'co-unit-late' && t.dueAt) return t.dueAt + CO_UNIT_LATE_DAYS * DAY;
    // The part's own deadline is the task's due time: done some weeks before it.
    const target = t.dueAt ? t.dueAt - 25 * DAY : t.createdAt + 30 * DAY;
    if (!t.dueAt || t.dueAt <= t.createdAt + DAY) return t.createdAt + 3 * DAY;
    return Math.max(t.createdAt + DAY, Math.min(Math.max(target, t.createdAt + 7 * DAY), t.dueAt - 6 * 3_600_000));
  }
  if (t.formKey === 'monthly-report') return soon(3);
  if (['schedule', 'hold', 'commit', 'inspect', 'investigate', 'decide', 'review'].includes(t.activityId))
    return soon(2);
  return null;
}

/** Plausible form data for each task, as the forms of the inbox and of supervision require it. */
export function formData(t: OpenTask, now: number, role: Role = 'on-time', firstTime = true): Record<string, unknown> {
  const today = chinaDate(now);
  const title = t.title ?? '该问题';
  if (t.definitionKey === 'rectification') {
    const deadline = t.deadline ?? addDays(today, 90);
    const clamp = (d: string) => (d > deadline ? deadline : d);
    switch (t.activityId) {
      case 'sign':
        return { note: `已签收，由${t.person ?? '责任人'}牵头落实` };
      case 'plan':
        return {
          summary: `针对“${title}”，成立工作专班，倒排工期、挂图作战，按期整改到位`,
          milestones: [
            { title: '制定实施方案、明确责任分工', dueDate: clamp(addDays(today, 10)) },
            { title: '完成主体整改任务', dueDate: clamp(addDays(deadline, -30)) },
            { title: '自查自验、申请销号', dueDate: deadline },
          ],
        };
      case 'review':
        return { planApproved: true, comment: '方案可行，同意实施' };
      case 'rectify':
      case 'rework':
        return { summary: `“${title}”整改措施已全部落实到位`, percent: 100 };
      case 'coRectify':
        return { summary: '配合整改任务已完成', percent: 100 };
      case 'recheck':
        if (role === 'rebound' && firstTime)
          return { rebound: true, effective: false, findings: '回头看暗访发现问题反弹' };
        return { rebound: false, effective: true, findings: '回头看现场检查，整改成果巩固，未见反弹，整改见效' };
    }
  }
  if (t.definitionKey === 'signoff') {
    switch (t.activityId) {
      case 'apply':
        // The evidence files are uploaded by the actor just before (TaskActor), their ids added there.
        return { summary: '整改任务已完成，达到整改目标，申请验收销号', evidenceFileIds: [] };
      case 'selfCheck':
        return { selfCheckPassed: true, checkedBy: '单位主要负责人', selfCheckOpinion: '经自查，整改任务已全部完成' };
      case 'verify': {
        const site = { siteCheckDate: today, siteCheckPeople: '市整改办验收组' };
        if (role === 'signoff-rejected' && firstTime)
          return {
            verified: false,
            ...site,
            siteFindings: '现场核查发现仍有问题',
            comment: '整改不到位，不予销号',
          };
        return { verified: true, ...site, siteFindings: '现场核查，整改措施落实到位', comment: '整改到位，同意销号' };
      }
      case 'reviewObjection':
        if (role === 'signoff-objected' && firstTime)
          return { objectionUpheld: true, objectionComment: '经核查异议属实，退回继续整改' };
        return { objectionUpheld: false, objectionComment: '经核查，异议所指问题已整改到位' };
    }
    return {};
  }
  if (t.definitionKey === 'unit-part' && t.activityId === 'partRectify')
    return { summary: `“${title}”本单位分工任务已落实到位`, percent: 100 };
  switch (t.activityId) {
    case 'schedule':
      return {
        interviewDate: addDays(today, 5),
        interviewPlace: '市政府第三会议室',
        attendees: ['单位主要负责人', '分管负责人', '市整改办主任'],
      };
    case 'hold':
      return { minutes: '约谈指出整改进度滞后的问题，被约谈单位作出表态，明确整改措施和完成时限' };
    case 'commit':
      return {
        commitment: '一个月内完成整改并报送销号材料',
        commitmentDeadline: addDays(today, role === 'commitment-missed' ? 10 : 30),
      };
    case 'inspect':
      return { findings: '专项督察发现整改进度滞后，已督促加快推进', accountable: false };
    case 'investigate':
      return { investigation: '经调查，整改推进不力，责任已查清' };
    case 'decide':
      return { measure: '约谈提醒', persons: [] };
    case 'review':
      if (role === 'extension-granted') return { approved: true, reviewComments: '理由充分，同意延期' };
      return { approved: false, reviewComments: '不予延期，请按原时限整改' };
  }
  return {};
}
