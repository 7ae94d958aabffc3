import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthService } from '../src/auth/auth.service.js';
import { ConfigError, loadConfig } from '../src/config/app-config.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const RIGHT = 'correct horse battery';

interface Answer {
  status: number;
  body: any;
}

/**
 * Sign-in as an attacker sends it, from source addresses of their choosing: the service listens on 127.0.0.1
 * and each call leaves from another address of the loopback network (127.0.0.0/8), as distinct clients would.
 */
class Caller {
  constructor(
    private readonly port: number,
    readonly source: string,
  ) {}

  call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const all = { ...headers, ...(data ? { 'content-type': 'application/json' } : {}) };
      const target = { host: '127.0.0.1', port: this.port, localAddress: this.source };
      const req = request({ ...target, method, path, headers: all }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  login(username: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.call('POST', '/api/auth/login', { username, password }, headers);
  }

  basic(username: string, password: string): Promise<Answer> {
    const credentials = Buffer.from(`${username}:${password}`).toString('base64');
    return this.call('GET', '/engine-rest/engine', undefined, { authorization: `Basic ${credentials}` });
  }

  me(token: string): Promise<Answer> {
    return this.call('GET', '/api/auth/me', undefined, { authorization: `Bearer ${token}` });
  }
}

/** The status an answer comes with. */
async function status(answer: Promise<Answer>): Promise<number> {
  return (await answer).status;
}

async function listening(t: TestApp): Promise<number> {
  await t.app.listen(0, '127.0.0.1');
  return (t.app.getHttpServer().address() as AddressInfo).port;
}

async function account(t: TestApp, username: string, role = 'office'): Promise<string> {
  return (await t.http.post('/api/accounts').send({ username, password: RIGHT, role }).expect(201)).body.id;
}

describe('sign-in as an attacker tries it', () => {
  let t: TestApp;
  let port: number;
  const at = (source: string) => new Caller(port, source);

  beforeAll(async () => {
    t = await startTestApp();
    port = await listening(t);
  });
  afterAll(() => t.close());

  const trail = async (query: object) => (await t.http.get('/api/audit').query(query).expect(200)).body;

  /** The trail's failed sign-ins of a name: how many had their password checked. */
  async function checkedFailures(username: string): Promise<number> {
    const items = (await trail({ action: 'auth.login_failed', pageSize: 500 })).items;
    return items.filter((e: any) => e.details.username === username && e.details.passwordChecked).length;
  }

  it('checks at most 5 of 40 wrong passwords sent at once, and refuses the right one sent with them', async () => {
    await account(t, 'burst.target');
    const attacker = at('127.0.0.10');
    const auth = t.app.get(AuthService);
    const checksBefore = auth.passwordChecks;
    const wrong = Array.from({ length: 40 }, (_, i) => attacker.login('burst.target', `guess ${i}`));
    // The right password goes out while the wrong ones are still being answered, once they hold their places.
    for (let i = 0; i < 500; i++) {
      const sql = `SELECT failures + in_flight AS n FROM login_throttle WHERE username = $1`;
      const [row] = await t.db.query(sql, ['burst.target']);
      if (row?.n >= 5) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const right = attacker.login('burst.target', RIGHT);
    const answers = await Promise.all([...wrong, right]);
    const checked = auth.passwordChecks - checksBefore;
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(await checkedFailures('burst.target')).toBe(checked);
    expect((await right).status).toBe(423);
    const counts = answers.reduce<Record<number, number>>((c, a) => ({ ...c, [a.status]: (c[a.status] ?? 0) + 1 }), {});
    expect(Object.keys(counts).sort()).toEqual(['401', '423']);
    // Locked for that address: the right password, and HTTP Basic at /engine-rest, whatever X-Forwarded-For says.
    const locked = await attacker.login('burst.target', RIGHT);
    expect(locked).toMatchObject({ status: 423, body: { error: 'LOCKED', retryAfterSeconds: expect.any(Number) } });
    expect(await status(attacker.login('burst.target', RIGHT, { 'x-forwarded-for': '198.51.100.7' }))).toBe(423);
    expect(await status(attacker.basic('burst.target', RIGHT))).toBe(401);
    expect(auth.passwordChecks - checksBefore).toBe(checked);
    // The account's owner, elsewhere, is not locked out.
    const owner = at('127.0.0.11');
    expect(await status(owner.login('burst.target', RIGHT))).toBe(200);
    expect(await status(owner.basic('burst.target', RIGHT))).toBe(200);
  });

  it('stops one address spraying many names, for every name, and only that address', async () => {
    await account(t, 'spray.victim');
    const sprayer = at('127.0.0.20');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => sprayer.login(`name-${i}`, 'Winter2026!')));
    // The 30th failure from the address locks it (DUBAN_LOGIN_ADDRESS_FAILURES).
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(29).fill(401), 423]);
    expect(await sprayer.login('spray.victim', RIGHT)).toMatchObject({ status: 423, body: { error: 'LOCKED' } });
    // Refused before any check, a new name leaves nothing behind (a locked address cannot fill the table).
    expect(await status(sprayer.login('never-seen-before', 'x'))).toBe(423);
    expect(await t.db.query(`SELECT 1 FROM login_throttle WHERE username = 'never-seen-before'`)).toEqual([]);
    expect(await status(at('127.0.0.21').login('spray.victim', RIGHT))).toBe(200);
  });

  it('answers an unknown name exactly as a wrong password, attempt by attempt', async () => {
    await account(t, 'real.name');
    const real: Answer[] = [];
    const ghost: Answer[] = [];
    for (let i = 0; i < 6; i++) real.push(await at('127.0.0.30').login('real.name', `guess ${i}`));
    for (let i = 0; i < 6; i++) ghost.push(await at('127.0.0.31').login('no.such.name', `guess ${i}`));
    const shape = (a: Answer) => [a.status, a.body.error, a.body.message];
    expect(ghost.map(shape)).toEqual(real.map(shape));
    expect(real.map((a) => a.status)).toEqual([401, 401, 401, 401, 423, 423]);
  });

  it('keeps tokens and locks on real time: moving the service clock a day signs nobody out', async () => {
    await account(t, 'clock.watcher');
    const me = at('127.0.0.40');
    const { accessToken } = (await me.login('clock.watcher', RIGHT)).body;
    for (let i = 0; i < 5; i++) await at('127.0.0.41').login('clock.watcher', `guess ${i}`);
    await t.http.post('/api/admin/clock/add').send({ offsetMilli: DAY }).expect(200);
    expect(await me.me(accessToken)).toMatchObject({ status: 200, body: { username: 'clock.watcher' } });
    expect(await status(at('127.0.0.41').login('clock.watcher', RIGHT))).toBe(423);
    await t.http
      .post('/api/admin/clock/add')
      .send({ offsetMilli: -2 * DAY })
      .expect(200);
    expect(await status(me.me(accessToken))).toBe(200);
  });

  describe('disabling an account, and the other changes an admin makes', () => {
    it('ends its tokens on their next call and its HTTP Basic at once; enabling lets it sign in anew', async () => {
      const id = await account(t, 'to.disable');
      const user = at('127.0.0.50');
      const { accessToken } = (await user.login('to.disable', RIGHT)).body;
      expect(await status(user.basic('to.disable', RIGHT))).toBe(200);
      const res = await t.http.patch(`/api/accounts/${id}`).send({ disabled: true }).expect(200);
      expect(res.body).toMatchObject({ id, username: 'to.disable', disabled: true });
      expect(await user.me(accessToken)).toMatchObject({ status: 401, body: { message: '请先登录' } });
      const basic = await user.basic('to.disable', RIGHT);
      expect(basic).toMatchObject({ status: 401, body: { type: 'AuthenticationException' } });
      const login = await user.login('to.disable', RIGHT);
      expect(login).toMatchObject({ status: 401, body: { error: 'INVALID_CREDENTIALS' } });

      await t.http.patch(`/api/accounts/${id}`).send({ disabled: false }).expect(200);
      const again = await at('127.0.0.51').login('to.disable', RIGHT);
      expect(again.status).toBe(200);
      expect(await status(user.me(again.body.accessToken))).toBe(200);
      expect(await status(user.me(accessToken))).toBe(401);
      const changes = (await trail({ entityId: id })).items.map((e: any) => [e.action, e.after]);
      const expected = [
        ['account.disabled', { disabled: true }],
        ['account.enabled', { disabled: false }],
      ];
      expect(changes).toEqual(expect.arrayContaining(expected));
    });

    it('resets a password and changes a role: the old tokens and password stop working', async () => {
      const id = await account(t, 'to.change');
      const user = at('127.0.0.52');
      const { accessToken } = (await user.login('to.change', RIGHT)).body;
      expect(await status(user.basic('to.change', RIGHT))).toBe(200);
      await t.http.patch(`/api/accounts/${id}`).send({ password: 'a brand new passphrase' }).expect(200);
      expect(await status(user.me(accessToken))).toBe(401);
      expect(await status(user.basic('to.change', RIGHT))).toBe(401);
      expect(await status(user.login('to.change', RIGHT))).toBe(401);
      const fresh = (await user.login('to.change', 'a brand new passphrase')).body.accessToken;

      await t.http.post('/api/units').send({ code: 'SWJ', name: '市水利局' }).expect(201);
      const moved = await t.http.patch(`/api/accounts/${id}`).send({ role: 'unit', unitCode: 'SWJ' }).expect(200);
      expect(moved.body).toMatchObject({ role: 'unit', unitCode: 'SWJ', disabled: false });
      expect(await status(user.me(fresh))).toBe(401);
      const asUnit = (await user.login('to.change', 'a brand new passphrase')).body;
      expect(asUnit.user).toMatchObject({ role: 'unit', unitCode: 'SWJ' });
      expect((await t.http.patch(`/api/accounts/${id}`).send({ role: 'office' }).expect(200)).body.unitCode).toBeNull();
      const entries = (await trail({ entityId: id })).items;
      const actions = entries.map((e: any) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['account.password_reset', 'account.updated']));
      expect(JSON.stringify(entries)).not.toContain('brand new');
    });

    it('refuses what does not fit, with a code and a message, and to anyone but an admin', async () => {
      const id = await account(t, 'to.refuse');
      await t.http.patch(`/api/accounts/${id}`).send({}).expect(422);
      const noUnit = await t.http.patch(`/api/accounts/${id}`).send({ role: 'unit' }).expect(422);
      expect(noUnit.body.fields).toEqual([{ field: 'unitCode', message: expect.any(String) }]);
      await t.http.patch(`/api/accounts/${id}`).send({ role: 'unit', unitCode: 'NOPE' }).expect(422);
      await t.http.patch(`/api/accounts/${id}`).send({ disabled: 'yes', password: 'short' }).expect(422);
      const nobody = '00000000-0000-4000-8000-000000000000';
      const missing = await t.http.patch(`/api/accounts/${nobody}`).send({ disabled: true }).expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
      await t.http.patch('/api/accounts/not-a-uuid').send({ disabled: true }).expect(404);
      await (await t.as('office')).patch(`/api/accounts/${id}`).send({ disabled: true }).expect(403);
      await t.anon.patch(`/api/accounts/${id}`).send({ disabled: true }).expect(401);
    });

    it('keeps one admin who can sign in', async () => {
      type Account = { id: string; role: string; disabled: boolean };
      const accounts: Account[] = (await t.http.get('/api/accounts').expect(200)).body;
      const [self, ...others] = accounts.filter((a) => a.role === 'admin' && !a.disabled);
      for (const other of others) await t.http.patch(`/api/accounts/${other.id}`).send({ disabled: true }).expect(200);
      const last = await t.http.patch(`/api/accounts/${self.id}`).send({ disabled: true }).expect(409);
      expect(last.body).toMatchObject({ statusCode: 409, error: 'LAST_ADMIN' });
      await t.http.patch(`/api/accounts/${self.id}`).send({ role: 'office' }).expect(409);
      for (const other of others) await t.http.patch(`/api/accounts/${other.id}`).send({ disabled: false }).expect(200);
    });
  });
});

