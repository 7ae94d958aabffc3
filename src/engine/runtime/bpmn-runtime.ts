import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { Engine } from 'bpmn-engine';
import * as Elements from 'bpmn-elements';
import serializer, { deserialize, TypeResolver } from 'moddle-context-serializer';
import { DurableTimerEventDefinition } from './durable-timer-event-definition.js';
import { DurableService } from './durable-service.js';
import { engineExpressions } from './expressions.js';
import { StepContext, type PendingResult, type ServiceHandler, type TimerLiteralResolver } from './step-context.js';
import { deriveTask, type DerivedTask } from './task-attributes.js';
import type { TimerLimits } from './timer-rules.js';

const require = createRequire(import.meta.url);
export const camundaModdle = require('camunda-bpmn-moddle/resources/camunda.json');

const SERVICE_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);
const TASK_TYPES = new Set(['bpmn:UserTask', 'bpmn:ManualTask']);
// Call activities take the called process's variables where the result is delivered, not from the engine.
const OUTPUT_TYPES = new Set([
  ...TASK_TYPES,
  ...SERVICE_TYPES,
  'bpmn:ReceiveTask',
  'bpmn:IntermediateCatchEvent',
  'bpmn:BoundaryEvent',
  'bpmn:StartEvent',
]);
const EVENT_META = ['id', 'type', 'messageType', 'parent', 'name', 'fields', 'content', 'properties', 'executionId'];
/** bpmn-elements assigns each process's execute message to its variables; these keys are not the process's data. */
const ENGINE_KEYS = ['fields', 'content', 'properties'];

const elements = { ...Elements, TimerEventDefinition: DurableTimerEventDefinition };
export const typeResolver = TypeResolver(elements as any, (types: any) => {
  types['bpmn:ServiceTask'] = Elements.ServiceTask;
});

/** Serialize a moddle context once at deploy; the JSON is what is stored and cached. */
export function serializeContext(moddleContext: unknown): string {
  return serializer(moddleContext as any, typeResolver).serialize();
}

export function deserializeContext(json: string | object): unknown {
  return deserialize(typeof json === 'string' ? JSON.parse(json) : json, typeResolver);
}

export type StepCommand =
  | { kind: 'start'; variables: Record<string, unknown>; startBy?: StartBy }
  | { kind: 'completeTask'; executionId: string; variables: Record<string, unknown> }
  | { kind: 'message'; refId: string; variables: Record<string, unknown> }
  | { kind: 'signal'; refId: string; variables: Record<string, unknown> }
  | { kind: 'wake' };

/**
 * Which start events begin the instance, as Camunda chooses them: `none` runs the none start events (a message
 * start event beside them does not wait); `message` runs the message start event with that message id (the
 * message is delivered in the same step, so the instance runs on) and no other start event.
 */
export type StartBy = { kind: 'none' } | { kind: 'message'; refId: string };

export interface DerivedTimer {
  activityId: string;
  executionId: string;
  timerType: string;
  spec: string | null;
  expireAt: number;
  repeat: number | null;
}

export interface HistoryEvent {
  event: 'start' | 'end' | 'discard';
  activityId: string;
  activityName: string | null;
  activityType: string;
  executionId: string;
  at: number;
}

export interface Subscription {
  kind: 'message' | 'signal';
  refId: string;
  name: string;
  activityId: string;
  executionId: string;
}

export interface StepOutcome {
  status: 'running' | 'completed' | 'failed';
  state: any;
  variables: Record<string, unknown>;
  tasks: DerivedTask[];
  timers: DerivedTimer[];
  history: HistoryEvent[];
  subscriptions: Subscription[];
  externalWaits: { activityId: string; executionId: string; topic: string }[];
  parkedServices: number;
  callWaits: { activityId: string; executionId: string; calledElement: string }[];
  error: Error | null;
  /** Set when a signal or message was addressed to nothing waiting in this instance. */
  undelivered: boolean;
  /** Execution ids of every activity still running at rest (history rows of others are closed). */
  waiting: string[];
}

export interface StepInput {
  instance: { id: string; businessKey: string | null; definitionKey: string };
  definitionId: string;
  sourceContext: unknown;
  state: any | null;
  command: StepCommand;
  now: () => number;
  handlers: ReadonlyMap<string, ServiceHandler>;
  runServices: boolean;
  results?: Map<string, PendingResult>;
  movedTimers?: ReadonlyMap<string, number>;
  timerLiteral?: TimerLiteralResolver | null;
  /** What timers may ask for (the service's settings); the defaults otherwise. */
  timerLimits?: TimerLimits;
  /** Tasks already open, so their resolved attributes (assignee, due date) stay as first resolved. */
  knownTasks?: ReadonlyMap<string, DerivedTask>;
  /** The step's transaction, handed to handlers. */
  tx?: { query(sql: string, params?: unknown[]): Promise<any> };
  /** Call activities whose called process lives in another deployment: their called element names. */
  externalCalls?: ReadonlySet<string>;
}

