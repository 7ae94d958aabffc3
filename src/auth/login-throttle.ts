/** After this many failures in a row the account is locked. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;

/** The pause before a failed sign-in answers: 100 ms after the first failure in a row, doubling, at most 3.2 s. */
export function failureDelayMs(failuresInRow: number): number {
  if (failuresInRow <= 0) return 0;
  return Math.min(100 * 2 ** (failuresInRow - 1), 3200);
}

export interface ThrottleState {
  failedAttempts: number;
  lockedUntil: number | null;
}

/** Locked now? A lock that has run out starts a fresh series of failures. */
export function lockedAt(s: ThrottleState, now: number): boolean {
  return s.lockedUntil !== null && s.lockedUntil > now;
}

/** The state after one more failure. */
export function afterFailure(s: ThrottleState, now: number): ThrottleState {
  const expired = s.lockedUntil !== null && s.lockedUntil <= now;
  const failedAttempts = (expired ? 0 : s.failedAttempts) + 1;
  return { failedAttempts, lockedUntil: failedAttempts >= MAX_FAILURES ? now + LOCK_MS : expired ? null : s.lockedUntil };
}

/**
 * Failures of usernames that have no account, kept like an account's so that a wrong guess at a name
 * answers exactly as a wrong password would (same delays, same lock). Bounded; per node.
 */
export class UnknownUserThrottle {
  private readonly states = new Map<string, ThrottleState>();
  constructor(private readonly max = 10_000) {}

  get(username: string): ThrottleState {
    return this.states.get(username) ?? { failedAttempts: 0, lockedUntil: null };
  }

  fail(username: string, now: number): ThrottleState {
    const next = afterFailure(this.get(username), now);
    this.states.delete(username);
    this.states.set(username, next);
    if (this.states.size > this.max) this.states.delete(this.states.keys().next().value as string);
    return next;
  }
}
