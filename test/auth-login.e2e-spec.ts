import { createHmac } from 'node:crypto';
import { runCli } from '../src/cli/commands.js';
import { DemoAccounts } from '../src/auth/demo-accounts.js';
import { emptyDir, freshDatabaseEnv, realServers, startTestApp, type TestApp } from './support/test-app.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('accounts and sign-in', () => {
  let t: TestApp;
  const login = (username: string, password: string) => t.anon.post('/api/auth/login').send({ username, password });

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.http.post('/api/units').send({ code: 'CITY', name: '天门市' }).expect(201);
    await t.http.post('/api/units').send({ code: 'HBJ', name: '市环保局', parentCode: 'CITY' }).expect(201);
  });
  afterAll(() => t.close());

  describe('creating accounts', () => {
    it('lets an admin create accounts, naming a bad field, an unknown unit or a taken name', async () => {
      const created = await t.http
        .post('/api/accounts')
        .send({ username: 'zhang.office', password: 'correct horse battery', role: 'office' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        username: 'zhang.office',
        role: 'office',
        unitCode: null,
        personId: null,
        personName: null,
        disabled: false,
        createdAt: expect.any(String),
      });
      expect(JSON.stringify(created.body)).not.toContain('horse');
      await t.http
        .post('/api/accounts')
        .send({ username: 'zhang.office', password: 'another long one', role: 'office' })
        .expect(409);
      const noUnit = await t.http
        .post('/api/accounts')
        .send({ username: 'hbj', password: 'correct horse battery', role: 'unit' })
        .expect(422);
      expect(noUnit.body.fields).toEqual([{ field: 'unitCode', message: expect.stringContaining('单位') }]);
      const unknown = await t.http
        .post('/api/accounts')
        .send({ username: 'hbj', password: 'correct horse battery', role: 'unit', unitCode: 'NOPE' })
        .expect(422);
      expect(unknown.body.message).toContain('NOPE');
      const weak = await t.http
        .post('/api/accounts')
        .send({ username: 'hbj', password: 'short', role: 'boss' })
        .expect(422);
      expect(weak.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['password', 'role']);
      await t.http
        .post('/api/accounts')
        .send({ username: 'hbj', password: 'correct horse battery', role: 'unit', unitCode: 'HBJ' })
        .expect(201);
    });

    it('refuses account creation to anyone but an admin', async () => {
      const office = await t.as('office');
      const res = await office
        .post('/api/accounts')
        .send({ username: 'sneaky', password: 'correct horse battery', role: 'admin' })
        .expect(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
      await t.anon
        .post('/api/accounts')
        .send({ username: 'sneaky', password: 'correct horse battery', role: 'admin' })
        .expect(401);
    });
  });

  describe('signing in', () => {
    it('answers a token that the service accepts, and who is signed in', async () => {
      const res = await login('hbj', 'correct horse battery').expect(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        expiresIn: 900,
        expiresAt: expect.any(String),
        user: {
          accountId: expect.any(String),
          username: 'hbj',
          role: 'unit',
          unitCode: 'HBJ',
          personId: null,
          personName: null,
        },
      });
      const me = await t.anon.get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
      expect(me.body).toEqual({ ...res.body.user, unitName: expect.any(String), expiresAt: res.body.expiresAt });
    });

    it('gives the same answer for a wrong password and an unknown name, at a comparable cost', async () => {
      let started = Date.now();
      const wrong = await login('zhang.office', 'wrong password!').expect(401);
      const wrongMs = Date.now() - started;
      started = Date.now();
      const unknown = await login('nobody-here', 'wrong password!').expect(401);
      const unknownMs = Date.now() - started;
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body).toEqual({ statusCode: 401, error: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
      // Both pay the scrypt hash and the first failure's delay (100 ms).
      expect(wrongMs).toBeGreaterThanOrEqual(100);
      expect(unknownMs).toBeGreaterThanOrEqual(100);
      expect(unknownMs).toBeGreaterThan(wrongMs / 3);
      await login('zhang.office', 'correct horse battery').expect(200); // resets the series
    });

    it('slows down repeated failures and locks the name for 15 minutes after 5 in a row', async () => {
      await t.http
        .post('/api/accounts')
        .send({ username: 'li.leader', password: 'correct horse battery', role: 'leader' })
        .expect(201);
      const times: number[] = [];
      for (let i = 1; i <= 4; i++) {
        const started = Date.now();
        await login('li.leader', `guess ${i} is wrong`).expect(401);
        times.push(Date.now() - started);
      }
      expect(times[3]).toBeGreaterThanOrEqual(800);
      expect(times[3]).toBeGreaterThan(times[0]);
      const locked = await login('li.leader', 'guess 5 is wrong').expect(423);
      expect(locked.body).toMatchObject({ statusCode: 423, error: 'LOCKED', lockedUntil: expect.any(String) });
      // 15 minutes of real time from the fifth failure (answered after its delay).
      const until = Date.parse(locked.body.lockedUntil);
      expect(until - t.wallClock.now()).toBeGreaterThan(14 * MIN);
      expect(until - t.wallClock.now()).toBeLessThanOrEqual(15 * MIN);
      expect(locked.body.retryAfterSeconds).toBe(Math.ceil((until - t.wallClock.now()) / 1000));
      // Locked: even the right password is refused until the time is up; moving the service clock changes nothing.
      await login('li.leader', 'correct horse battery').expect(423);
      t.clock.add(DAY);
      await login('li.leader', 'correct horse battery').expect(423);
      t.clock.pin(MONDAY);
      t.wallClock.add(14 * MIN);
      const lastMinute = await login('li.leader', 'correct horse battery').expect(423);
      expect(lastMinute.body.retryAfterSeconds).toBeLessThanOrEqual(60);
      t.wallClock.add(MIN);
      await login('li.leader', 'correct horse battery').expect(200);
    });

    it('locks an unknown name the same way, so a lock tells nothing about which names exist', async () => {
      for (let i = 1; i <= 4; i++) await login('ghost', `guess ${i}`).expect(401);
      await login('ghost', 'guess 5').expect(423);
    });

    it('refuses an expired, a tampered and a foreign token with 401', async () => {
      const { accessToken } = (await login('zhang.office', 'correct horse battery').expect(200)).body;
      const me = (token: string) => t.anon.get('/api/auth/me').set('Authorization', `Bearer ${token}`);
      await me(accessToken).expect(200);

      const [header, payload] = accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${accessToken.split('.')[2]}`;
      const tampered = await me(forged).expect(401);
      expect(tampered.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: '请先登录' });
      const body = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}`;
      await me(`${body}.${createHmac('sha256', 'not the key').update(body).digest('base64url')}`).expect(401);
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await me(`${none}.${payload}.`).expect(401);
      await me('garbage').expect(401);

      // Expiry is real time: moving the service clock a day signs nobody out.
      t.clock.add(DAY);
      await me(accessToken).expect(200);
      t.clock.pin(MONDAY);
      t.wallClock.add(15 * MIN);
      const expired = await me(accessToken).expect(401);
      expect(expired.body.message).toBe('登录已过期，请重新登录');
      expect(expired.headers['www-authenticate']).toBe('Bearer');
    });

    it('takes HTTP Basic only at /engine-rest', async () => {
      const basic = `Basic ${Buffer.from('zhang.office:correct horse battery').toString('base64')}`;
      await t.anon.get('/engine-rest/engine').set('Authorization', basic).expect(200);
      await t.anon.get('/api/auth/me').set('Authorization', basic).expect(401);
    });
  });

  describe('service headers', () => {
    it('sends security headers and no CORS grant', async () => {
      const res = await t.anon.get('/health').set('Origin', 'https://evil.example').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBeDefined();
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('the operator CLI', () => {
  it(
    'creates an account that can sign in, and names bad arguments (exit 2)',
    async () => {
      // The CLI and the service use one database: a directory for the embedded one, a database on the real server.
      const db = realServers
        ? await freshDatabaseEnv()
        : { env: { DUBAN_DATA_DIR: emptyDir() }, drop: async () => undefined };
      const env = { NODE_ENV: 'test', ...db.env };
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
      try {
        expect(
          await runCli(
            ['user:create', '--username', 'wang.office', '--password', 'correct horse battery', '--role', 'office'],
            io,
            env,
          ),
        ).toBe(0);
        expect(out.join('\n')).toMatch(/^created account wang\.office \(office\) id [0-9a-f-]{36}$/);

        expect(await runCli(['user:create', '--username', 'x', '--role', 'office'], io, env)).toBe(2);
        expect(err.pop()).toMatch(/^error: --password is required\n\nusage: npm run cli/);
        expect(
          await runCli(
            [
              'user:create',
              '--username',
              'hbj',
              '--password',
              'correct horse battery',
              '--role',
              'unit',
              '--unit',
              'NOPE',
            ],
            io,
            env,
          ),
        ).toBe(2);
        expect(err.pop()).toBe('error: unitCode：没有编码为 NOPE 的单位');
        expect(
          await runCli(
            ['user:create', '--username', 'wang.office', '--password', 'correct horse battery', '--role', 'office'],
            io,
            env,
          ),
        ).toBe(2);
        expect(err.pop()).toBe('error: 账号 wang.office 已存在');
        expect(await runCli(['user:delete'], io, env)).toBe(2);
        expect(err.pop()).toMatch(/^error: unknown command "user:delete"/);
        const zhao = ['--username', 'zhao.office', '--password', 'correct horse battery', '--role', 'office'];
        expect(await runCli(['user:create', ...zhao], io, env)).toBe(0);
        expect(await runCli(['user:disable', '--username', 'zhao.office'], io, env)).toBe(0);
        expect(out.pop()).toMatch(/^disabled account zhao\.office \(office\) id [0-9a-f-]{36}$/);
        expect(await runCli(['user:disable'], io, env)).toBe(2);
        expect(err.pop()).toMatch(/^error: --username is required/);
        expect(await runCli(['user:enable', '--username', 'nobody.here'], io, env)).toBe(2);
        expect(err.pop()).toBe('error: 没有名为 nobody.here 的账号');

        const t = await startTestApp(db.env, db);
        try {
          const res = await t.anon
            .post('/api/auth/login')
            .send({ username: 'wang.office', password: 'correct horse battery' })
            .expect(200);
          expect(res.body.user).toMatchObject({ username: 'wang.office', role: 'office' });
          const trail = (await t.http.get('/api/audit').query({ action: 'account.created' }).expect(200)).body.items;
          expect(trail.find((e: { after: { username: string } }) => e.after.username === 'wang.office')).toMatchObject({
            actor: 'system',
            actorName: 'cli',
          });
          // Disabled at the CLI: refused like a wrong password, and the change is in the trail.
          const zhaoSignIn = { username: 'zhao.office', password: 'correct horse battery' };
          await t.anon.post('/api/auth/login').send(zhaoSignIn).expect(401);
          const disabled = (await t.http.get('/api/audit').query({ action: 'account.disabled' }).expect(200)).body
            .items;
          const change = { actor: 'system', actorName: 'cli', before: { disabled: false }, after: { disabled: true } };
          expect(disabled).toEqual([expect.objectContaining(change)]);
        } finally {
          await t.close();
        }
        expect(await runCli(['user:enable', '--username', 'zhao.office'], io, env)).toBe(0);
        expect(out.pop()).toMatch(/^enabled account zhao\.office \(office\) id /);
      } finally {
        await db.drop();
      }
    },
    3 * MIN,
  );
});

describe('demo accounts on first start', () => {
  it('creates one account per role with random passwords, printed once, only while there is no account', async () => {
    const t = await startTestApp({ NODE_ENV: 'development' });
    try {
      // startTestApp signed in an admin already; the check is on an empty table, so start from one.
      await t.db.query(`DELETE FROM account`);
      let printed = '';
      const demo = t.app.get(DemoAccounts);
      const created = await demo.createIfNone((text) => (printed += text));
      // Where the demo's units form levels (湖北省整改办 → 天门市, the embedded demo): the city's office and the
      // province's, each scoped to its subtree; on a ledger without levels, one office that sees everything.
      const levels = (await t.db.query(`SELECT 1 FROM org_unit WHERE code = 'HBS' AND level = 'province'`)).length > 0;
      const offices: [string, string, string | null][] = levels
        ? [
            ['office', 'office', 'CITY'],
            ['office-province', 'office', 'HBS'],
          ]
        : [['office', 'office', null]];
      expect(created.map((c) => [c.username, c.role, c.unitCode])).toEqual([
        ['admin', 'admin', null],
        ...offices,
        ['leader', 'leader', null],
        ['inspector', 'inspector', null],
        ['unit-hbj', 'unit', 'HBJ'],
      ]);
      expect(new Set(created.map((c) => c.password)).size).toBe(created.length);
      for (const c of created) expect(printed).toContain(`${c.username.padEnd(14)} ${c.password}`);
      expect(printed).toContain('demo accounts');
      // The unit account's unit exists: the demo's own environment bureau, or one made for it on an empty ledger.
      // (The helper's admin went with the table: its tokens no longer work.)
      await t.http.get('/api/units').expect(401);
      const signedIn = await t.anon.post('/api/auth/login').send({ username: 'admin', password: created[0].password });
      const units = await t.anon.get('/api/units').set('Authorization', `Bearer ${signedIn.body.accessToken}`);
      const hbj = expect.objectContaining({ code: 'HBJ', parentCode: 'CITY' });
      expect(units.body).toEqual(expect.arrayContaining([hbj]));
      await t.anon.post('/api/auth/login').send({ username: 'office', password: created[1].password }).expect(200);
      expect(await demo.createIfNone(() => undefined)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