const silentLogger = () => ({ debug() {}, error() {}, warn() {} });
const refusingScripts = {
  register() {},
  getScript(language: string | undefined) {
    // Expression conditions ask with no language; anything with a language would be code.
    if (!language) return undefined;
    throw new Error(`scripts (${language}) are not allowed`);
  },
};

/** Copy what a task, event or service delivered into the process variables, so gateways can read them. */
function outputExtension(activity: any) {
  if (SERVICE_TYPES.has(activity.type)) activity.behaviour.Service = DurableService;
  if (!OUTPUT_TYPES.has(activity.type)) return;
  return {
    activate() {
      activity.broker.subscribeTmp(
        'event',
        'activity.end',
        (_: string, msg: any) => {
          if (msg.content.id !== activity.id || msg.content.isMultiInstance) return;
          let out = msg.content.output;
          if (Array.isArray(out) && out.length === 1) out = out[0];
          if (out && typeof out === 'object' && !Array.isArray(out)) {
            const vars = { ...out };
            delete (vars as any).state;
            // An event's output is what was sent to it plus the reference it matched (id, type, …).
            if (!TASK_TYPES.has(activity.type) && !SERVICE_TYPES.has(activity.type))
              for (const k of EVENT_META) delete (vars as any)[k];
            Object.assign(activity.environment.variables, vars);
          }
        },
        { noAck: true, consumerTag: '_duban-output' },
      );
    },
    deactivate() {
      activity.broker.cancel('_duban-output');
    },
  };
}

async function settle(ctx: StepContext, engine: any): Promise<void> {
  for (let round = 0; round < 10_000; round++) {
    await new Promise((r) => setImmediate(r));
    if (ctx.failure) return;
    if (ctx.inFlight.size) {
      await Promise.allSettled([...ctx.inFlight]);
      continue;
    }
    if (round > 1) {
      await new Promise((r) => setImmediate(r));
      if (!ctx.inFlight.size) return;
    }
  }
  void engine;
}

/**
 * A boundary event lives only while the activity it is attached to runs. bpmn-elements ends it when that
 * activity leaves, but only once the boundary event is listening: recovering a stored state, an interrupting
 * boundary event resumed first (a repeating non-interrupting one restarted last in the state, a multi-instance
 * task) can cancel the activity before the other boundary events have resumed, and those then wait for ever
 * (their timers firing into later rounds). Discard them, as Camunda does; a compensation boundary event
 * outlives its activity by design and stays. Returns how many were discarded.
 */
function discardOrphanedBoundaryEvents(execution: any): number {
  let discarded = 0;
  for (const api of collectPostponed(execution.getPostponed())) {
    if (api.type !== 'bpmn:BoundaryEvent') continue;
    const attachedTo = api.owner?.attachedTo;
    if (!attachedTo || attachedTo.isRunning) continue;
    const defs: any[] = api.owner?.eventDefinitions ?? [];
    if (defs.some((ed) => ed.type === 'bpmn:CompensateEventDefinition')) continue;
    api.discard();
    discarded++;
  }
  return discarded;
}

/** Let the step run until it rests with no boundary event outliving its activity. */
async function settleBound(ctx: StepContext, engine: any, execution: any): Promise<void> {
  await settle(ctx, engine);
  for (let round = 0; round < 100 && !ctx.failure && discardOrphanedBoundaryEvents(execution); round++)
    await settle(ctx, engine);
}

/** Flatten postponed activities, descending into sub-processes and multi-instance bodies. */
function collectPostponed(apis: any[], out: any[] = [], seen = new Set<string>()): any[] {
  for (const api of apis) {
    const key = api.executionId ?? api.id;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(api);
    const children = api.owner?.execution?.getPostponed?.() ?? [];
    if (children?.length)
      collectPostponed(
        children.filter((c: any) => (c.executionId ?? c.id) !== key),
        out,
        seen,
      );
  }
  return out;
}

/**
 * One step of one instance: build a fresh engine from the cached definition, recover the stored state,
 * apply the command, let it run until it rests, and read back what the service stores.
 */
