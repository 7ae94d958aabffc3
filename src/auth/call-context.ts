import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuthUser } from './auth-user.js';

/** An act of the past that the demo records as it happened: when, and by which person of which unit. */
export interface PastAct {
  at: Date;
  person: string;
  unitCode: string | null;
}

/**
 * Who a piece of work runs for, carried across awaits: the signed-in caller of a request, the timer that
 * fired, or (`history`) the demo loading its history, each step with its own date and actor. Engine step
 * listeners read it to name the actor of what a step did (and, for history, when it happened).
 */
export interface CallContext {
  kind: 'request' | 'timer' | 'history';
  user?: AuthUser;
  past?: PastAct;
  /** A request's own trail entries, recorded by the first engine step it causes, in that step's transaction. */
  stepAudit?: StepAuditSlot;
}

/** Entries a request leaves for its first step; `taken` once a step that carried them committed. */
export interface StepAuditSlot {
  entries: unknown[];
  carried: boolean;
  taken: boolean;
}

const slots = new WeakMap<object, StepAuditSlot>();

/** The slot of a request (the same object whichever interceptor asks first). */
export function stepAuditSlot(request: object): StepAuditSlot {
  let slot = slots.get(request);
  if (!slot) slots.set(request, (slot = { entries: [], carried: false, taken: false }));
  return slot;
}

const storage = new AsyncLocalStorage<CallContext>();

export function runInCallContext<T>(ctx: CallContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentCallContext(): CallContext | undefined {
  return storage.getStore();
}
