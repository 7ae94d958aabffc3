import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const DAY = 86_400_000;

describe('pages and their read APIs', () => {
  let t: TestApp;
  const ids: Record<string, { id: string; processInstanceId: string }> = {};
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
    ]);
    await seedUnits(t);
    const rows = [
      problemRow(1, { 整改时限: '2026-03-20' }),
      problemRow(2, { 牵头单位: '市水利局', 类别: '水污染', 责任人: '李四', 整改时限: '2026-04-30' }),
      problemRow(3, { 整改时限: '2026-06-30' }),
    ];
    const res = await importFile(t, await problemSheet(rows));
    for (const p of res.created) ids[p.code] = p;
  });
  afterAll(() => t.close());

  describe('pages', () => {
    it('serves every page as HTML to anyone, with a policy that allows only this origin’s scripts', async () => {
      for (const path of [
        '/login',
        '/inbox',
        '/ledger',
        '/review',
        '/dashboard',
        '/public',
        '/messages',
        '/unit/inbox',
        '/office/problems',
        '/admin/accounts',
        '/leader/review',
        '/tasks/abc',
        `/problems/${ids['TM-00001'].id}`,
      ]) {
        const res = await t.anon.get(path).expect(200);
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
        expect(res.text).toContain('<div id="app">');
      }
      await t.anon.get('/').expect(302).expect('Location', '/login');
      await t.anon.get('/problems/a%20b').expect(404);
      await t.anon.get('/unit/a%20b').expect(404);
      await t.anon.get('/nope').expect(404);
    });

    it('serves the built bundles, nothing else from that folder', async () => {
      const html = (await t.anon.get('/login').expect(200)).text;
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
      expect([script, style]).toEqual([expect.any(String), expect.any(String)]);
      const js = await t.anon.get(script!).expect(200);
      expect(js.headers['content-type']).toContain('javascript');
      expect(js.headers['cache-control']).toContain('immutable');
      await t.anon.get(style!).expect(200).expect('Content-Type', /css/);
      await t.anon.get('/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js').expect(404);
      await t.anon.get('/assets/nope.js').expect(404);
      await t.anon.get('/assets/..%2f..%2fpackage.json').expect(404);
      await t.anon.get('/assets/js/..%2F..%2F..%2F..%2Fpackage.json').expect(404);
      await t.anon.get('/assets/.env').expect(404);
      await t.anon.get('/assets/index.html').expect(404);
    });
  });

  describe('GET /api/web/problems/{id}/diagram', () => {
    it('answers the XML, the activities passed and the current step with its due time', async () => {
      const p = ids['TM-00001'];
      const d = (await t.http.get(`/api/web/problems/${p.id}/diagram`).expect(200)).body;
      expect(d).toMatchObject({
        instanceId: p.processInstanceId,
        processKey: 'rectification',
        businessKey: 'TM-00001',
        status: 'active',
      });
      expect(d.xml).toContain('<bpmn:process id="rectification"');
      expect(d.activities.find((a: any) => a.activityId === 'start')).toMatchObject({ endedAt: expect.any(String) });
      // The step and the chase waiting on it: 09:00 of the working day after the due date.
      expect(d.current).toEqual([
        expect.objectContaining({ activityId: 'sign', kind: 'task', due: '2026-03-05T16:00:00.000Z' }),
        expect.objectContaining({ activityId: 'signOverdue', kind: 'timer', due: '2026-03-06T01:00:00.000Z' }),
      ]);
      const byCode = (await t.http.get('/api/web/problems/TM-00001/diagram').expect(200)).body;
      expect(byCode.instanceId).toBe(p.processInstanceId);
      expect(
        (await t.http.get(`/api/web/instances/${p.processInstanceId}/diagram`).expect(200)).body.current[0].activityId,
      ).toBe('sign');
    });

    it("lets a unit read its own problems' diagrams only; 404 for unknown ones", async () => {
      const hbj = await t.as('unit', 'HBJ');
      await hbj.get(`/api/web/problems/${ids['TM-00001'].id}/diagram`).expect(200);
      await hbj.get(`/api/web/problems/${ids['TM-00002'].id}/diagram`).expect(403);
      await hbj.get(`/api/web/instances/${ids['TM-00001'].processInstanceId}/diagram`).expect(403);
      await t.http.get('/api/web/problems/NOPE-1/diagram').expect(404);
      await t.http.get('/api/web/instances/not-a-uuid/diagram').expect(404);
      await t.anon.get(`/api/web/problems/${ids['TM-00001'].id}/diagram`).expect(401);
    });
  });

  describe('GET /api/web/dashboard', () => {
    it('counts by status and light, ranks the units, lists categories, the trend and the targets', async () => {
      // 市环保局 signs TM-00001; a month later TM-00001 is past its deadline.
      const hbj = await t.as('unit', 'HBJ');
      const task = (await hbj.get('/api/inbox').expect(200)).body.items.find((i: any) => i.problem.code === 'TM-00001');
      await hbj.post(`/api/tasks/${task.id}/complete`).send({}).expect(200);
      t.clock.pin(MONDAY + 30 * DAY);
      const d = (await (await t.as('leader')).get('/api/web/dashboard').expect(200)).body;
      expect(d.today).toBe('2026-04-01');
      expect(d.total).toBe(3);
      expect(d.byStatus.find((s: any) => s.status === 'planning').count).toBe(1);
      expect(d.byStatus.find((s: any) => s.status === 'assigned')).toEqual({
        status: 'assigned',
        label: '已交办',
        count: 2,
      });
      expect(d.byLight.find((l: any) => l.light === 'green').count).toBe(3);
      expect(d.byUnit.map((u: any) => [u.unit, u.rank, u.total, u.due, u.overdue, u.onTimeRate])).toEqual([
        ['SLJ', 1, 1, 0, 0, null],
        ['HBJ', 2, 2, 1, 1, 0],
      ]);
      expect(d.byCategory).toEqual([
        { category: '大气污染', total: 2, closed: 0, overdue: 1 },
        { category: '水污染', total: 1, closed: 0, overdue: 0 },
      ]);
      expect(d.trend).toHaveLength(12);
      expect(d.trend.at(-1)).toEqual({ month: '2026-04', assigned: 0, closed: 0, overdue: 0 });
      expect(d.trend.find((m: any) => m.month === '2026-03')).toEqual({
        month: '2026-03',
        assigned: 3,
        closed: 0,
        overdue: 1,
      });
      expect(d.targets.map((x: any) => `${x.code}${x.direction}${x.target}`)).toEqual([
        'PM10≤83',
        'PM25≤58',
        'GOOD_DAYS≥73.4',
        'WATER_GOOD≥100',
      ]);
      await (await t.as('unit', 'HBJ')).get('/api/web/dashboard').expect(403);
      t.clock.pin(MONDAY);
    });
  });

  describe('GET /api/public/problems', () => {
    it('answers anyone the published fields only: no person, no description, no ids', async () => {
      const res = (await t.anon.get('/api/public/problems').expect(200)).body;
      expect(res).toMatchObject({ total: 3, page: 1, pageSize: 20 });
      expect(res.items[1]).toEqual({
        code: 'TM-00002',
        summary: expect.stringContaining('第2号问题'),
        category: '水污染',
        leadUnit: '市水利局',
        deadline: '2026-04-30',
        status: 'assigned',
        statusLabel: '已交办',
        signedOffOn: null,
      });
      expect(JSON.stringify(res)).not.toMatch(/张三|李四|responsible|person|"id"/);
      const found = (await t.anon.get('/api/public/problems').query({ q: '00003' }).expect(200)).body;
      expect(found.items.map((p: any) => p.code)).toEqual(['TM-00003']);
      expect((await t.anon.get('/api/public/problems').query({ q: '100%_' }).expect(200)).body.total).toBe(0);
      const page2 = (await t.anon.get('/api/public/problems').query({ pageSize: 2, page: 2 }).expect(200)).body;
      expect(page2.items.map((p: any) => p.code)).toEqual(['TM-00003']);
    });

    it('refuses bad paging and unknown parameters with 422', async () => {
      await t.anon.get('/api/public/problems').query({ pageSize: 500 }).expect(422);
      await t.anon.get('/api/public/problems').query({ page: 0 }).expect(422);
      await t.anon.get('/api/public/problems').query({ unit: 'HBJ' }).expect(422);
      await t.anon
        .get('/api/public/problems')
        .query({ q: 'x'.repeat(101) })
        .expect(422);
    });
  });
});
