import {
  EMPTY,
  LOCK_MS,
  NAME_LIMIT,
  RESERVATION_MS,
  WINDOW_MS,
  addressLimit,
  afterFailure,
  afterSuccess,
  current,
  failureDelayMs,
  reserve,
  type ThrottleState,
} from './login-throttle.js';

const T = 1_000_000;
const ADDRESS = addressLimit(30);
const LIMITS = [NAME_LIMIT, ADDRESS];

/** Reserves for one attempt at `now` and answers the counters, or throws when refused. */
function admit(states: ThrottleState[], now = T): ThrottleState[] {
  const r = reserve(states, LIMITS, now);
  if (!r.ok) throw new Error(`refused until ${r.until}`);
  return r.states;
}

describe('sign-in throttle', () => {
  it('grows the delay with each failure in a row, capped', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(failureDelayMs)).toEqual([0, 100, 200, 400, 800, 1600, 3200]);
  });

  it('admits no more attempts at once than the failures left: a burst of 40 gets 5 places', () => {
    let states = [EMPTY, EMPTY];
    let admitted = 0;
    for (let i = 0; i < 40; i++) {
      const r = reserve(states, LIMITS, T);
      if (r.ok) {
        states = r.states;
        admitted++;
      } else expect(r.until).toBe(T + 1000);
    }
    expect(admitted).toBe(5);
    expect(states.map((s) => s.inFlight)).toEqual([5, 5]);
    // All five wrong: the name is locked for this address, and the address has five failures.
    states = states.map((s, i) => [0, 1, 2, 3, 4].reduce((acc) => afterFailure(acc, LIMITS[i], T + 100), s));
    expect(states[0]).toMatchObject({ failures: 5, inFlight: 0, lockedUntil: T + 100 + LOCK_MS });
    expect(states[1]).toMatchObject({ failures: 5, inFlight: 0, lockedUntil: null });
    expect(reserve(states, LIMITS, T + 200)).toEqual({ ok: false, until: T + 100 + LOCK_MS });
  });

  it('locks at the fifth failure for 15 minutes, and starts a new series once the lock ran out', () => {
    let s = EMPTY;
    for (let i = 0; i < 4; i++) s = afterFailure(admit([s, EMPTY])[0], NAME_LIMIT, T);
    expect(s).toMatchObject({ failures: 4, lockedUntil: null });
    s = afterFailure(admit([s, EMPTY])[0], NAME_LIMIT, T);
    expect(s).toMatchObject({ failures: 5, lockedUntil: T + LOCK_MS });
    expect(reserve([s, EMPTY], LIMITS, T + LOCK_MS - 1).ok).toBe(false);
    const after = admit([s, EMPTY], T + LOCK_MS)[0];
    expect(after).toMatchObject({ failures: 0, inFlight: 1, lockedUntil: null });
  });

  it('forgets failures a window after the first of the series', () => {
    let s = afterFailure(admit([EMPTY, EMPTY])[0], NAME_LIMIT, T);
    s = afterFailure(admit([s, EMPTY], T + 60_000)[0], NAME_LIMIT, T + 60_000);
    expect(current(s, NAME_LIMIT, T + WINDOW_MS - 1).failures).toBe(2);
    expect(current(s, NAME_LIMIT, T + WINDOW_MS)).toMatchObject({ failures: 0, windowStart: null });
  });

  it('ends the series of the name on success, but not the address’s', () => {
    const series = { ...EMPTY, failures: 3, windowStart: T };
    const [name, address] = admit([series, series]);
    expect(afterSuccess(name, NAME_LIMIT, T, true)).toMatchObject({ failures: 0, inFlight: 0, windowStart: null });
    expect(afterSuccess(address, ADDRESS, T, false)).toMatchObject({ failures: 3, inFlight: 0, windowStart: T });
  });

  it('locks an address that failed on many names, for every name', () => {
    let address = EMPTY;
    for (let i = 0; i < 30; i++) address = afterFailure(admit([EMPTY, address])[1], ADDRESS, T);
    expect(address.lockedUntil).toBe(T + LOCK_MS);
    expect(reserve([EMPTY, address], LIMITS, T + 1)).toEqual({ ok: false, until: T + LOCK_MS });
  });

  it('forgets the reservations of an attempt whose node died before it answered', () => {
    const held = { ...EMPTY, inFlight: 5, reservedAt: T };
    expect(reserve([held, EMPTY], LIMITS, T + RESERVATION_MS - 1).ok).toBe(false);
    expect(admit([held, EMPTY], T + RESERVATION_MS)[0]).toMatchObject({ inFlight: 1, reservedAt: T + RESERVATION_MS });
  });
});
