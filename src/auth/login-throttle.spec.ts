import { LOCK_MS, UnknownUserThrottle, afterFailure, failureDelayMs, lockedAt } from './login-throttle.js';

describe('login throttle', () => {
  it('grows the delay with each failure in a row, capped', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(failureDelayMs)).toEqual([0, 100, 200, 400, 800, 1600, 3200]);
  });

  it('locks for 15 minutes at the fifth failure, and starts over once the lock ran out', () => {
    let s = { failedAttempts: 0, lockedUntil: null as number | null };
    for (let i = 0; i < 4; i++) s = afterFailure(s, 1000);
    expect(lockedAt(s, 1000)).toBe(false);
    s = afterFailure(s, 1000);
    expect(s).toEqual({ failedAttempts: 5, lockedUntil: 1000 + LOCK_MS });
    expect(lockedAt(s, 1000 + LOCK_MS - 1)).toBe(true);
    expect(lockedAt(s, 1000 + LOCK_MS)).toBe(false);
    expect(afterFailure(s, 1000 + LOCK_MS)).toEqual({ failedAttempts: 1, lockedUntil: null });
  });

  it('treats unknown names like accounts, within a bound', () => {
    const t = new UnknownUserThrottle(2);
    for (let i = 0; i < 5; i++) t.fail('ghost', 0);
    expect(lockedAt(t.get('ghost'), 1)).toBe(true);
    t.fail('a', 0);
    t.fail('b', 0);
    expect(t.get('ghost').failedAttempts).toBe(0);
  });
});
