import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuthUser } from './auth-user.js';

/**
 * Who a piece of work runs for, carried across awaits: the signed-in caller of a request, or the timer
 * that fired. Engine step listeners read it to name the actor of what a step did.
 */
export interface CallContext {
  kind: 'request' | 'timer';
  user?: AuthUser;
}

const storage = new AsyncLocalStorage<CallContext>();

export function runInCallContext<T>(ctx: CallContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentCallContext(): CallContext | undefined {
  return storage.getStore();
}
