import { TimerEventDefinition } from 'bpmn-elements';
import type { StepContext } from './step-context.js';
import {
  DEFAULT_TIMER_LIMITS,
  TimerValueError,
  cappedRepeat,
  checkLiteral,
  nextExpiry,
  occurrencesAfter,
  parseTimer,
  type TimerExpiry,
  type TimerLimits,
  type TimerType,
} from './timer-rules.js';

const timerTypes = ['timeDuration', 'timeDate', 'timeCycle'] as const;
// bpmn-elements keeps the running timer's content under this registered symbol.
const kTimerContent = Symbol.for('timerContent');
const START_DATED = /^R[^/]*\/(?![-−]?P)/i;

function stepContext(environment: any): StepContext | undefined {
  return environment?.services?.$step as StepContext | undefined;
}

function limitsOf(environment: any): TimerLimits {
  return stepContext(environment)?.timerLimits ?? DEFAULT_TIMER_LIMITS;
}

/**
 * bpmn-elements' timer, reading time from the service's clock instead of Date, understanding the working-day
 * literals, honouring a due time moved by the office (a calendar change or a granted extension), and computing
 * every due time with our own ISO 8601 rules: bpmn-elements' date library is never called (its parse looped
 * forever on a zero period), and the service's limits hold for literals, variables and resumed state alike.
 */
export function DurableTimerEventDefinition(this: any, activity: any, eventDefinition: any) {
  (TimerEventDefinition as any).call(this, activity, eventDefinition);
}
DurableTimerEventDefinition.prototype = Object.create((TimerEventDefinition as any).prototype);
DurableTimerEventDefinition.prototype.constructor = DurableTimerEventDefinition;

DurableTimerEventDefinition.prototype.parse = function parse(
  this: any,
  timerType: TimerType,
  value: string,
  repeating = false,
) {
  const ctx = stepContext(this.environment);
  const now = ctx ? ctx.now() : Date.now();
  const next = timerExpiry(timerType, value, now, ctx ?? null, limitsOf(this.environment), repeating, this.activity.id);
  return { expireAt: new Date(next.expireAt), repeat: next.repeat, delay: next.expireAt - now };
};

/**
 * When a timer's resolved value falls due from `now`: the calendar's literals first, then ISO 8601 by our own
 * rules. A value the service will not run names its element (the step fails with an incident saying why).
 */
export function timerExpiry(
  timerType: TimerType,
  value: string,
  now: number,
  literals: Pick<StepContext, 'resolveTimerLiteral'> | null,
  limits: TimerLimits,
  repeating: boolean,
  element: string,
): TimerExpiry {
  try {
    const literal = literals?.resolveTimerLiteral(value, now, { repeating });
    return literal ? checkLiteral(value, literal, limits) : nextExpiry(parseTimer(timerType, value, limits), now);
  } catch (err) {
    if (err instanceof TimerValueError) throw new TimerValueError(err.value, err.reason, element);
    throw err;
  }
}

DurableTimerEventDefinition.prototype._getTimers = function getTimers(this: any, executeMessage: any) {
  const content = executeMessage.content;
  const ctx = stepContext(this.environment);
  const nowMs = ctx ? ctx.now() : Date.now();
  // A repeating cycle that just fired counts its next occurrence from now: missed occurrences coalesce
  // into the one firing instead of replaying every period the clock jumped over.
  const repeating = content.state === 'timeout' || executeMessage.fields?.routingKey === 'execute.repeat';
  // A non-interrupting boundary event repeats by restarting, the occurrences left on its inbound message.
  const restarted = typeof content.inbound?.[0]?.repeat === 'number';
  const result: any = { ...('expireAt' in content && !repeating && { expireAt: new Date(content.expireAt) }) };

  for (const timerType of timerTypes) {
    if (timerType in content) result[timerType] = content[timerType];
    else if (timerType in this) result[timerType] = this.environment.resolveExpression(this[timerType], executeMessage);
    else continue;
    const timerStr = result[timerType];
    let expireAtDate: Date = new Date(nowMs);
    let repeat: number | undefined;
    if (timerStr) {
      const parsed = this.parse(timerType, String(timerStr), repeating || restarted);
      expireAtDate = parsed.expireAt;
      repeat = parsed.repeat;
    }
    if (!('expireAt' in result) || result.expireAt > expireAtDate) {
      result.timerType = timerType;
      result.expireAt = expireAtDate;
      result.repeat = repeat;
    }
  }

  // A due time moved by the office wins over the one the engine remembered.
  const moved = repeating ? undefined : ctx?.movedTimer(content.executionId);
  if (moved !== undefined) result.expireAt = new Date(moved);

  if ('expireAt' in result) result.timeout = result.expireAt.getTime() - nowMs;
  else if ('timeout' in content) result.timeout = content.timeout;
  else if (!Object.keys(result).length) result.timeout = 0;

  // A restarted cycle carries the occurrences left; one stored before the cap (-1, endless) gets the cap.
  if (content.inbound?.[0] && 'repeat' in content.inbound[0]) {
    const left = cappedRepeat(content.inbound[0].repeat, limitsOf(this.environment));
    result.repeat = result.repeat === undefined || left === undefined ? left : Math.min(left, result.repeat);
  }
  return result;
};

/** A cycle with a start date repeats only while occurrences remain after now (a late firing has used them up). */
DurableTimerEventDefinition.prototype._completed = function completed(this: any, ...args: unknown[]) {
  const content = this[kTimerContent];
  const cycle = content?.timerType === 'timeCycle' ? String(content.timeCycle ?? '') : '';
  if (typeof content?.repeat === 'number' && START_DATED.test(cycle)) {
    const ctx = stepContext(this.environment);
    const spec = parseTimer('timeCycle', cycle, limitsOf(this.environment));
    const left = occurrencesAfter(spec, ctx ? ctx.now() : Date.now());
    if (left !== null) content.repeat = Math.min(content.repeat, left + 1);
  }
  return (TimerEventDefinition as any).prototype._completed.apply(this, args);
};
