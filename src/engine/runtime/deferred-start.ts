import { randomBytes } from 'node:crypto';
import { Environment } from 'bpmn-elements';
import type { HistoryEvent, StartBy, StepOutcome, Subscription } from './bpmn-runtime.js';
import { timerExpiry } from './durable-timer-event-definition.js';
import { engineExpressions } from './expressions.js';
import type { TimerLiteralResolver } from './step-context.js';
import { TASK_EXPRESSION_ATTRIBUTES, deriveTask } from './task-attributes.js';
import type { TimerLimits, TimerType } from './timer-rules.js';

/**
 * A start put off until the instance is first stepped. Some processes only wait after their start (the
 * escalation ladder waits weeks for its first rung): running bpmn-engine to reach that wait costs a whole
 * engine, and nothing of it can matter before the wait ends. When the way from the start event to the waits
 * cannot depend on the variables (no condition, listener, script, service or mapping on it), the instance is
 * stored with the rows that start would write (its history, timers and subscriptions, computed the engine's
 * way) and with this marker as its state. Its first step runs the start as it would have run then (the clock
 * at the instance's start), names the engine's executions as the rows already do, and goes on from there.
 */
export interface DeferredState {
  deferredStart: {
    /** When the instance started: its start is run at this time. */
    at: number;
    /** The execution id each activity of the start has in the rows written for it. */
    ids: Record<string, string>;
    startBy?: StartBy;
  };
}

export function isDeferred(state: unknown): state is DeferredState {
  return Boolean(state && typeof state === 'object' && 'deferredStart' in state);
}

/**
 * What a definition's start does, learned from one real start (execution ids named by activity): what it
 * records, what waits at rest, the subscriptions and the timers with their expressions. Only the timers'
 * values depend on the variables.
 */
export interface StartShape {
  history: { event: HistoryEvent['event']; activityId: string; activityName: string | null; activityType: string }[];
  waiting: Derived[];
  /** User tasks the start leaves open, their attributes resolved from the variables as the engine resolves them. */
  tasks: Derived[];
  subscriptions: (Derived & { kind: Subscription['kind']; refId: string; name: string })[];
  timers: (Derived & { timerType: TimerType; expression: unknown })[];
}

/** An execution derived from an activity's: its id is the activity's execution id and this suffix. */
type Derived = { activityId: string; suffix: string };

type Context = {
  getActivityById(id: string): { id: string; type: string; behaviour?: Record<string, unknown> } | undefined;
  getOutboundSequenceFlows(id: string): { behaviour?: Record<string, unknown> }[];
  getProcessById(id: string): { behaviour?: Record<string, unknown> } | undefined;
  getActivities(): { type: string; behaviour?: Record<string, unknown> }[];
};

const PASSED = new Set(['bpmn:StartEvent', 'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:InclusiveGateway']);
const WAITS = new Set([
  'bpmn:SubProcess',
  'bpmn:IntermediateCatchEvent',
  'bpmn:BoundaryEvent',
  'bpmn:ReceiveTask',
  'bpmn:UserTask',
]);
/** What a task's attributes and a timer may read: the variables alone. */
const NOT_VARIABLES = /\b(content|fields|properties|output|item|loopCounter|execution)\b/;
const WAIT_EVENTS = new Set(['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:SignalEventDefinition']);
const TIMER_TYPES: TimerType[] = ['timeDuration', 'timeDate', 'timeCycle'];

/**
 * The shape of a definition's start, from a real start of it (`outcome`, begun with `variables`), or the reason
 * it cannot be put off: anything on the way that could make another start take another way or write other rows.
 */
