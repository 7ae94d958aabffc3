/**
 * The sign-in throttle's rules, kept apart from their storage (login-throttle.repository.ts). Two counters
 * decide each attempt: one per username and source address (5 failures lock that name for that address only,
 * so nobody can lock anybody out) and one per address across names (one address cannot spray many names).
 * An attempt reserves its place in both before its password is hashed: failures plus attempts still being
 * checked never exceed the limit, however many arrive at once.
 */

/** Failures of one name from one address before that pair is locked. */
export const MAX_FAILURES = 5;
/** How long a lock lasts, and the window failures are counted in (from the first failure of a series). */
export const LOCK_MS = 15 * 60_000;
export const WINDOW_MS = 15 * 60_000;
/** A reservation older than this is forgotten (the node that made it died while checking the password). */
export const RESERVATION_MS = 30_000;

export interface ThrottleLimit {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const NAME_LIMIT: ThrottleLimit = { maxFailures: MAX_FAILURES, windowMs: WINDOW_MS, lockMs: LOCK_MS };

export function addressLimit(maxFailures: number): ThrottleLimit {
  return { maxFailures, windowMs: WINDOW_MS, lockMs: LOCK_MS };
}

/** One counter, times in epoch milliseconds of the wall clock. */
export interface ThrottleState {
  failures: number;
  inFlight: number;
  reservedAt: number | null;
  windowStart: number | null;
  lockedUntil: number | null;
}

export const EMPTY: ThrottleState = {
  failures: 0,
  inFlight: 0,
  reservedAt: null,
  windowStart: null,
  lockedUntil: null,
};

/** The pause before a failed sign-in answers: 100 ms after a series' first failure, doubling, at most 3.2 s. */
export function failureDelayMs(failuresInRow: number): number {
  if (failuresInRow <= 0) return 0;
  return Math.min(100 * 2 ** (failuresInRow - 1), 3200);
}

/** The counter as it stands at `now`: a lock run out or a window passed starts a new series; stale reservations go. */
export function current(s: ThrottleState, limit: ThrottleLimit, now: number): ThrottleState {
  let next = s;
  if (next.lockedUntil !== null && next.lockedUntil <= now) {
    next = { ...next, failures: 0, windowStart: null, lockedUntil: null };
  }
  if (next.lockedUntil === null && next.windowStart !== null && next.windowStart + limit.windowMs <= now) {
    next = { ...next, failures: 0, windowStart: null };
  }
  if (next.reservedAt !== null && next.reservedAt + RESERVATION_MS <= now) {
    next = { ...next, inFlight: 0, reservedAt: null };
  }
  return next;
}

/** Places reserved in every counter, or a refusal before any password is checked: `until` is when to try again. */
export type Reservation = { ok: true; states: ThrottleState[] } | { ok: false; until: number };

/**
 * Reserves one place in every counter, or refuses: a locked counter until its lock ends; a full one (its
 * failures and attempts in flight at the limit) for a second, by when those attempts have their answer.
 */
export function reserve(states: ThrottleState[], limits: ThrottleLimit[], now: number): Reservation {
  const cur = states.map((s, i) => current(s, limits[i], now));
  const locks = cur.filter((s) => s.lockedUntil !== null).map((s) => s.lockedUntil!);
  if (locks.length) return { ok: false, until: Math.max(...locks) };
  if (cur.some((s, i) => s.failures + s.inFlight >= limits[i].maxFailures)) return { ok: false, until: now + 1000 };
  return { ok: true, states: cur.map((s) => ({ ...s, inFlight: s.inFlight + 1, reservedAt: now })) };
}

/** After a wrong password: one more failure, the reservation given back, locked at the limit. */
export function afterFailure(s: ThrottleState, limit: ThrottleLimit, now: number): ThrottleState {
  const c = current(s, limit, now);
  const failures = c.failures + 1;
  return {
    ...c,
    failures,
    inFlight: Math.max(0, c.inFlight - 1),
    windowStart: c.windowStart ?? now,
    lockedUntil: failures >= limit.maxFailures ? now + limit.lockMs : c.lockedUntil,
  };
}

/**
 * After the right password: the reservation given back; `clear` (the name's own counter) also ends its series.
 * The address's counter keeps its failures, or signing in to one's own account would reset a spray.
 */
export function afterSuccess(s: ThrottleState, limit: ThrottleLimit, now: number, clear: boolean): ThrottleState {
  const c = current(s, limit, now);
  const back = { ...c, inFlight: Math.max(0, c.inFlight - 1) };
  return clear ? { ...back, failures: 0, windowStart: null, lockedUntil: null } : back;
}
