import { ExecutionScope } from './execution-scope.js';
import { HandlerFailure, type StepContext } from './step-context.js';

const HANDLER_EXPRESSION = /^\$\{environment\.services\.([A-Za-z_$][\w$]*)(?:\(\))?\}$/;

/** A BPMN error a handler or an external worker raises on purpose; an error boundary with its code catches it. */
export class BusinessError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'BpmnError';
  }
}

export function handlerName(implementation: unknown): string | null {
  const m = typeof implementation === 'string' ? HANDLER_EXPRESSION.exec(implementation.trim()) : null;
  return m ? m[1] : null;
}

/**
 * The behaviour of every service, send and business-rule task. External tasks wait for a worker; named
 * handlers run only in a step that runs services, otherwise the task is parked and the service step that
 * follows the commit runs it. A handler's technical failure aborts the step (the caller records an incident).
 */
export function DurableService(this: any, activity: any) {
  this.activity = activity;
  this.type = `${activity.type}:duban`;
}

DurableService.prototype.execute = function execute(
  this: any,
  executeMessage: any,
  callback: (err: any, output?: any) => void,
) {
  const activity = this.activity;
  const ctx: StepContext | undefined = activity.environment.services.$step;
  const { executionId } = executeMessage.content;
  if (!ctx) return callback(new Error('service task outside of a durable step'));
  const behaviour = activity.behaviour ?? {};

  const delivered = ctx.takeResult(executionId);
  if (delivered) {
    if (delivered.bpmnError) {
      // Variables sent with a BPMN error are set before the error is thrown, so the catching path reads them.
      if (delivered.output) Object.assign(activity.environment.variables, delivered.output);
      // Raised once every activity of the instance has resumed: on a resume where this task comes back before
      // its error boundary, an error raised at once finds no boundary listening and becomes an incident.
      const { errorCode, message } = delivered.bpmnError;
      const raise = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        callback(new BusinessError(errorCode, message)),
      );
      ctx.inFlight.add(raise);
      void raise.finally(() => ctx.inFlight.delete(raise));
      return;
    }
    return callback(null, delivered.output ?? {});
  }

  if (behaviour.type === 'external') {
    ctx.externalWaits.set(executionId, { activityId: activity.id, executionId, topic: String(behaviour.topic) });
    return;
  }

  const name = handlerName(behaviour.implementation);
  const handler = name ? ctx.handlers.get(name) : undefined;
  if (!handler) {
    ctx.failure = new HandlerFailure(
      activity.id,
      new Error(`no handler registered as ${name ?? behaviour.implementation}`),
    );
    return;
  }
  if (!ctx.runServices) {
    ctx.parkedServices.set(executionId, { activityId: activity.id, executionId });
    return;
  }
  const scope = ExecutionScope(activity, executeMessage);
  const run = (async () => {
    try {
      const out = await handler({
        instanceId: ctx.instance.id,
        businessKey: ctx.instance.businessKey,
        definitionKey: ctx.instance.definitionKey,
        activityId: activity.id,
        executionId,
        // The process's own variables: the step's view of them is only read after the engine rests.
        variables: processVariables({
          ...ctx.variables(),
          ...(activity.environment.variables ?? {}),
          ...(scope?.content?.input ?? {}),
        }),
        now: ctx.now(),
        tx: ctx.tx,
      });
      callback(null, out ?? {});
    } catch (err) {
      if (err instanceof BusinessError) return callback(err);
      ctx.failure ??= new HandlerFailure(activity.id, err);
    }
  })();
  ctx.inFlight.add(run);
  run.finally(() => ctx.inFlight.delete(run));
};

DurableService.prototype.stop = function stop() {};
DurableService.prototype.discard = function discard() {};

function processVariables(vars: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(vars));
  for (const k of ['fields', 'content', 'properties']) delete copy[k];
  return copy;
}
