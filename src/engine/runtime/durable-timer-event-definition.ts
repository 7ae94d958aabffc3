import { TimerEventDefinition } from 'bpmn-elements';
import { ISOInterval, getDate } from '@0dep/piso';
import type { StepContext } from './step-context.js';

const timerTypes = ['timeDuration', 'timeDate', 'timeCycle'] as const;

function stepContext(environment: any): StepContext | undefined {
  return environment?.services?.$step as StepContext | undefined;
}

/**
 * bpmn-elements' timer, reading time from the service's clock instead of Date, understanding the working-day
 * literals, and honouring a due time moved by the office (a calendar change or a granted extension).
 */
export function DurableTimerEventDefinition(this: any, activity: any, eventDefinition: any) {
  (TimerEventDefinition as any).call(this, activity, eventDefinition);
}
DurableTimerEventDefinition.prototype = Object.create((TimerEventDefinition as any).prototype);
DurableTimerEventDefinition.prototype.constructor = DurableTimerEventDefinition;

DurableTimerEventDefinition.prototype.parse = function parse(this: any, timerType: string, value: string) {
  const ctx = stepContext(this.environment);
  const now = new Date(ctx ? ctx.now() : Date.now());
  const literal = ctx?.resolveTimerLiteral(value, now.getTime());
  if (literal) return { expireAt: new Date(literal.expireAt), repeat: literal.repeat, delay: literal.expireAt - now.getTime() };
  let repeat: number | undefined;
  let expireAt: Date;
  if (timerType === 'timeDate') {
    expireAt = getDate(value);
  } else {
    const parsed: any = new ISOInterval(value).parse();
    if (parsed.repeat) repeat = parsed.repeat;
    expireAt = parsed.getExpireAt(now, now);
  }
  return { expireAt, repeat, delay: expireAt.getTime() - now.getTime() };
};

DurableTimerEventDefinition.prototype._getTimers = function getTimers(this: any, executeMessage: any) {
  const content = executeMessage.content;
  const ctx = stepContext(this.environment);
  const nowMs = ctx ? ctx.now() : Date.now();
  // A repeating cycle that just fired counts its next occurrence from now: missed occurrences coalesce
  // into the one firing instead of replaying every period the clock jumped over.
  const repeating = content.state === 'timeout' || executeMessage.fields?.routingKey === 'execute.repeat';
  const result: any = { ...('expireAt' in content && !repeating && { expireAt: new Date(content.expireAt) }) };

  for (const timerType of timerTypes) {
    if (timerType in content) result[timerType] = content[timerType];
    else if (timerType in this) result[timerType] = this.environment.resolveExpression(this[timerType], executeMessage);
    else continue;
    const timerStr = result[timerType];
    let expireAtDate: Date = new Date(nowMs);
    let repeat: number | undefined;
    if (timerStr) {
      const parsed = this.parse(timerType, String(timerStr));
      if (!parsed.expireAt || !parsed.expireAt.getTime || isNaN(parsed.expireAt.getTime())) {
        throw new TypeError(`Parsed ${timerType} "${timerStr}" expireAt failed to resolve to a date`);
      }
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

  if (content.inbound?.[0] && 'repeat' in content.inbound[0]) result.repeat = content.inbound[0].repeat;
  return result;
};
