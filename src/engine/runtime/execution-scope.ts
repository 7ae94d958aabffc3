/** The part of bpmn-elements' execution scope a handler needs: the activity's input. */
export function ExecutionScope(activity: any, message: any): { content: any } | null {
  if (!message?.content) return null;
  return { content: { ...message.content, id: activity.id } };
}
