import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { findRule, roleDecision, type AccessRule } from '../src/auth/access-rules.js';
import type { Role } from '../src/auth/auth-user.js';
import { registeredRoutes, routesWithoutRule, type RegisteredRoute } from '../src/auth/route-check.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z');
type Caller = Role | 'anonymous';
const CALLERS: Caller[] = ['anonymous', 'admin', 'office', 'leader', 'inspector', 'unit'];
const UNIT_A = 'HBJ';

/**
 * Every role against every /api route express has, the expectation read from the rule table: 401 without
 * sign-in, 403 where the rule refuses the role (or the resource is not the unit's), and neither where it
 * allows. The unit account is unit A's; the ids in the paths are unit A's problem and its tasks.
 */
describe('access matrix', () => {
  let t: TestApp;
  let routes: RegisteredRoute[];
  const problem = { A: '', B: '', codeB: 'PB-1' };
  const taskOf: Record<string, string> = {};
  /** One open task of unit A per request that may act on it, so no call finds a task another call completed. */
  const spareTasks: string[] = [];

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
      ...Array.from({ length: 60 }, (_, i) =>
        problemRow(100 + i, { 编号: `PS-${i}`, 牵头单位: '市环保局', 责任单位: null }),
      ),
    ];
    const created = (await importFile(t, await problemSheet(rows))).created as { id: string; code: string }[];
    problem.A = created.find((p) => p.code === 'PA-1')!.id;
    problem.B = created.find((p) => p.code === 'PB-1')!.id;
    const tasks: { id: string; business_key: string }[] = await t.db.query(
      `SELECT id, business_key FROM engine_task WHERE activity_id = 'sign' ORDER BY business_key`,
    );
    for (const x of tasks) taskOf[x.business_key] = x.id;
    spareTasks.push(...tasks.filter((x) => x.business_key.startsWith('PS-')).map((x) => x.id));
    routes = registeredRoutes(t.app.getHttpAdapter().getInstance()).filter(
      (r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs'),
    );
  });
  afterAll(() => t.close());

  function pathFor(route: RegisteredRoute, rule: AccessRule): string {
    const resource = rule.scope && 'resource' in rule.scope ? rule.scope : null;
    return route.path.replace(/\*\w+/g, 'x').replace(/:(\w+)/g, (_, name: string) => {
      if (resource && resource.param === name) {
        if (resource.resource === 'problem') return problem.A;
        if (resource.resource === 'task')
          return rule.taskAction && route.method !== 'GET' ? spareTasks.pop()! : taskOf['PA-1'];
        return randomUUID();
      }
      return (
        ({ year: '2026', date: '2026-10-01', month: '2026-03', code: 'PM25' } as Record<string, string>)[name] ??
        randomUUID()
      );
    });
  }

  /** 401, 403, or 'through' (anything else: the guard let the call reach its handler). */
  function expected(rule: AccessRule, caller: Caller, method: string): 401 | 403 | 'through' {
    if (rule.allow === 'public') return 'through';
    if (caller === 'anonymous') return 401;
    const d = roleDecision(rule, caller, method);
    if (d === 'deny') return 403;
    if (d === 'allow') return 'through';
    if (d === 'own-task') return 403; // unit A's tasks are given to HBJ, not to leaders or inspectors
    const scope = rule.scope!;
    if ('unitQuery' in scope) return 'through';
    // Unit A owns problem A and its tasks; ids of other resources (files, …) are made up here.
    return scope.resource === 'problem' || scope.resource === 'task' ? 'through' : 403;
  }

  it('has a rule for every route', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routesWithoutRule(registeredRoutes(t.app.getHttpAdapter().getInstance()))).toEqual([]);
  });

  it('answers every role on every /api route as the rule table says', async () => {
    const agents = {
      anonymous: t.anon,
      admin: t.http,
      office: await t.as('office'),
      leader: await t.as('leader'),
      inspector: await t.as('inspector'),
      unit: await t.as('unit', UNIT_A),
    };
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const rule = findRule(route.method, route.path)!;
      for (const caller of CALLERS) {
        const url = pathFor(route, rule);
        const agent = agents[caller] as any;
        let req = agent[route.method.toLowerCase()](url);
        if (route.method !== 'GET' && route.method !== 'DELETE') req = req.send({});
        const res = await req;
        const want = expected(rule, caller, route.method);
        const got = res.status === 401 || res.status === 403 ? res.status : 'through';
        checked++;
        if (got !== want)
          mismatches.push(
            `${caller} ${route.method} ${url}: expected ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
        if (got === 401 || got === 403) {
          expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(routes.length * CALLERS.length);
  }, 300_000);

  describe('unit accounts are kept to their own unit', () => {
    it("refuses unit B's problem and task to unit A, by id and by code, with no data", async () => {
      const unitA = await t.as('unit', UNIT_A);
      const urls = [`/api/problems/${problem.B}`, `/api/problems/${problem.codeB}`, `/api/audit/problems/${problem.B}`];
      if (routes.some((r) => r.path === '/api/problems/:id/files')) urls.push(`/api/problems/${problem.B}/files`);
      for (const url of urls) {
        const res = await unitA.get(url).expect(403);
        expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: '当前账号无权进行此操作' });
      }
      if (routes.some((r) => r.path === '/api/tasks/:id')) {
        const res = await unitA.get(`/api/tasks/${taskOf['PB-1']}`).expect(403);
        expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: '当前账号无权进行此操作' });
        await unitA.post(`/api/tasks/${taskOf['PB-1']}/complete`).send({}).expect(403);
      }
      await unitA.get(`/engine-rest/task/${taskOf['PB-1']}`).expect(403);
      // Its own problem, by id and by code.
      expect((await unitA.get(`/api/problems/${problem.A}`).expect(200)).body.code).toBe('PA-1');
      await unitA.get('/api/problems/PA-1').expect(200);
    });

    it('lists only its own problems, whatever unit the filter names', async () => {
      const unitA = await t.as('unit', UNIT_A);
      const res = await unitA.get('/api/problems').query({ unit: 'SLJ', pageSize: 200 }).expect(200);
      expect(res.body.total).toBe(61);
      expect(
        res.body.items.every(
          (p: { leadUnit: string; responsibleUnits: string[] }) =>
            p.leadUnit === UNIT_A || p.responsibleUnits.includes(UNIT_A),
        ),
      ).toBe(true);
      const shared = await (await t.as('unit', 'CGJ')).get('/api/problems').expect(200);
      expect(shared.body.items.map((p: { code: string }) => p.code)).toEqual(['PA-1']);
    });

    it('lets leaders read everything but not act on tasks that are not theirs', async () => {
      const leader = await t.as('leader');
      await leader.get(`/api/problems/${problem.B}`).expect(200);
      await leader.post('/api/problems/import').expect(403);
      if (routes.some((r) => r.path === '/api/tasks/:id/complete'))
        await leader.post(`/api/tasks/${taskOf['PB-1']}/complete`).send({}).expect(403);
    });
  });

  describe('/engine-rest', () => {
    const basic = (u: { username: string; password: string }) =>
      `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

    it('takes HTTP Basic for the office, refuses units in Camunda form, and challenges the anonymous', async () => {
      const office = await t.credentials('office');
      const list = await t.anon.get('/engine-rest/task').set('Authorization', basic(office)).expect(200);
      expect(list.body.length).toBeGreaterThan(0);
      const unit = await t.credentials('unit', UNIT_A);
      const refused = await t.anon.get('/engine-rest/task').set('Authorization', basic(unit)).expect(403);
      expect(refused.body).toEqual({ type: 'AuthorizationException', message: '当前账号无权进行此操作' });
      await t.anon
        .get('/engine-rest/task')
        .set('Authorization', `Bearer ${await t.token('unit', UNIT_A)}`)
        .expect(403);
      const anon = await t.anon.get('/engine-rest/task').expect(401);
      expect(anon.body).toEqual({ type: 'AuthenticationException', message: '请先登录' });
      expect(anon.headers['www-authenticate']).toBe('Basic realm="duban engine-rest"');
      await t.anon
        .get('/engine-rest/task')
        .set('Authorization', basic({ username: office.username, password: 'wrong password' }))
        .expect(401);
      await t.anon
        .post(`/engine-rest/task/${taskOf['PB-1']}/complete`)
        .set('Authorization', basic(unit))
        .send({})
        .expect(403);
    });
  });

  it('keeps the controlled clock to admins, and /health and the API documentation public', async () => {
    await (await t.as('office')).post('/api/admin/clock/add').send({ offsetMilli: 1 }).expect(403);
    await t.http.get('/api/admin/clock').expect(200);
    await t.anon.get('/health').expect(200);
    await t.anon.get('/api/docs-json').expect(200);
  });
});
