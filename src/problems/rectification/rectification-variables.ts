export const RECTIFICATION = 'rectification';
/** `signoff.bpmn` (验收销号), called by the rectification process: its tasks set the problem's stage too. */
export const SIGNOFF_PROCESS = 'signoff';

export interface RectificationStart {
  problemId: string;
  problemCode: string;
  title: string;
  leadUnit: string;
  responsibleUnits: string[];
  deadline: string;
  recheckMonths: number;
  round: number;
}

/**
 * The variables a rectification process starts with. `assignedOn` (China date) is the base of the
 * working-day due dates in the BPMN (`workdays(3, ${assignedOn})` for 签收), so a calendar change moves them.
 * Everything the process needs later is set here: handlers compute nothing from variables.
 */
export function startVariables(p: RectificationStart, assignedOn: string): Record<string, unknown> {
  return {
    problemId: p.problemId,
    problemCode: p.problemCode,
    title: p.title,
    leadUnit: p.leadUnit,
    coUnits: p.responsibleUnits.filter((u) => u !== p.leadUnit),
    deadline: p.deadline,
    assignedOn,
    recheckMonths: p.recheckMonths,
    // 回头看 waits this long after 销号 (an ISO 8601 duration: the timer counts it from sign-off).
    recheckPeriod: `P${p.recheckMonths}M`,
    round: p.round,
  };
}
