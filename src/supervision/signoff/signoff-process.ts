/** `processes/signoff.bpmn` (验收销号), called by the rectification process once the works are done. */
export const SIGNOFF = 'signoff';
/** The message a public objection sends to the sign-off waiting out its 公示. */
export const MSG_OBJECTION = '公示异议';
