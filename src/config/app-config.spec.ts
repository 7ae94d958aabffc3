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

  it('runs one process per core on a server database, one embedded or with a controlled clock, and refuses more there', () => {
    const server = {
      DATABASE_URL: 'postgres://localhost/x',
      REDIS_URL: 'redis://localhost:6379',
      DUBAN_AUDIT_KEY: 'a'.repeat(32),
      DUBAN_JWT_SECRET: 'k'.repeat(32),
    };
    expect(loadConfig(server).workers(4)).toBe(4);
    expect(loadConfig({ ...server, DUBAN_WORKERS: '2' }).workers(8)).toBe(2);
    expect(loadConfig({ ...server, DUBAN_CLOCK_CONTROLLED: 'true' }).workers(4)).toBe(1);
    expect(loadConfig({}).workers(4)).toBe(1);
    expect(() => loadConfig({ DUBAN_WORKERS: '2' })).toThrow(/DUBAN_WORKERS above 1 needs DATABASE_URL/);
    expect(() => loadConfig({ ...server, DUBAN_WORKERS: '2', DUBAN_CLOCK_CONTROLLED: 'true' })).toThrow(
      /controlled|CLOCK/,
    );
    expect(() => loadConfig({ ...server, DUBAN_WORKERS: '0' })).toThrow(/DUBAN_WORKERS/);
  });

  it('needs Redis with an external database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/REDIS_URL/);
  });

  it("needs the token key on a server database, so that every node accepts the others' tokens", () => {
    const server = {
      DATABASE_URL: 'postgres://localhost/x',
      REDIS_URL: 'redis://localhost:6379',
      DUBAN_AUDIT_KEY: 'a'.repeat(32),
    };
    expect(() => loadConfig(server)).toThrow(/DUBAN_JWT_SECRET must be set with DATABASE_URL/);
    expect(loadConfig({ ...server, DUBAN_JWT_SECRET: 'k'.repeat(32) }).embedded).toBe(false);
    expect(loadConfig({}).DUBAN_JWT_SECRET).toBeUndefined();
  });

  it('reads DUBAN_TRUST_PROXY as Express takes it, and refuses what is no address', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ DUBAN_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    const list = loadConfig({ DUBAN_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).trustProxy;
    expect(list).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['true', 'yes', '12', 'abc', '10.0.0.0/33', '999.1.1.1', 'loopback;rm']) {
      expect(() => loadConfig({ DUBAN_TRUST_PROXY: bad })).toThrow(/DUBAN_TRUST_PROXY/);
    }
  });

  it('lets robot webhooks name the vendors’ hosts only, unless the setting names others', () => {
    expect(loadConfig({}).DUBAN_WEBHOOK_HOSTS).toBe('qyapi.weixin.qq.com,oapi.dingtalk.com');
    const hosts = 'robot.example.cn, 10.0.0.8:8080';
    expect(loadConfig({ DUBAN_WEBHOOK_HOSTS: hosts }).DUBAN_WEBHOOK_HOSTS).toBe(hosts);
    expect(() => loadConfig({ DUBAN_WEBHOOK_HOSTS: 'robot.example.cn/path, h:99999' })).toThrow(
      /DUBAN_WEBHOOK_HOSTS: "robot.example.cn\/path" is not a host or host:port; "h:99999"/,
    );
  });

  it('needs the audit key on a server database and in production, the same key on every node', () => {
    const server = {
      DATABASE_URL: 'postgres://localhost/x',
      REDIS_URL: 'redis://localhost',
      DUBAN_JWT_SECRET: 'k'.repeat(32),
    };
    expect(() => loadConfig(server)).toThrow(/DUBAN_AUDIT_KEY must be set with DATABASE_URL/);
    const production = { NODE_ENV: 'production', DUBAN_JWT_SECRET: 'j'.repeat(32) };
    expect(() => loadConfig(production)).toThrow(/DUBAN_AUDIT_KEY must be set/);
    expect(() => loadConfig({ ...server, DUBAN_AUDIT_KEY: 'short' })).toThrow(/DUBAN_AUDIT_KEY must be at least 32/);
    expect(loadConfig({ ...server, DUBAN_AUDIT_KEY: 'a'.repeat(32) }).DUBAN_AUDIT_KEY).toBe('a'.repeat(32));
    expect(loadConfig({}).DUBAN_AUDIT_KEY).toBeUndefined();
  });
});
