import { loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database, port 3000 and the duban queue prefix', () => {
    const c = loadConfig({});
    expect(c.embedded).toBe(true);
    expect(c.PORT).toBe(3000);
    expect(c.DUBAN_QUEUE_PREFIX).toBe('duban');
    expect(c.DUBAN_CLOCK_CONTROLLED).toBe(false);
  });

  it('names the bad setting', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty"/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DUBAN_QUEUE_PREFIX: 'a b' })).toThrow(/DUBAN_QUEUE_PREFIX/);
  });

  it('reads the timer and BPMN limits, and names a floor that is not a short ISO duration', () => {
    expect(loadConfig({}).timerLimits).toEqual({ minPeriodMs: 60_000, maxRepeat: 1000 });
    expect(loadConfig({}).DUBAN_MAX_BPMN_ELEMENTS).toBe(2000);
    const set = loadConfig({ DUBAN_MIN_TIMER_PERIOD: 'PT30S', DUBAN_MAX_TIMER_REPEAT: '50' });
    expect(set.timerLimits).toEqual({ minPeriodMs: 30_000, maxRepeat: 50 });
    for (const bad of ['60000', 'PT0S', 'P1M', 'PT0.5S', 'P2D']) {
      expect(() => loadConfig({ DUBAN_MIN_TIMER_PERIOD: bad })).toThrow(/DUBAN_MIN_TIMER_PERIOD/);
    }
    expect(() => loadConfig({ DUBAN_MAX_TIMER_REPEAT: '0' })).toThrow(/DUBAN_MAX_TIMER_REPEAT/);
    expect(() => loadConfig({ DUBAN_MAX_BPMN_ELEMENTS: 'many' })).toThrow(/DUBAN_MAX_BPMN_ELEMENTS/);
  });

  it('refuses a controlled clock in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DUBAN_CLOCK_CONTROLLED: 'true' })).toThrow(/production/);
  });

  it('needs Redis with an external database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/REDIS_URL/);
  });
});