describe('sign-in behind a reverse proxy (DUBAN_TRUST_PROXY)', () => {
  let t: TestApp;
  let proxy: Caller;

  beforeAll(async () => {
    t = await startTestApp({ DUBAN_TRUST_PROXY: 'loopback' });
    proxy = new Caller(await listening(t), '127.0.0.1');
  });
  afterAll(() => t.close());

  it('counts by the address the proxy saw, which a client cannot forge by prepending its own', async () => {
    await account(t, 'proxied');
    const via = (client: string) => ({ 'x-forwarded-for': client });
    for (let i = 0; i < 4; i++) {
      expect(await status(proxy.login('proxied', `guess ${i}`, via('198.51.100.1')))).toBe(401);
    }
    expect(await status(proxy.login('proxied', 'guess 4', via('198.51.100.1')))).toBe(423);
    expect(await status(proxy.login('proxied', RIGHT, via('203.0.113.9, 198.51.100.1')))).toBe(423);
    expect(await status(proxy.login('proxied', RIGHT, via('198.51.100.2')))).toBe(200);
  });
});

describe('the token key of nodes that share a server database', () => {
  it('is required: a node without DUBAN_JWT_SECRET refuses to start, naming it', () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/duban', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/DUBAN_JWT_SECRET must be set with DATABASE_URL/);
  });
});