export async function runStep(input: StepInput): Promise<StepOutcome> {
  let engineError: Error | null = null;
  const history: HistoryEvent[] = [];
  const undelivered = { value: false };
  let envRef: any = null;
  const ctx = new StepContext(
    input.instance,
    input.now,
    input.handlers,
    input.runServices,
    input.results ?? new Map(),
    input.movedTimers ?? new Map(),
    input.timerLiteral ?? null,
    () => envRef?.variables ?? {},
    input.timerLimits,
  );

  ctx.tx = input.tx;
  const listener = new EventEmitter();
  const record = (event: HistoryEvent['event']) => (api: any) => {
    if (!api || api.type === 'bpmn:SequenceFlow' || api.type === 'bpmn:Process') return;
    history.push({
      event,
      activityId: api.id,
      activityName: api.name ?? null,
      activityType: api.type,
      executionId: api.executionId,
      at: input.now(),
    });
  };
  listener.on('activity.start', record('start'));
  listener.on('activity.end', record('end'));
  listener.on('activity.discard', record('discard'));
  listener.on('activity.call', (api: any) => {
    const called = api.content?.calledElement;
    if (called && input.externalCalls?.has(called)) {
      ctx.callWaits.set(api.executionId, { activityId: api.id, executionId: api.executionId, calledElement: called });
    }
  });

  const startBy = input.command.kind === 'start' ? input.command.startBy : undefined;
  if (startBy) {
    listener.on('activity.enter', (api: any) => {
      if (api?.type !== 'bpmn:StartEvent' || api.content?.parent?.type !== 'bpmn:Process') return;
      const defs: any[] = api.owner?.eventDefinitions ?? [];
      const messages = defs.filter((ed) => ed.type === 'bpmn:MessageEventDefinition').map((ed) => ed.reference?.id);
      const chosen = startBy.kind === 'none' ? messages.length === 0 : messages.includes(startBy.refId);
      if (!chosen && (startBy.kind === 'message' || messages.length)) api.discard();
    });
  }

  const timers = new (Elements as any).Timers({ setTimeout: () => null, clearTimeout: () => undefined });
  const engine: any = new Engine({
    name: input.instance.id,
    sourceContext: input.sourceContext as any,
    elements: elements as any,
    moddleOptions: { camunda: camundaModdle },
    services: { $step: ctx },
    timers,
    expressions: engineExpressions(),
    scripts: refusingScripts as any,
    extensions: { duban: outputExtension },
    Logger: silentLogger as any,
  } as any);
  engine.on('error', (err: Error) => {
    engineError ??= err;
  });
  // A file may hold several executable processes, each a definition of its own: only the instance's runs
  // (bpmn-engine would start every one of them; bpmn-elements starts just `processId` when told).
  const loadDefinitions = engine._loadDefinitions;
  engine._loadDefinitions = async (opts: unknown) => {
    const defs = await loadDefinitions.call(engine, opts);
    for (const def of defs) {
      if (!def.getProcessById?.(input.instance.definitionKey)) continue;
      const run = def.run;
      def.run = function (this: any, options?: unknown, callback?: unknown) {
        const [o, cb] = typeof options === 'function' ? [{}, options] : [options ?? {}, callback];
        return run.call(this, { processId: input.instance.definitionKey, ...(o as object) }, cb);
      };
    }
    return defs;
  };

  try {
    let execution: any;
    if (input.command.kind === 'start') {
      execution = await engine.execute({ listener, variables: { ...input.command.variables } });
    } else {
      engine.recover(input.state);
      execution = await engine.resume({ listener });
    }
    envRef = execution.definitions[0]?.environment ?? execution.environment;
    await settleBound(ctx, engine, execution);
    if (!ctx.failure && !engineError) {
      // A called process in another deployment ended: its call activity takes the child's variables.
      for (const api of collectPostponed(execution.getPostponed())) {
        if (api.type !== 'bpmn:CallActivity') continue;
        const result = ctx.takeResult(api.executionId);
        if (result) {
          Object.assign(api.owner.environment.variables, result.output ?? {});
          api.signal({ ...(result.output ?? {}) });
        }
      }
      if (startBy?.kind === 'message')
        applyCommand(execution, { kind: 'message', refId: startBy.refId, variables: {} }, undelivered);
      else applyCommand(execution, input.command, undelivered);
    }
    await settleBound(ctx, engine, execution);

    const state = await engine.getState();
    for (const def of state.definitions ?? []) delete def.source;
    const status =
      engineError || state.state === 'error'
        ? 'failed'
        : engine.state === 'running' || state.state === 'running'
          ? 'running'
          : 'completed';
    const postponed = status === 'running' ? collectPostponed(execution.getPostponed()) : [];
    const variables = collectVariables(execution);
    const tasks: DerivedTask[] = [];
    const subscriptions: Subscription[] = [];
    for (const api of postponed) {
      const isLoopRoot = api.content?.isMultiInstance && api.content?.index === undefined;
      if (TASK_TYPES.has(api.type) && !isLoopRoot) {
        const known = input.knownTasks?.get(api.executionId);
        tasks.push(known ?? deriveTask(api, variables, input.now(), input.timerLiteral ?? null));
      }
      subscriptions.push(...deriveSubscriptions(api));
    }
    // A timer whose activity no longer waits (it sat in a subprocess an interrupting boundary event ended)
    // is not cleared by bpmn-elements: only the timers of waiting activities are kept.
    const waitingIds: string[] = postponed.map((a: any) => a.executionId).filter(Boolean);
    const waits = (executionId: unknown) =>
      typeof executionId === 'string' &&
      waitingIds.some((id) => executionId === id || executionId.startsWith(`${id}_`));
    const derivedTimers: DerivedTimer[] = timers.executing
      .filter((ref: any) => waits(ref.owner?.executionId))
      .map((ref: any) => ({
        activityId: ref.owner?.id,
        executionId: ref.owner?.executionId,
        timerType: ref.owner?.timerType ?? 'timeDuration',
        spec: ref.owner?.[ref.owner?.timerType] ?? null,
        expireAt: new Date(ref.owner?.expireAt).getTime(),
        repeat: ref.owner?.repeat ?? null,
      }));
    // An engine at rest is dropped, not stopped: stopping walks every activity's broker, a fifth of a step's CPU,
    // for an engine no one uses again (its timers are this step's inert ones). One with work still in flight
    // (a handler that has not answered) is stopped, so that work goes nowhere.
    if (engine.state === 'running' && ctx.inFlight.size) void Promise.resolve(engine.stop()).catch(() => undefined);
    return {
      status: ctx.failure ? 'failed' : status,
      state,
      variables,
      tasks,
      timers: status === 'running' ? derivedTimers : [],
      history,
      subscriptions,
      externalWaits: status === 'running' ? [...ctx.externalWaits.values()] : [],
      parkedServices: status === 'running' ? ctx.parkedServices.size : 0,
      callWaits: status === 'running' ? [...ctx.callWaits.values()] : [],
      error: ctx.failure ?? engineError,
      undelivered: undelivered.value,
      waiting: postponed.map((a: any) => a.executionId).filter(Boolean),
    };
  } catch (err) {
    if (engine.state === 'running') void Promise.resolve(engine.stop()).catch(() => undefined);
    throw ctx.failure ?? err;
  }
}

