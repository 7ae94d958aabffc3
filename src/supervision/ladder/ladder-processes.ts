/** The escalation ladder's BPMN key. */
export const LADDER = 'escalation-ladder';
/** The processes the ladder's rungs start beside it (their BPMN keys). */
export const INTERVIEW_PROCESS = 'interview';
export const INSPECTION_PROCESS = 'inspection';
export const ACCOUNTABILITY_PROCESS = 'accountability';
