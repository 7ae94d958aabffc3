import { ControlledClock, SystemClock } from '../clock/clock.js';
import { loadConfig } from '../config/app-config.js';
import { DomainException } from './domain-exception.js';
import { SlidingWindowLimiter, UploadRateLimiter } from './upload-rate.js';

describe('upload rate limit', () => {
  it('allows `limit` events in any 60 s per key, then says how long to wait', () => {
    let now = 1_000_000;
    const l = new SlidingWindowLimiter(3, () => now);
    expect(l.hit('a')).toBeNull();
    now += 10_000;
    expect([l.hit('a'), l.hit('a')]).toEqual([null, null]);
    expect(l.hit('a')).toBe(50);
    expect(l.hit('b')).toBeNull(); // another account is not affected
    now += 35_000;
    expect(l.hit('a')).toBe(15);
    now += 15_000; // the first event is a minute old: one more is allowed, not more
    expect(l.hit('a')).toBeNull();
    expect(l.hit('a')).toBe(10);
  });

  it('a sliding window: a burst at the end of one minute does not allow another at the start of the next', () => {
    let now = 0;
    const l = new SlidingWindowLimiter(2, () => now);
    now = 59_000;
    l.hit('a');
    l.hit('a');
    now = 61_000;
    expect(l.hit('a')).toBe(58);
    now = 119_001;
    expect(l.hit('a')).toBeNull();
  });

  it('refused events do not push the wait further', () => {
    let now = 0;
    const l = new SlidingWindowLimiter(1, () => now);
    l.hit('a');
    for (let i = 0; i < 100; i++) l.hit('a');
    now = 60_000;
    expect(l.hit('a')).toBeNull();
  });

  it('keeps a bounded number of keys, dropping the idle ones first', () => {
    let now = 0;
    const l = new SlidingWindowLimiter(1, () => now, 3);
    l.hit('old');
    now = 61_000;
    for (const k of ['a', 'b', 'c']) l.hit(k);
    expect(l.hit('a')).toBeGreaterThan(0); // still counted
    expect(l.hit('old')).toBeNull(); // forgotten (it was idle anyway)
  });

  it('is 429 TOO_MANY_REQUESTS with retryAfterSeconds over DUBAN_UPLOAD_RATE_PER_MIN', () => {
    const uploads = new UploadRateLimiter(loadConfig({ DUBAN_UPLOAD_RATE_PER_MIN: '2' }), new SystemClock());
    uploads.check('account:1');
    uploads.check('account:1');
    let refused: unknown;
    try {
      uploads.check('account:1');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DomainException);
    expect(refused).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      details: { retryAfterSeconds: expect.any(Number), limit: 2 },
    });
    expect(loadConfig({}).DUBAN_UPLOAD_RATE_PER_MIN).toBe(60);
    expect(() => loadConfig({ DUBAN_UPLOAD_RATE_PER_MIN: '0' })).toThrow(/DUBAN_UPLOAD_RATE_PER_MIN/);
  });

  it('counts its minute on the wall clock (the service clock is business time)', () => {
    const wall = new ControlledClock();
    const uploads = new UploadRateLimiter(loadConfig({ DUBAN_UPLOAD_RATE_PER_MIN: '1' }), wall);
    uploads.check('account:1');
    expect(() => uploads.check('account:1')).toThrow(DomainException);
    wall.add(60_000);
    expect(() => uploads.check('account:1')).not.toThrow();
  });
});