export function learnStartShape(
  outcome: StepOutcome,
  variables: Record<string, unknown>,
  context: unknown,
  processId: string,
): StartShape | string {
  const ctx = context as Context;
  if (outcome.status !== 'running' || outcome.error) return 'the start does not come to rest';
  if (outcome.externalWaits.length || outcome.parkedServices || outcome.callWaits.length)
    return 'the start makes external tasks, calls or services';
  if (JSON.stringify(outcome.variables) !== JSON.stringify(variables)) return 'the start changes its variables';
  if (!plain(ctx.getProcessById(processId)?.behaviour)) return 'the process has listeners or mappings';
  if (ctx.getActivities().some((a) => a.behaviour?.triggeredByEvent)) return 'the process has event sub-processes';
  const execOf = new Map<string, string>();
  for (const h of outcome.history) {
    if (h.event === 'discard') return `${h.activityId} is discarded`;
    const seen = execOf.get(h.activityId);
    if (seen && seen !== h.executionId) return `${h.activityId} runs twice`;
    execOf.set(h.activityId, h.executionId);
  }
  const waiting = new Set(outcome.waiting);
  for (const [activityId, executionId] of execOf) {
    const a = ctx.getActivityById(activityId);
    if (!a || !plain(a.behaviour)) return `${activityId} has listeners or mappings`;
    const defs = (a.behaviour?.eventDefinitions as { type: string }[] | undefined) ?? [];
    if (waiting.has(executionId)) {
      if (!WAITS.has(a.type)) return `${activityId} (${a.type}) waits`;
      if (a.behaviour?.loopCharacteristics) return `${activityId} is multi-instance`;
      if (a.type === 'bpmn:UserTask') {
        const attrs = [...TASK_EXPRESSION_ATTRIBUTES.map((k) => a.behaviour?.[k]), ...propertyValues(a.behaviour)];
        if (attrs.some((v) => typeof v === 'string' && NOT_VARIABLES.test(v)))
          return `${activityId}'s attributes read more than the variables`;
      } else if (a.type !== 'bpmn:SubProcess' && a.type !== 'bpmn:ReceiveTask') {
        if (defs.length !== 1 || !WAIT_EVENTS.has(defs[0].type)) return `${activityId} waits for another event`;
      }
      continue;
    }
    if (!PASSED.has(a.type) || defs.length) return `${activityId} (${a.type}) runs on the way`;
    const out = ctx.getOutboundSequenceFlows(activityId);
    if (out.length !== 1 || out[0].behaviour?.conditionExpression || !plain(out[0].behaviour))
      return `${activityId} chooses its way`;
  }
  const derive = (activityId: string, executionId: string): Derived | null => {
    const base = execOf.get(activityId);
    if (!base || !(executionId === base || executionId.startsWith(`${base}_`))) return null;
    return { activityId, suffix: executionId.slice(base.length) };
  };
  const byExec = new Map([...execOf].map(([activityId, exec]) => [exec, activityId]));
  const shape: StartShape = {
    history: outcome.history.map((h) => ({
      event: h.event,
      activityId: h.activityId,
      activityName: h.activityName,
      activityType: h.activityType,
    })),
    waiting: [],
    tasks: [],
    subscriptions: [],
    timers: [],
  };
  for (const task of outcome.tasks) {
    const d = derive(task.activityId, task.executionId);
    if (!d || d.suffix) return `the task ${task.activityId} belongs to no activity of the start`;
    shape.tasks.push(d);
  }
  for (const w of outcome.waiting) {
    const owner = [...byExec].find(([exec]) => w === exec || w.startsWith(`${exec}_`))?.[1];
    const d = owner ? derive(owner, w) : null;
    if (!d) return `the waiting execution ${w} belongs to no activity of the start`;
    shape.waiting.push(d);
  }
  for (const s of outcome.subscriptions) {
    const d = derive(s.activityId, s.executionId);
    if (!d) return `the subscription of ${s.activityId} belongs to no activity of the start`;
    shape.subscriptions.push({ ...d, kind: s.kind, refId: s.refId, name: s.name });
  }
  for (const t of outcome.timers) {
    const d = derive(t.activityId, t.executionId);
    const defs = (ctx.getActivityById(t.activityId)?.behaviour?.eventDefinitions as TimerDef[] | undefined) ?? [];
    const types = TIMER_TYPES.filter((k) => defs[0]?.behaviour?.[k] !== undefined);
    if (!d || defs.length !== 1 || types.length !== 1 || types[0] !== t.timerType)
      return `the timer of ${t.activityId} is not one plain timer`;
    const expression = defs[0].behaviour![t.timerType];
    if (typeof expression !== 'string' || NOT_VARIABLES.test(expression))
      return `the timer of ${t.activityId} reads more than the variables`;
    shape.timers.push({ ...d, timerType: t.timerType, expression });
  }
  return shape;
}

type TimerDef = { type: string; behaviour?: Partial<Record<TimerType, unknown>> };

function propertyValues(behaviour: Record<string, unknown> | undefined): unknown[] {
  const ext = behaviour?.extensionElements as
    { values?: { $type: string; values?: { value?: unknown }[] }[] } | undefined;
  return (ext?.values ?? []).flatMap((v) => (v.values ?? []).map((p) => p.value));
}

/** No listener, mapping or other extension but properties (which run nothing). */
function plain(behaviour: Record<string, unknown> | undefined): boolean {
  const ext = behaviour?.extensionElements as { values?: { $type: string }[] } | undefined;
  return (ext?.values ?? []).every((v) => v.$type === 'camunda:Properties');
}

/**
 * What a start of this shape does with `variables` at `now`, without an engine: the rows it writes and the
 * marker it is stored with. Null when it cannot be put off: a timer would fall due at once (the start would
 * go on past it).
 */
