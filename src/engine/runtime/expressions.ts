import { Environment } from 'bpmn-elements';
import { compileTemplate, evaluateTemplate, hasExpression, type JuelScope } from './juel.js';

/**
 * Two kinds of `${…}` live side by side: the engine's own lookups rooted at `environment.` (our processes name
 * variables and handlers that way) and Camunda's JUEL (`${approved}`, `${a > 5 && !b}`). A text whose expressions
 * all start with `environment.` or `content.` is a lookup; any other is JUEL.
 */
const LOOKUP_ROOT = /^\s*(?:environment|content)\s*[.[]/;

export function isEngineLookup(text: string): boolean {
  const bodies = [...text.matchAll(/[$#]\{([^}]*)\}/g)].map((m) => m[1]);
  return bodies.length > 0 && text.includes('${') && !text.includes('#{') && bodies.every((b) => LOOKUP_ROOT.test(b));
}

/** Keys bpmn-elements puts on an activity's message content: never variables of the model. */
const CONTENT_KEYS = new Set([
  'id',
  'type',
  'name',
  'executionId',
  'parent',
  'isRootScope',
  'isMultiInstance',
  'index',
  'loopCardinality',
  'isSequential',
  'output',
  'input',
  'state',
  'attachedTo',
  'expireAt',
  'timeout',
  'ignoreIfExecuting',
  'preventComplete',
  'running',
  'discarded',
  'loopOutput',
  'inbound',
  'outbound',
  'sequenceId',
  'targetRef',
  'sourceId',
  'targetId',
  'isSubProcess',
  'isForCompensation',
  'isTransaction',
  'cancelActivity',
  'timerType',
  'timeDuration',
  'timeDate',
  'timeCycle',
  'repeat',
  'startedAt',
  'stoppedAt',
  'isDefault',
  'message',
  'condition',
]);

/** The multi-instance counters Camunda sets on each instance, from what bpmn-elements puts on the message. */
export function multiInstanceLocals(content: any): Record<string, unknown> | undefined {
  if (!content || typeof content !== 'object' || content.index === undefined || !content.isMultiInstance)
    return undefined;
  const local: Record<string, unknown> = {};
  for (const k of Object.keys(content)) if (!CONTENT_KEYS.has(k) && !k.startsWith('$')) local[k] = content[k];
  const index = Number(content.index);
  const total = Number(content.loopCardinality ?? NaN);
  local.loopCounter = index;
  if (Number.isFinite(total)) local.nrOfInstances = total;
  if (Array.isArray(content.loopOutput)) {
    // Evaluated for the completion condition, after an instance completed (its output is in loopOutput).
    const done = content.isSequential
      ? index + 1
      : content.loopOutput.filter((o: unknown) => o !== undefined && o !== null).length;
    local.nrOfCompletedInstances = done;
    local.nrOfActiveInstances = content.isSequential
      ? Number.isFinite(total) && done < total
        ? 1
        : 0
      : Number.isFinite(total)
        ? total - done
        : null;
  } else if (content.isSequential) {
    local.nrOfCompletedInstances = index;
    local.nrOfActiveInstances = 1;
  }
  return local;
}

function scopeOf(context: any): JuelScope {
  const env = context?.environment;
  const step = env?.services?.$step;
  const content = context?.content;
  return {
    variables: env?.variables ?? {},
    local: multiInstanceLocals(content),
    execution: {
      processInstanceId: step?.instance?.id,
      businessKey: step?.instance?.businessKey ?? null,
      activityId: content?.id,
      executionId: content?.executionId,
    },
    now: () => (step ? step.now() : Date.now()),
  };
}

/** The `expressions` given to every engine: lookups as bpmn-elements resolves them, JUEL through our evaluator. */
export function engineExpressions() {
  // bpmn-elements does not export its Expressions; a bare Environment holds the default one.
  const lookups = (new (Environment as any)() as any).expressions;
  return {
    isExpression: (text: unknown) => typeof text === 'string' && /^[$#]\{.+\}$/s.test(text.trim()),
    hasExpression: (text: unknown) => hasExpression(text),
    resolveExpression(text: unknown, context: any, fnContext?: any) {
      if (typeof text !== 'string' || !hasExpression(text)) return text;
      if (isEngineLookup(text)) return lookups.resolveExpression(text, context, fnContext);
      // A condition written over several lines is the one expression inside, as Camunda reads it.
      const body = /^\s*[$#]\{[\s\S]*\}\s*$/.test(text) && 'whole' in compileTemplate(text.trim()) ? text.trim() : text;
      return evaluateTemplate(compileTemplate(body), scopeOf(context), body);
    },
  };
}

/** Resolve a task attribute (assignee, due date…) written as a lookup or as JUEL, against the given variables. */
export function resolveJuel(text: string, scope: JuelScope): unknown {
  return evaluateTemplate(compileTemplate(text), scope, text);
}
