import { createHash } from 'node:crypto';

export interface DefinitionMeta {
  executableKeys: string[];
  /** Message and signal names by their element id, and the reverse, for correlation. */
  messages: Record<string, string>;
  signals: Record<string, string>;
  /** Processes a call activity names that are not in this file: started as separate instances. */
  externalCalls: string[];
  /** Start events of each kind with their reference id, for start by message or signal. */
  messageStarts: string[];
  signalStarts: string[];
  /** Ids of the process's none start events (absent on definitions deployed before it was recorded). */
  noneStarts?: string[];
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** What the service reads of a definition without its engine: messages, signals, calls and start events of `key`. */
export function buildMeta(context: any, executableKeys: string[], key: string): DefinitionMeta {
  const messages: Record<string, string> = {};
  const signals: Record<string, string> = {};
  const messageStarts: string[] = [];
  const signalStarts: string[] = [];
  const noneStarts: string[] = [];
  const calls = new Set<string>();
  const processIds = new Set((context.processes ?? []).map((p: any) => p.id));
  for (const a of context.activities ?? []) {
    if (a.type === 'bpmn:Message') messages[a.id] = a.name ?? a.id;
    if (a.type === 'bpmn:Signal') signals[a.id] = a.name ?? a.id;
    if (a.type === 'bpmn:CallActivity' && a.behaviour?.calledElement && !processIds.has(a.behaviour.calledElement))
      calls.add(a.behaviour.calledElement);
    if (a.type === 'bpmn:StartEvent' && a.parent?.type === 'bpmn:Process' && a.parent?.id === key) {
      if (!a.behaviour?.eventDefinitions?.length) noneStarts.push(a.id);
      for (const ed of a.behaviour?.eventDefinitions ?? []) {
        const ref = ed.behaviour?.messageRef?.id ?? ed.behaviour?.signalRef?.id;
        if (ed.type === 'bpmn:MessageEventDefinition' && ref) messageStarts.push(ref);
        if (ed.type === 'bpmn:SignalEventDefinition' && ref) signalStarts.push(ref);
      }
    }
  }
  return { executableKeys, messages, signals, externalCalls: [...calls], messageStarts, signalStarts, noneStarts };
}
