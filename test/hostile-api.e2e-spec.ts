import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { signJwt } from '../src/auth/jwt.js';
import { JWT_SECRET } from '../src/auth/token.service.js';
import { fillPath, routeInputs, type RouteInputs } from './support/route-inputs.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z');
const MIN = 60_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** What an attacker types into a filter or an id. */
const PAYLOADS = [
  "' OR 1=1 --",
  "'; DROP TABLE problem; --",
  '1) UNION SELECT id, username, password_hash, NULL FROM account --',
  '%27', // the text "%27": a client that encodes twice
  '＇ OR ＇1＇=＇1', // fullwidth apostrophes
  '’ OR ’’=’', // typographic quotes
  'x\u0000y', // NUL: PostgreSQL cannot hold it in text
  "\\'; SELECT pg_sleep(5); --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
];

/** Signs of a leak in an error: a stack frame, SQL or a driver's message, a password hash. */
const LEAKS = [
  /\n\s+at \S[^\n]*:\d+:\d+/,
  /QueryFailedError|syntax error at or near|invalid byte sequence|SQLSTATE|pg_catalog|violates .* constraint|relation "\w+"/i,
  /\bSELECT\b[\s\S]{0,300}\bFROM\b/i,
  /scrypt\$/,
  /node_modules|\/src\/\w+/,
];

function leaks(text: string): string | null {
  let clean = text;
  // An error may echo the input it refuses: that is not a leak (as JSON, quotes and NUL come escaped).
  for (const p of PAYLOADS)
    for (const form of [p, JSON.stringify(p).slice(1, -1), encodeURIComponent(p)]) clean = clean.split(form).join('');
  const hit = LEAKS.find((re) => re.test(clean));
  return hit ? `${hit}: ${clean.slice(0, 300)}` : null;
}

/** Lists answer an array, `{items}`, `{steps}` (a diagram's counts) or `{count}`: how many came back, or null. */
function size(body: unknown): number | null {
  if (Array.isArray(body)) return body.length;
  const b = body as { items?: unknown[]; steps?: unknown[]; count?: unknown } | null;
  if (b && Array.isArray(b.items)) return b.items.length;
  if (b && Array.isArray(b.steps)) return b.steps.length;
  if (b && typeof b.count === 'number' && Object.keys(b).length === 1) return b.count;
  // An empty map (variables filtered down to none) is nothing too.
  if (b && typeof b === 'object' && Object.keys(b).length === 0) return 0;
  return null;
}

