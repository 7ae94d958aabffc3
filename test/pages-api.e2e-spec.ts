import { readFileSync } from 'node:fs';
import { agentWith, startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, upload } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China

/** What the new pages call: sessions, one 签收, 转办 candidates, problems by hand, organisation, documents, the trail. */
describe('the API the pages use', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
      { resource: 'extension.bpmn', content: readFileSync('processes/extension.bpmn') },
    ]);
    await seedUnits(t);
    const rows = [problemRow(1, { 责任单位: null }), problemRow(2, { 责任单位: null }), problemRow(3, { 牵头单位: '市城管局', 责任单位: null })];
    const res = await upload(t, await problemSheet(rows)).expect(201);
    for (const p of res.body.created) ids[p.code] = p.id;
  });
  afterAll(() => t.close());

  /** A unit account with a person, signed in through the sign-in route as the pages do. */
  async function signedIn(username: string, unitCode: string, personName: string) {
    const person = (await t.http.post('/api/persons').send({ name: personName, unitCode, role: 'handler' }).expect(201)).body;
    const password = 'pass-word-123456';
    await t.http.post('/api/accounts').send({ username, password, role: 'unit', unitCode, personId: person.id }).expect(201);
    const login = (await t.anon.post('/api/auth/login').send({ username, password }).expect(200)).body;
    return { token: login.accessToken as string, login, agent: agentWith(t.app.getHttpServer(), () => `Bearer ${login.accessToken}`) };
  }

  describe('session', () => {
    it('GET /api/auth/me names the person and the unit and says when the token ends; refresh renews it', async () => {
      const li = await signedIn('li.hbj', 'HBJ', '李明');
      expect(Date.parse(li.login.expiresAt)).toBeGreaterThan(Date.now());
      const me = (await li.agent.get('/api/auth/me').expect(200)).body;
      expect(me).toMatchObject({ username: 'li.hbj', role: 'unit', unitCode: 'HBJ', unitName: '市环保局', personName: '李明' });
      expect(me.expiresAt).toBe(li.login.expiresAt);

      // A quarter of an hour of work later, the page renews the session before it ends.
      t.wallClock.pin(t.wallClock.now() + 10 * 60_000);
      const renewed = (await li.agent.post('/api/auth/refresh').expect(200)).body;
      expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(li.login.expiresAt));
      t.wallClock.pin(t.wallClock.now() + 10 * 60_000);
      // The old token has ended; the renewed one works.
      await li.agent.get('/api/auth/me').expect(401);
      const fresh = agentWith(t.app.getHttpServer(), () => `Bearer ${renewed.token}`);
      expect((await fresh.get('/api/auth/me').expect(200)).body.personName).toBe('李明');
    });

    it('refuses to renew without a token, for a disabled account, or a working day after sign-in', async () => {
      await t.anon.post('/api/auth/refresh').expect(401);
      const wang = await signedIn('wang.hbj', 'HBJ', '王芳');
      const id = (await t.http.get('/api/accounts').expect(200)).body.find((a: any) => a.username === 'wang.hbj').id;
      // Renewed every ten minutes, the session still ends 12 hours after sign-in: the person signs in again.
      let token = wang.token;
      const start = t.wallClock.now();
      for (let at = start + 10 * 60_000; at < start + 12 * 3600_000; at += 10 * 60_000) {
        t.wallClock.pin(at);
        token = (await agentWith(t.app.getHttpServer(), () => `Bearer ${token}`).post('/api/auth/refresh').expect(200)).body.token;
      }
      t.wallClock.pin(start + 12 * 3600_000 + 1000);
      const late = await agentWith(t.app.getHttpServer(), () => `Bearer ${token}`).post('/api/auth/refresh').expect(401);
      expect(late.body).toMatchObject({ error: 'SESSION_TOO_LONG', message: expect.stringContaining('请重新登录') });
      const again = (await t.anon.post('/api/auth/login').send({ username: 'wang.hbj', password: 'pass-word-123456' }).expect(200)).body;
      await t.http.patch(`/api/accounts/${id}`).send({ disabled: true }).expect(200);
      await agentWith(t.app.getHttpServer(), () => `Bearer ${again.accessToken}`).post('/api/auth/refresh').expect(401);
    });
  });

  describe('one 签收 and 转办', () => {
    it('completing an unclaimed task signs for it in the same call; the history names who did', async () => {
      const zhao = await signedIn('zhao.hbj', 'HBJ', '赵强');
      const task = (await zhao.agent.get('/api/inbox').query({ problem: 'TM-00001' }).expect(200)).body.items[0];
      expect(task).toMatchObject({ formKey: 'sign', assignee: null });
      await zhao.agent.post(`/api/tasks/${task.id}/complete`).send({ note: '已签收，立即部署' }).expect(200);
      const [h] = await t.db.query(`SELECT assignee FROM engine_history WHERE task_id = $1`, [task.id]);
      expect(h.assignee).toBe('zhao.hbj');
      // The next step is the plan, not a second 签收.
      const next = (await zhao.agent.get('/api/inbox').query({ problem: 'TM-00001' }).expect(200)).body.items;
      expect(next.map((i: any) => i.formKey)).toEqual(['plan']);
    });

    it('a task signed for by a colleague is theirs: completing it is refused and nothing changes', async () => {
      const sun = await signedIn('sun.hbj', 'HBJ', '孙丽');
      const zhou = await signedIn('zhou.hbj', 'HBJ', '周杰');
      const task = (await sun.agent.get('/api/inbox').query({ problem: 'TM-00002' }).expect(200)).body.items[0];
      await sun.agent.post(`/api/tasks/${task.id}/claim`).expect(200);
      const res = await zhou.agent.post(`/api/tasks/${task.id}/complete`).send({});
      expect(res.status).toBe(403);
      expect((await t.http.get(`/api/tasks/${task.id}`).expect(200)).body.assignee).toBe('sun.hbj');
    });

    it('lists the colleagues of the same unit a task can be handed over to', async () => {
      const hbj = await t.as('unit', 'HBJ');
      const task = (await hbj.get('/api/inbox').query({ problem: 'TM-00001' }).expect(200)).body.items[0];
      const list = (await hbj.get(`/api/tasks/${task.id}/handover-candidates`).expect(200)).body;
      const names = list.map((c: any) => c.name);
      expect(names).toEqual(expect.arrayContaining(['李明', '赵强']));
      // Not the disabled account, and no one of another unit.
      expect(names).not.toContain('王芳');
      expect(list.every((c: any) => c.unitCode === 'HBJ' && c.unitName === '市环保局')).toBe(true);
      const li = list.find((c: any) => c.name === '李明');
      await hbj.post(`/api/tasks/${task.id}/handover`).send({ to: li.username }).expect(200);
      // Another unit cannot ask who works on this unit's task.
      const cgj = await t.as('unit', 'CGJ');
      await cgj.get(`/api/tasks/${task.id}/handover-candidates`).expect(403);
    });
  });
});