function applyCommand(execution: any, command: StepCommand, undelivered: { value: boolean }): void {
  switch (command.kind) {
    case 'completeTask': {
      const api = collectPostponed(execution.getPostponed()).find((a: any) => a.executionId === command.executionId);
      if (!api) {
        undelivered.value = true;
        return;
      }
      api.signal({ ...command.variables });
      return;
    }
    case 'message':
    case 'signal': {
      const before = collectPostponed(execution.getPostponed()).length;
      execution.signal({ id: command.refId, ...command.variables });
      if (before === 0) undelivered.value = true;
      return;
    }
    default:
      return;
  }
}

function collectVariables(execution: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of execution.definitions ?? []) {
    Object.assign(out, def.environment?.variables ?? {});
    for (const bp of def.getProcesses?.() ?? []) Object.assign(out, bp.environment?.variables ?? {});
  }
  for (const k of ENGINE_KEYS) delete out[k];
  return JSON.parse(JSON.stringify(out));
}

function deriveSubscriptions(api: any): Subscription[] {
  const result: Subscription[] = [];
  const defs = api.owner?.eventDefinitions ?? [];
  const behaviour = api.owner?.behaviour ?? {};
  const refs: { kind: 'message' | 'signal'; ref: any }[] = [];
  for (const ed of defs) {
    if (ed.type === 'bpmn:MessageEventDefinition' && ed.reference) refs.push({ kind: 'message', ref: ed.reference });
    if (ed.type === 'bpmn:SignalEventDefinition' && ed.reference) refs.push({ kind: 'signal', ref: ed.reference });
  }
  if (api.type === 'bpmn:ReceiveTask' && behaviour.messageRef)
    refs.push({ kind: 'message', ref: behaviour.messageRef });
  for (const { kind, ref } of refs) {
    const refId = ref.id;
    if (!refId) continue;
    result.push({ kind, refId, name: ref.name ?? refId, activityId: api.id, executionId: api.executionId });
  }
  return result;
}
