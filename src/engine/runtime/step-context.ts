import { DEFAULT_TIMER_LIMITS, type TimerLimits } from './timer-rules.js';

/** What a handler registered by name receives when its service task runs. */
export interface HandlerContext {
  instanceId: string;
  businessKey: string | null;
  definitionKey: string;
  activityId: string;
  executionId: string;
  variables: Record<string, unknown>;
  now: number;
  /** The step's transaction (an EntityManager): a handler's writes commit or roll back with the step. */
  tx?: { query(sql: string, params?: unknown[]): Promise<any> };
}

/** A service-task handler. What it returns is merged into the process variables. Must be idempotent. */
export type ServiceHandler = (
  ctx: HandlerContext,
) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface TimerLiteral {
  expireAt: number;
  repeat?: number;
}

/**
 * Resolves the service's own timer literals (working days); null when the value is not one of them.
 * `repeating`: a cycle that fired at `now` asks for its next occurrence.
 */
export type TimerLiteralResolver = (value: string, now: number, opts?: { repeating?: boolean }) => TimerLiteral | null;

/** Completion waiting to be delivered to an external task or a call activity when its activity re-runs. */
export interface PendingResult {
  output?: Record<string, unknown>;
  bpmnError?: { errorCode: string; message?: string };
}

export class HandlerFailure extends Error {
  constructor(
    readonly activityId: string,
    readonly cause: unknown,
  ) {
    super(`handler of ${activityId} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * State shared by the elements of one step: the clock, the handlers, results to deliver, and what the
 * step saw happen. Lives for one step only; nothing here is stored.
 */
export class StepContext {
  readonly inFlight = new Set<Promise<unknown>>();
  readonly externalWaits = new Map<string, { activityId: string; executionId: string; topic: string }>();
  readonly parkedServices = new Map<string, { activityId: string; executionId: string }>();
  readonly callWaits = new Map<string, { activityId: string; executionId: string; calledElement: string }>();
  failure: HandlerFailure | null = null;
  tx: HandlerContext['tx'];

  constructor(
    readonly instance: { id: string; businessKey: string | null; definitionKey: string },
    readonly clockNow: () => number,
    readonly handlers: ReadonlyMap<string, ServiceHandler>,
    readonly runServices: boolean,
    readonly results: Map<string, PendingResult>,
    readonly moved: ReadonlyMap<string, number>,
    private readonly timerLiteral: TimerLiteralResolver | null,
    readonly variables: () => Record<string, unknown>,
    readonly timerLimits: TimerLimits = DEFAULT_TIMER_LIMITS,
  ) {}

  now(): number {
    return this.clockNow();
  }

  resolveTimerLiteral(value: string, now: number, opts?: { repeating?: boolean }): TimerLiteral | null {
    return this.timerLiteral ? this.timerLiteral(value, now, opts) : null;
  }

  movedTimer(executionId: string): number | undefined {
    return this.moved.get(executionId);
  }

  takeResult(executionId: string): PendingResult | undefined {
    const r = this.results.get(executionId);
    if (r) this.results.delete(executionId);
    return r;
  }
}
