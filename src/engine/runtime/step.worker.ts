import { parentPort } from 'node:worker_threads';
import { deserializeContext, runStep, type StepOutcome } from './bpmn-runtime.js';
import type { WorkerTimerLiteral } from './portable-literal.js';
import type { ServiceHandler } from './step-context.js';
import type { StepReply, StepRequest } from './step-pool.js';

/**
 * An engine thread (step-pool.ts): runs the engine part of steps that reach no handler, from the definitions
 * and the calendar the main thread sends once each. No database, no handler, no clock of its own.
 */
const contexts = new Map<string, unknown>();
let literal: { stamp: string; resolver: WorkerTimerLiteral } | null = null;
let handlers: { key: string; map: ReadonlyMap<string, ServiceHandler> } = { key: '', map: new Map() };

/** The main thread's handler names: a service naming one parks here (no step here runs services). */
function handlersNamed(names: string[]): ReadonlyMap<string, ServiceHandler> {
  const key = names.join('\n');
  if (handlers.key !== key) {
    const parked: ServiceHandler = () => {
      throw new Error('services run on the main thread');
    };
    handlers = { key, map: new Map(names.map((n) => [n, parked])) };
  }
  return handlers.map;
}

let queue: Promise<void> = Promise.resolve();

parentPort!.on('message', (req: StepRequest) => {
  if (req.kind === 'forget') {
    for (const id of req.definitionIds) contexts.delete(id);
    return;
  }
  // One step at a time, in the order sent: a step's setup (the calendar's module) is done before the next reads it.
  queue = queue.then(() => answer(req).then((reply) => parentPort!.postMessage(reply)));
});

async function answer(req: Extract<StepRequest, { kind: 'run' }>): Promise<StepReply> {
  try {
    if (req.context) contexts.set(req.context.id, deserializeContext(req.context.source as object));
    if (req.literal && req.literal.stamp !== literal?.stamp) {
      const mod = (await import(req.literal.module)) as { createTimerLiteral(data: unknown): WorkerTimerLiteral };
      literal = { stamp: req.literal.stamp, resolver: mod.createTimerLiteral(req.literal.data) };
    }
    const { handlerNames, ...input } = req.input;
    const sourceContext = contexts.get(input.definitionId);
    if (!sourceContext) return { id: req.id, missing: true, notes: [] };
    const resolver = req.withLiteral ? (literal?.resolver ?? null) : null;
    const outcome: StepOutcome = await runStep({
      ...input,
      sourceContext,
      now: () => input.now,
      handlers: handlersNamed(handlerNames),
      runServices: false,
      timerLiteral: resolver ? resolver.resolve : null,
    });
    const { error, ...rest } = outcome;
    return { id: req.id, outcome: rest, error: error ? portableError(error) : null, notes: resolver?.drain() ?? [] };
  } catch (err) {
    return { id: req.id, thrown: portableError(err), notes: literal?.resolver.drain() ?? [] };
  }
}

/** What the service reads of a step's error: its message and the activity it names. */
function portableError(err: unknown): { message: string; activityId: string | null } {
  const e = err as { message?: unknown; activityId?: unknown; source?: { content?: { id?: unknown } } };
  const activityId =
    typeof e?.activityId === 'string'
      ? e.activityId
      : typeof e?.source?.content?.id === 'string'
        ? e.source.content.id
        : null;
  return { message: err instanceof Error ? err.message : String(err), activityId };
}