export function predictStart(
  shape: StartShape,
  context: unknown,
  variables: Record<string, unknown>,
  now: number,
  timers: { literal: TimerLiteralResolver | null; limits: TimerLimits },
  startBy?: StartBy,
): StepOutcome | null {
  const ids: Record<string, string> = {};
  for (const h of shape.history) ids[h.activityId] ??= `${h.activityId.replace(/[./\\#*:\s]/g, '_')}_${newId()}`;
  const exec = (d: Derived) => `${ids[d.activityId]}${d.suffix}`;
  const env = new (Environment as unknown as new (o: object) => { resolveExpression(e: unknown, m: object): unknown })({
    variables: JSON.parse(JSON.stringify(variables)),
    expressions: engineExpressions(),
  });
  const literals = {
    resolveTimerLiteral: (v: string, at: number, o?: { repeating?: boolean }) => timers.literal?.(v, at, o) ?? null,
  };
  const due: StepOutcome['timers'] = [];
  for (const t of shape.timers) {
    const resolved = env.resolveExpression(t.expression, { content: {} });
    const spec = resolved === undefined || resolved === null || resolved === '' ? null : String(resolved);
    const next = spec
      ? timerExpiry(t.timerType, spec, now, literals, timers.limits, false, t.activityId)
      : { expireAt: now, repeat: undefined };
    if (next.expireAt <= now) return null;
    due.push({
      activityId: t.activityId,
      executionId: exec(t),
      timerType: t.timerType,
      spec,
      expireAt: next.expireAt,
      repeat: next.repeat ?? null,
    });
  }
  const tasks = shape.tasks.map((t) => {
    const a = (context as Context).getActivityById(t.activityId)!;
    const api = {
      id: a.id,
      type: a.type,
      name: a.behaviour?.name,
      executionId: exec(t),
      owner: { behaviour: a.behaviour },
      content: {},
    };
    return deriveTask(api, variables, now, timers.literal);
  });
  const state: DeferredState = { deferredStart: { at: now, ids, ...(startBy ? { startBy } : {}) } };
  return {
    status: 'running',
    state,
    variables,
    tasks,
    timers: due,
    history: shape.history.map((h) => ({ ...h, executionId: ids[h.activityId], at: now })),
    subscriptions: shape.subscriptions.map((s) => ({
      kind: s.kind,
      refId: s.refId,
      name: s.name,
      activityId: s.activityId,
      executionId: exec(s),
    })),
    externalWaits: [],
    parkedServices: 0,
    callWaits: [],
    error: null,
    undelivered: false,
    waiting: shape.waiting.map(exec),
  };
}

/**
 * The engine's state of a put-off start, its executions renamed to the ids its rows carry; `started` is the start
 * run now (at the instance's start time). Throws when that run is not the one the rows were written for.
 */
export function adoptStart(
  marker: DeferredState,
  started: StepOutcome,
  rows: {
    tasks: { execution_id: string }[];
    timers: { execution_id: string }[];
    subscriptions: { activity_id: string; name: string; execution_id: string }[];
  },
): unknown {
  const { ids } = marker.deferredStart;
  const rename = new Map<string, string>();
  for (const h of started.history) {
    const to = ids[h.activityId];
    if (!to) throw new DeferredStartMismatch(`${h.activityId} 不在延后启动时记录的环节中`);
    rename.set(h.executionId, to);
  }
  const missing = Object.keys(ids).filter((a) => !started.history.some((h) => h.activityId === a));
  if (missing.length) throw new DeferredStartMismatch(`${missing.join('、')} 未运行`);
  // Execution ids are an activity id and ten random hex digits; executions derived from one extend it.
  let json = JSON.stringify(started.state);
  for (const [from, to] of rename) json = json.split(from).join(to);
  const renamed = (id: string) => {
    for (const [from, to] of rename) if (id === from || id.startsWith(`${from}_`)) return to + id.slice(from.length);
    return id;
  };
  const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (
    !same(
      started.tasks.map((t) => renamed(t.executionId)),
      rows.tasks.map((t) => t.execution_id),
    )
  )
    throw new DeferredStartMismatch('任务与已记录的不同');
  if (
    !same(
      started.timers.map((t) => renamed(t.executionId)),
      rows.timers.map((t) => t.execution_id),
    )
  )
    throw new DeferredStartMismatch('定时器与已记录的不同');
  const subs = (list: { activityId: string; name: string; executionId: string }[]) =>
    list.map((s) => `${s.activityId}|${s.name}|${s.executionId}`);
  const stored = rows.subscriptions.map((s) => ({
    activityId: s.activity_id,
    name: s.name,
    executionId: s.execution_id,
  }));
  if (!same(subs(started.subscriptions.map((s) => ({ ...s, executionId: renamed(s.executionId) }))), subs(stored)))
    throw new DeferredStartMismatch('订阅与已记录的不同');
  return JSON.parse(json);
}

export class DeferredStartMismatch extends Error {
  constructor(what: string) {
    super(`延后启动的流程实例与其定义的实际运行不一致：${what}`);
    this.name = 'DeferredStartMismatch';
  }
}

function newId(): string {
  return randomBytes(5).toString('hex');
}