describe('hostile input at the HTTP API', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let routes: RouteInputs[];
  let tablesBefore: string[];
  let countsBefore: Record<string, number>;

  const COUNTED = [
    'problem',
    'account',
    'org_unit',
    'engine_task',
    'engine_instance',
    'evidence_file',
    'supervision_action',
  ];
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of COUNTED) out[table] = (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
    return out;
  };
  const tables = async () =>
    (await t.db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map(
      (r: { table_name: string }) => r.table_name,
    );

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
    ]);
    await seedUnits(t);
    const rows = [
      problemRow(1, { 编号: 'PA-1', 牵头单位: '市环保局', 责任单位: '市城管局' }),
      problemRow(2, { 编号: 'PB-1', 牵头单位: '市水利局', 责任单位: null }),
    ];
    const created = (await importFile(t, await problemSheet(rows))).created as { id: string; code: string }[];
    ids.problemA = created.find((p) => p.code === 'PA-1')!.id;
    ids.problemB = created.find((p) => p.code === 'PB-1')!.id;
    const [task] = await t.db.query(
      `SELECT id, instance_id, definition_id FROM engine_task WHERE business_key = 'PA-1' LIMIT 1`,
    );
    Object.assign(ids, { task: task.id, instance: task.instance_id, definition: task.definition_id });
    ids.deployment = (
      await t.db.query(`SELECT deployment_id FROM engine_definition WHERE id = $1`, [task.definition_id])
    )[0].deployment_id;
    ids.file = (
      await t.http
        .post(`/api/problems/${ids.problemA}/files`)
        .attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' })
        .expect(201)
    ).body.id;
    routes = routeInputs(t.app).routes;
    await t.as('unit', 'HBJ'); // its account exists before the rows are counted
    tablesBefore = await tables();
    countsBefore = await counts();
  });
  afterAll(() => t.close());

  /** A valid value for a path parameter of `route`, so that only the parameter under attack is wrong. */
  function validParam(route: RouteInputs, name: string): string {
    const p = route.path;
    if (name === 'id') {
      if (/^\/api\/problems\/:id/.test(p) || p.startsWith('/api/audit/problems') || p.startsWith('/api/web/problems'))
        return ids.problemA;
      if (/\/tasks?\/:id/.test(p) || p.startsWith('/engine-rest/task')) return ids.task;
      if (p.startsWith('/api/files')) return ids.file;
      if (
        p.startsWith('/engine-rest/process-instance') ||
        p.startsWith('/engine-rest/history/process-instance') ||
        p.startsWith('/api/web/instances')
      )
        return ids.instance;
      if (p.startsWith('/engine-rest/process-definition')) return ids.definition;
      if (p.startsWith('/engine-rest/deployment')) return ids.deployment;
      return randomUUID();
    }
    const named: Record<string, string> = {
      fileId: ids.file,
      year: '2026',
      date: '2026-10-01',
      month: '2026-03',
      code: 'PM25',
      processKey: 'rectification',
      activityId: 'sign',
      key: 'rectification',
      name: 'x',
      lib: 'bpmn-js',
      path: 'bpmn-viewer.development.js',
    };
    return named[name] ?? 'x';
  }

  describe('SQL injection and odd text in every filter and id of every GET route', () => {
    /**
     * The table is what the service has registered (every GET route with an access rule) and what each handler
     * reads from the URL (its query DTO). Each payload goes into one parameter at a time, the others valid. The
     * answer must be 200 with nothing or with what the route answers without that parameter (a filter that
     * matches nothing, or one the route ignores), or a 4xx; never a 5xx, and never a stack, SQL or a hash.
     */
    async function attack(
      agentName: 'admin' | 'unit',
      agent: any,
      only: (r: RouteInputs) => boolean,
      allowed: number[],
    ) {
      const problems: string[] = [];
      let sent = 0;
      for (const route of routes.filter((r) => r.method === 'GET' && only(r))) {
        const base = fillPath(route.path, (n) => validParam(route, n));
        const baselineRes = await agent.get(base);
        let baseline = baselineRes.body;
        const cases: { where: string; url: string }[] = [];
        for (const param of route.pathParams) {
          for (const p of PAYLOADS)
            cases.push({
              where: `:${param}`,
              url: fillPath(route.path, (n) => (n === param ? p : validParam(route, n))),
            });
        }
        for (const param of route.queryParams) {
          for (const p of PAYLOADS)
            cases.push({ where: `?${param}`, url: `${base}?${encodeURIComponent(param)}=${encodeURIComponent(p)}` });
        }
        for (let i = 0; i < cases.length; i += 8) {
          const batch = cases.slice(i, i + 8);
          const answers = await Promise.all(batch.map((c) => agent.get(c.url)));
          sent += batch.length;
          for (const [k, res] of answers.entries()) {
            const c = batch[k];
            const label = `${agentName} GET ${route.path} ${c.where}: ${res.status}`;
            if (!allowed.includes(res.status)) problems.push(`${label} ${(res.text ?? '').slice(0, 200)}`);
            const leak = leaks(res.text ?? '');
            if (leak) problems.push(`${label} leaks ${leak}`);
            if (agentName === 'unit' && [ids.problemB, 'PB-1'].some((x) => (res.text ?? '').includes(x)))
              problems.push(`${label} shows unit B's problem`);
            if (res.status !== 200 || !/json/.test(res.headers['content-type'] ?? '')) continue;
            if (size(res.body) === 0 || isDeepStrictEqual(res.body, baseline)) continue;
            baseline = (await agent.get(base)).body; // the trail grows meanwhile: compare with a fresh answer
            if (!isDeepStrictEqual(res.body, baseline))
              problems.push(
                `${label} answered something other than nothing or the unfiltered answer: ${(res.text ?? '').slice(0, 200)}`,
              );
          }
        }
        if (baselineRes.status >= 500) problems.push(`${agentName} GET ${base} (valid): ${baselineRes.status}`);
      }
      return { problems, sent };
    }

    it('answers an admin 200 with nothing (or the unfiltered answer), or a 4xx; never a 5xx or a leak', async () => {
      const { problems, sent } = await attack('admin', t.http, () => true, [200, 400, 404, 422]);
      expect(problems).toEqual([]);
      expect(sent).toBeGreaterThan(3000);
      // Bounds a hang, not speed: thousands of requests on a shared 2-core machine.
    }, 480_000);

    it('gives a unit account nothing of another unit, whatever it types, and never a 5xx', async () => {
      const unit = await t.as('unit', 'HBJ');
      const { problems } = await attack(
        'unit',
        unit,
        (r) => r.path.startsWith('/api/') && r.rule.allow !== 'public' && r.rule.allow.includes('unit'),
        [200, 400, 403, 404, 422],
      );
      expect(problems).toEqual([]);
      // Its own problem, and nothing of unit B's, wherever it looks.
      const mine = await unit.get('/api/problems').query({ unit: "SLJ' OR '1'='1" }).expect(200);
      expect(mine.body.items.map((p: { code: string }) => p.code)).toEqual(['PA-1']);
    }, 120_000);

    it('refuses injected path ids on the routes that change things, and changes nothing', async () => {
      const problems: string[] = [];
      for (const route of routes.filter((r) => r.method !== 'GET' && r.pathParams.length)) {
        for (const param of route.pathParams) {
          for (const p of PAYLOADS) {
            const url = fillPath(route.path, (n) => (n === param ? p : validParam(route, n)));
            const res = await (t.http as any)[route.method.toLowerCase()](url).send({});
            if (![400, 404, 409, 422].includes(res.status))
              problems.push(
                `${route.method} ${route.path} :${param}=${JSON.stringify(p)}: ${res.status} ${(res.text ?? '').slice(0, 200)}`,
              );
            const leak = leaks(res.text ?? '');
            if (leak) problems.push(`${route.method} ${route.path} :${param} leaks ${leak}`);
          }
        }
      }
      expect(problems).toEqual([]);
    }, 120_000);

    it('still has every table and every row afterwards', async () => {
      expect(await tables()).toEqual(tablesBefore);
      expect(await counts()).toEqual(countsBefore);
      expect((await t.http.get('/api/problems').expect(200)).body.total).toBe(2);
    });

    it('covers every GET route the service has, so a new one is attacked too', () => {
      const { unexplained } = routeInputs(t.app);
      expect(unexplained.filter((r) => !/\/$/.test(r))).toEqual([]);
      const gets = routes.filter((r) => r.method === 'GET');
      expect(gets.length).toBeGreaterThan(60);
      // The list routes the office and the units use have their filters in the table.
      const filters = (path: string) => routes.find((r) => r.method === 'GET' && r.path === path)?.queryParams ?? [];
      expect(filters('/api/problems')).toEqual(expect.arrayContaining(['status', 'unit', 'category', 'q']));
      expect(filters('/api/inbox')).toEqual(expect.arrayContaining(['process', 'problem', 'unit']));
      expect(filters('/api/audit')).toEqual(expect.arrayContaining(['entityId', 'actor', 'action']));
      expect(filters('/api/supervision/actions')).toEqual(expect.arrayContaining(['problemId', 'unit', 'type']));
      expect(filters('/api/public/problems')).toContain('q');
      expect(filters('/api/web/review/:processKey/steps/:activityId/problems')).toContain('unit');
      expect(filters('/engine-rest/task')).toEqual(
        expect.arrayContaining(['processInstanceBusinessKey', 'candidateGroup', 'nameLike', 'sortBy']),
      );
      expect(filters('/engine-rest/process-instance')).toContain('businessKey');
      expect(filters('/engine-rest/history/process-instance')).toContain('processInstanceBusinessKeyLike');
    });
  });

  describe('request bodies', () => {
    const json = (method: 'post' | 'put', url: string, text: string, agent = () => t.http) =>
      (agent() as any)[method](url).set('Content-Type', 'application/json').send(text);
    const unitNames = async () =>
      (await t.http.get('/api/units').expect(200)).body.map((u: { code: string }) => u.code);

    it('answers a body over 1 MB with 413 as JSON, and stores nothing', async () => {
      const before = await unitNames();
      const big = JSON.stringify({ code: 'BIG', name: 'x'.repeat(1_100_000) });
      const api = await json('post', '/api/units', big).expect(413);
      expect(api.headers['content-type']).toMatch(/^application\/json/);
      expect(api.body).toMatchObject({ statusCode: 413 });
      const camunda = await json(
        'post',
        '/engine-rest/message',
        JSON.stringify({ messageName: 'x'.repeat(1_100_000) }),
      ).expect(413);
      expect(camunda.body).toMatchObject({ type: 'InvalidRequestException' });
      await t.anon
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ username: 'x', password: 'y'.repeat(1_100_000) }))
        .expect(413);
      await t.http
        .post('/api/units')
        .type('form')
        .send(`code=BIG&name=${'x'.repeat(1_100_000)}`)
        .expect(413);
      expect(await unitNames()).toEqual(before);
    });

    it('answers malformed JSON with a 400 as JSON naming the problem, never an HTML page', async () => {
      for (const text of [
        '{"code": "X",',
        "{'code': 'X'}",
        '{"code": NaN}',
        '{"code":"X"} trailing',
        '\u00ff\u00fe{',
        'null',
        '"a string"',
        '',
      ]) {
        for (const url of ['/api/units', '/api/auth/login', '/engine-rest/message']) {
          const res = await json('post', url, text);
          if (text === '') {
            expect(res.status).toBeLessThan(500); // an empty body is no body: the fields are missing
            continue;
          }
          expect([400, 422]).toContain(res.status);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.text).not.toMatch(/<html|<pre|<!DOCTYPE/i);
          expect(leaks(res.text)).toBeNull();
        }
      }
      expect(await unitNames()).not.toContain('X');
    });

    it('does not let __proto__ or constructor.prototype in a body change anything for later requests', async () => {
      const pollute = [
        '{"code":"PP1","name":"污染测试一","__proto__":{"isAdmin":true,"role":"admin"}}',
        '{"code":"PP2","name":"污染测试二","constructor":{"prototype":{"isAdmin":true,"role":"admin"}}}',
      ];
      for (const text of pollute) {
        const res = await json('post', '/api/units', text);
        expect([201, 400, 422]).toContain(res.status);
        if (res.status === 201)
          expect(Object.keys(res.body).sort()).toEqual(['code', 'level', 'levelLabel', 'name', 'parentCode']);
      }
      const account = await json(
        'post',
        '/api/accounts',
        JSON.stringify({
          username: 'proto.unit',
          password: 'correct horse battery',
          role: 'unit',
          unitCode: 'HBJ',
        }).replace(/}$/, ',"__proto__":{"role":"admin","unitCode":null}}'),
      );
      expect([201, 422]).toContain(account.status);
      if (account.status === 201) expect(account.body).toMatchObject({ role: 'unit', unitCode: 'HBJ' });
      await json(
        'put',
        '/api/supervision/settings',
        '{"__proto__":{"remindBefore":1},"constructor":{"prototype":{"remindBefore":1}}}',
      );
      await json(
        'post',
        '/engine-rest/message',
        '{"messageName":"nobody-waits","processVariables":{"__proto__":{"value":"x","type":"String"}}}',
      );
      await json(
        'post',
        '/api/auth/login',
        '{"username":"proto.unit","password":"correct horse battery","__proto__":{"role":"admin"}}',
      );
      await t.http.get('/api/problems?__proto__[isAdmin]=true&constructor[prototype][isAdmin]=true');

      // Nothing reached Object.prototype in this process (the service runs in it) …
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).role).toBeUndefined();
      expect(({} as Record<string, unknown>).remindBefore).toBeUndefined();
      // … nor the settings, nor what a unit account may do.
      expect((await t.http.get('/api/supervision/settings').expect(200)).body.remindBefore).toBe(5);
      const unit = await t.as('unit', 'HBJ');
      await unit.get('/api/accounts').expect(403);
      expect((await unit.get('/api/auth/me').expect(200)).body.role).toBe('unit');
      if (account.status === 201) {
        const login = await t.anon
          .post('/api/auth/login')
          .send({ username: 'proto.unit', password: 'correct horse battery' })
          .expect(200);
        expect(login.body.user).toMatchObject({ role: 'unit', unitCode: 'HBJ' });
      }
    });

    it('answers a deeply nested body with 400, on public, signed-in and Camunda routes alike', async () => {
      const arrays = `{"code":"DEEP","name":"n","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const objects = `{"username":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)},"password":"p"}`;
      const variables = `{"messageName":"m","processVariables":${'{"a":{"value":'.repeat(2000)}1${'}}'.repeat(2000)}}`;
      const a = await json('post', '/api/units', arrays).expect(400);
      expect(a.body).toEqual({ statusCode: 400, error: 'BAD_REQUEST', message: '请求内容嵌套超过 64 层' });
      await json('post', '/api/auth/login', objects, () => t.anon).expect(400);
      const c = await json('post', '/engine-rest/message', variables).expect(400);
      expect(c.body).toMatchObject({ type: 'InvalidRequestException', message: '请求内容嵌套超过 64 层' });
      expect(await unitNames()).not.toContain('DEEP');
    });

    it('answers NUL characters in a body or a URL with 400, before they reach the database', async () => {
      const body = await t.http.post('/api/units').send({ code: 'NUL', name: 'a\u0000b' }).expect(400);
      expect(body.body.message).toMatch(/空字符/);
      await t.http
        .post('/api/units')
        .send({ code: 'NUL', name: 'n', ['k\u0000']: 1 })
        .expect(400);
      await t.anon.post('/api/auth/login').send({ username: 'admin\u0000', password: 'x' }).expect(400);
      const url = await t.http.get('/api/problems/%00').expect(400);
      expect(url.body).toEqual({ statusCode: 400, error: 'BAD_REQUEST', message: expect.stringContaining('空字符') });
      await t.http.get('/engine-rest/task?processInstanceBusinessKey=a%00').expect(400);
      expect(await unitNames()).not.toContain('NUL');
    });

    it('takes only JSON (or a form) as a JSON body: another content type is a body with no fields', async () => {
      const before = await unitNames();
      for (const type of ['text/plain', 'application/xml', 'application/x-yaml', 'multipart/form-data; boundary=x']) {
        const res = await t.http.post('/api/units').set('Content-Type', type).send('{"code":"CT","name":"类型"}');
        expect([400, 415, 422]).toContain(res.status);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
      await t.anon
        .post('/api/auth/login')
        .set('Content-Type', 'text/plain')
        .send('{"username":"a","password":"b"}')
        .expect(422);
      expect(await unitNames()).toEqual(before);
    });

    it('refuses fields a route does not know (whitelist, forbidNonWhitelisted), in bodies and query strings', async () => {
      const unit = await t.http.post('/api/units').send({ code: 'WL', name: '白名单', isAdmin: true }).expect(422);
      expect(unit.body.fields).toEqual([{ field: 'isAdmin', message: '不允许的字段' }]);
      await t.http
        .post('/api/accounts')
        .send({
          username: 'wl.user',
          password: 'correct horse battery',
          role: 'unit',
          unitCode: 'HBJ',
          disabled: false,
          role2: 'admin',
        })
        .expect(422);
      await t.http.put('/api/supervision/settings').send({ remindBefore: 5, escalateEverybody: true }).expect(422);
      const query = await t.http
        .get('/api/problems')
        .query({ status: 'rectifying', orderBy: 'password_hash' })
        .expect(422);
      expect(query.body.fields).toEqual([expect.objectContaining({ field: 'orderBy' })]);
      await t.http
        .get('/api/problems')
        .query({ q: ['a', 'b'] })
        .expect(422);
      expect(await unitNames()).not.toContain('WL');
      // /engine-rest refuses them too, in Camunda's shape: a filter it does not implement must not widen a list.
      await t.http.get('/engine-rest/task').query({ tenantIdIn: 'x' }).expect(200);
      const unknown = await t.http.get('/engine-rest/task').query({ isAdmin: 'true' }).expect(400);
      expect(unknown.body).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining("'isAdmin'") });
      await t.http.get('/engine-rest/task').query({ sortBy: 'password_hash' }).expect(400);
    });
  });

  describe('tokens', () => {
    let secret: Buffer;
    let good: string;
    let claims: Record<string, unknown>;
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const sign = (body: string, key: Buffer | string) => createHmac('sha256', key).update(body).digest('base64url');
    const SIGN_IN_FIRST = { statusCode: 401, error: 'Unauthorized', message: '请先登录' };

    beforeAll(async () => {
      secret = t.app.get(JWT_SECRET);
      good = await t.token('office');
      claims = JSON.parse(Buffer.from(good.split('.')[1], 'base64url').toString());
    });

    async function refused(authorization: string, expectedBody: object = SIGN_IN_FIRST) {
      for (const url of ['/api/auth/me', '/api/problems', '/api/accounts']) {
        const res = await t.anon.get(url).set('Authorization', authorization).expect(401);
        expect(res.body).toEqual(expectedBody);
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
      const camunda = await t.anon.get('/engine-rest/task').set('Authorization', authorization).expect(401);
      expect(camunda.body).toEqual({
        type: 'AuthenticationException',
        message: expectedBody === SIGN_IN_FIRST ? '请先登录' : expect.any(String),
      });
    }

    it('refuses a forged, unsigned, wrongly signed, odd or garbled token with the same 401, telling nothing of why', async () => {
      await t.anon.get('/api/auth/me').set('Authorization', `Bearer ${good}`).expect(200);
      const [header, payload, signature] = good.split('.');
      const admin = b64({ ...claims, role: 'admin' });
      const cases = [
        `${header}.${admin}.${signature}`, // role changed, signature kept
        `${b64({ alg: 'none', typ: 'JWT' })}.${admin}.`, // alg: none
        `${b64({ alg: 'none', typ: 'JWT' })}.${admin}.${signature}`,
        `${b64({ alg: 'HS512', typ: 'JWT' })}.${payload}.${signature}`, // another algorithm
        `${b64({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`,
        `${header}.${admin}.${sign(`${header}.${admin}`, 'not the service key, but 32+ characters long')}`, // HS256, wrong key
        `${header}.${admin}.${sign(`${header}.${admin}`, '')}`,
        `${header}.${b64({ ...claims, role: 'superuser' })}.${sign(`${header}.${b64({ ...claims, role: 'superuser' })}`, secret)}`, // no such role
        `${header}.${b64({ ...claims, sub: undefined })}.${sign(`${header}.${b64({ ...claims, sub: undefined })}`, secret)}`, // no subject
        `${header}.${b64({ ...claims, exp: 'never' })}.${sign(`${header}.${b64({ ...claims, exp: 'never' })}`, secret)}`,
        `${header}.${b64('not json')}.${sign(`${header}.${b64('not json')}`, secret)}`,
        `${header}.${payload}`,
        `${header}.${payload}.${signature}.extra`,
        'garbage',
        'a.b.c',
        'null',
        'x'.repeat(8000),
        `${header}.${payload}.${signature}%00`,
      ];
      for (const token of cases) await refused(`Bearer ${token}`);
      // Not a bearer token at all: the raw token, another scheme, an empty one.
      for (const authorization of [
        good,
        `Token ${good}`,
        `JWT ${good}`,
        'Bearer',
        'Bearer ',
        `Bearer  ${good}`,
        `Basic ${good}`,
      ]) {
        const res = await t.anon.get('/api/auth/me').set('Authorization', authorization).expect(401);
        expect(res.body).toEqual(SIGN_IN_FIRST);
      }
      // The scheme's case does not matter (RFC 7235).
      await t.anon.get('/api/auth/me').set('Authorization', `bearer ${good}`).expect(200);
    });

    it('refuses an expired token as expired, and a token from the future (clock set back) as invalid', async () => {
      const now = Math.floor(t.wallClock.now() / 1000);
      const future = signJwt({ ...(claims as any), iat: now + 3600, exp: now + 3600 + 900 }, secret);
      await refused(`Bearer ${future}`);
      const early = signJwt({ ...(claims as any), iat: now, exp: now + 900, nbf: now + 600 } as any, secret);
      await refused(`Bearer ${early}`);
      // Within a minute of skew between nodes it is taken.
      await t.anon
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${signJwt({ ...(claims as any), iat: now + 30, exp: now + 930 }, secret)}`)
        .expect(200);

      // Lifetimes are real time: a day on the service clock ends nothing, 15 minutes of real time do.
      const fresh = await t.token('office');
      t.clock.add(24 * 60 * MIN);
      t.clock.pin(MONDAY);
      await t.anon.get('/api/auth/me').set('Authorization', `Bearer ${fresh}`).expect(200);
      t.wallClock.add(15 * MIN);
      const expired = { statusCode: 401, error: 'Unauthorized', message: '登录已过期，请重新登录' };
      await refused(`Bearer ${fresh}`, expired);
      // The system clock set back (or a node whose clock ran ahead): tokens issued at the later time are refused.
      const later = await t.token('office');
      await t.anon.get('/api/auth/me').set('Authorization', `Bearer ${later}`).expect(200);
      t.wallClock.add(-15 * MIN);
      try {
        await refused(`Bearer ${later}`);
      } finally {
        t.wallClock.add(15 * MIN);
      }
    });

    it('signs a disabled account out at once: sign-in, its bearer tokens on their next call, HTTP Basic', async () => {
      const account = { username: 'soon.gone', password: 'correct horse battery', role: 'office' };
      const created = await t.http.post('/api/accounts').send(account).expect(201);
      const { accessToken } = (
        await t.anon
          .post('/api/auth/login')
          .send({ username: 'soon.gone', password: 'correct horse battery' })
          .expect(200)
      ).body;
      const basic = `Basic ${Buffer.from('soon.gone:correct horse battery').toString('base64')}`;
      await t.anon.get('/engine-rest/engine').set('Authorization', basic).expect(200);
      await t.anon.get('/api/auth/me').set('Authorization', `Bearer ${accessToken}`).expect(200);
      await t.http.patch(`/api/accounts/${created.body.id}`).send({ disabled: true }).expect(200);
      const login = await t.anon
        .post('/api/auth/login')
        .send({ username: 'soon.gone', password: 'correct horse battery' })
        .expect(401);
      expect(login.body).toEqual({ statusCode: 401, error: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
      // The Basic credentials were cached a moment ago: the cache reads the account with the call.
      const refusedBasic = await t.anon.get('/engine-rest/engine').set('Authorization', basic).expect(401);
      expect(refusedBasic.body).toEqual({ type: 'AuthenticationException', message: '请先登录' });
      await refused(`Bearer ${accessToken}`);
    });

    it('answers HTTP Basic with a wrong password, an unknown name or a garbled header with the same 401 challenge', async () => {
      const office = await t.credentials('office');
      const b = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
      for (const authorization of [
        b(`${office.username}:wrong password`),
        b('nobody:whatever'),
        b(`${office.username}`),
        b(`:${office.password}`),
        'Basic !!!not base64',
        'Basic ',
      ]) {
        const res = await t.anon.get('/engine-rest/task').set('Authorization', authorization).expect(401);
        expect(res.body).toEqual({ type: 'AuthenticationException', message: '请先登录' });
        expect(res.headers['www-authenticate']).toBe('Basic realm="duban engine-rest"');
      }
      await t.anon
        .get('/engine-rest/task')
        .set('Authorization', b(`${office.username}:${office.password}`))
        .expect(200);
    });
  });

  describe('headers', () => {
    const EVIL = 'https://evil.example';

    it('sends the security headers on the API, the pages, /engine-rest, errors and files', async () => {
      const office = await t.credentials('office');
      const answers = [
        await t.http.get('/api/problems').expect(200),
        await t.anon.get('/api/problems').expect(401),
        await t.http.get('/api/nope').expect(404),
        await t.anon.get('/login').expect(200),
        await t.anon.get('/health').expect(200),
        await t.anon
          .get('/engine-rest/engine')
          .set('Authorization', `Basic ${Buffer.from(`${office.username}:${office.password}`).toString('base64')}`)
          .expect(200),
        await t.http.get(`/api/files/${ids.file}`).expect(200),
        await t.anon.post('/api/auth/login').send({ username: 'x', password: 'y' }).expect(401),
      ];
      for (const res of answers) {
        // supertest's response carries the request it answered (not in its types).
        const { req } = res as unknown as { req: { method: string; path: string } };
        const where = `${req.method} ${req.path}`;
        expect([where, res.headers['x-content-type-options']]).toEqual([where, 'nosniff']);
        expect([where, res.headers['content-security-policy']]).toEqual([
          where,
          expect.stringMatching(/frame-ancestors '(self|none)'|sandbox/),
        ]);
        expect([where, res.headers['x-frame-options']]).toEqual([where, expect.stringMatching(/^(SAMEORIGIN|DENY)$/)]);
        expect([where, res.headers['referrer-policy']]).toEqual([where, expect.any(String)]);
        expect([where, res.headers['x-powered-by']]).toEqual([where, undefined]);
      }
      // The pages' own policy: scripts from this origin only.
      expect(answers[3].headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(answers[3].headers['content-security-policy']).not.toMatch(/unsafe-eval/);
    });

    it('grants no other origin anything: no CORS headers on a preflight or on a simple request', async () => {
      for (const [url, method] of [
        ['/api/problems', 'GET'],
        ['/api/auth/login', 'POST'],
        ['/engine-rest/task', 'GET'],
        ['/api/problems/import', 'POST'],
      ]) {
        const preflight = await t.anon
          .options(url)
          .set('Origin', EVIL)
          .set('Access-Control-Request-Method', method)
          .set('Access-Control-Request-Headers', 'authorization, content-type');
        expect(preflight.status).not.toBe(204);
        for (const h of [
          'access-control-allow-origin',
          'access-control-allow-credentials',
          'access-control-allow-methods',
          'access-control-allow-headers',
        ]) {
          expect([url, h, preflight.headers[h]]).toEqual([url, h, undefined]);
        }
      }
      for (const origin of [EVIL, 'null', 'http://localhost:3000.evil.example']) {
        const simple = await t.http.get('/api/problems').set('Origin', origin).expect(200);
        expect(simple.headers['access-control-allow-origin']).toBeUndefined();
        expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
        const login = await t.anon.post('/api/auth/login').set('Origin', origin).send({ username: 'x', password: 'y' });
        expect(login.headers['access-control-allow-origin']).toBeUndefined();
      }
    });

    it('keeps static files to their folders, whatever the path says', async () => {
      for (const path of [
        '/assets/../../package.json',
        '/assets/..%2F..%2Fpackage.json',
        '/assets/%2e%2e/%2e%2e/package.json',
        '/vendor/bpmn-js/../../../package.json',
        '/vendor/..%2F..%2F/package.json',
        '/assets/.env',
        '/assets/login.html',
      ]) {
        const res = await t.anon.get(path);
        expect([path, res.status < 500, /"name":\s*"duban"|DUBAN_|<html/i.test(res.text ?? '')]).toEqual([
          path,
          true,
          false,
        ]);
      }
      await t.anon.get('/tasks/<script>alert(1)<%2Fscript>').expect(404);
      await t.anon.get('/problems/..%2F..%2Fpackage.json').expect(404);
    });
  });

  describe('sign-in throttle over HTTP', () => {
    const login = (username: string, password: string) => t.anon.post('/api/auth/login').send({ username, password });

    it('locks a name after 5 failures with 423 and Retry-After; other accounts and the right password elsewhere are not affected', async () => {
      t.clock.pin(MONDAY);
      await t.http
        .post('/api/accounts')
        .send({ username: 'target.office', password: 'correct horse battery', role: 'office' })
        .expect(201);
      await t.http
        .post('/api/accounts')
        .send({ username: 'bystander', password: 'correct horse battery', role: 'leader' })
        .expect(201);
      for (let i = 1; i <= 4; i++) {
        const res = await login('target.office', `guess ${i}`).expect(401);
        expect(res.headers['retry-after']).toBeUndefined();
      }
      const locked = await login('target.office', 'guess 5').expect(423);
      // 15 minutes from the fifth failure, less its delay.
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
      const retryAfterSeconds = Number(locked.headers['retry-after']);
      expect(locked.body).toMatchObject({ statusCode: 423, error: 'LOCKED', retryAfterSeconds });
      // Locked for everyone, the right password included: a lock tells nothing about which password was right.
      const still = await login('target.office', 'correct horse battery').expect(423);
      expect(Number(still.headers['retry-after'])).toBeLessThanOrEqual(900);
      // HTTP Basic counts the same lock.
      await t.anon
        .get('/engine-rest/task')
        .set('Authorization', `Basic ${Buffer.from('target.office:correct horse battery').toString('base64')}`)
        .expect(401);
      // Another account signs in at once, and sees no delay from the other's failures.
      const started = Date.now();
      await login('bystander', 'correct horse battery').expect(200);
      expect(Date.now() - started).toBeLessThan(2000);
      t.wallClock.add(15 * MIN);
      await login('target.office', 'correct horse battery').expect(200);
    }, 60_000);
  });
});
