import { agentWith, startTestApp, type TestApp } from './support/test-app.js';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China

/** What the new pages call: sessions, one 签收, 转办 candidates, problems by hand, organisation, documents, the trail. */
describe('the API the pages use', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await seedUnits(t);
    const rows = [
      problemRow(1, { 责任单位: null }),
      problemRow(2, { 责任单位: null }),
      problemRow(3, { 牵头单位: '市城管局', 责任单位: null }),
    ];
    const res = await importFile(t, await problemSheet(rows));
    for (const p of res.created) ids[p.code] = p.id;
  });
  afterAll(() => t.close());

  /** A unit account with a person, signed in through the sign-in route as the pages do. */
  async function signedIn(username: string, unitCode: string, personName: string) {
    const person = (await t.http.post('/api/persons').send({ name: personName, unitCode, role: 'handler' }).expect(201))
      .body;
    const password = 'pass-word-123456';
    await t.http
      .post('/api/accounts')
      .send({ username, password, role: 'unit', unitCode, personId: person.id })
      .expect(201);
    const login = (await t.anon.post('/api/auth/login').send({ username, password }).expect(200)).body;
    return {
      token: login.accessToken as string,
      login,
      agent: agentWith(t.app.getHttpServer(), () => `Bearer ${login.accessToken}`),
    };
  }

  describe('session', () => {
    it('GET /api/auth/me names the person and the unit and says when the token ends; refresh renews it', async () => {
      const li = await signedIn('li.hbj', 'HBJ', '李明');
      expect(Date.parse(li.login.expiresAt)).toBeGreaterThan(Date.now());
      const me = (await li.agent.get('/api/auth/me').expect(200)).body;
      expect(me).toMatchObject({
        username: 'li.hbj',
        role: 'unit',
        unitCode: 'HBJ',
        unitName: '市环保局',
        personName: '李明',
      });
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
        token = (
          await agentWith(t.app.getHttpServer(), () => `Bearer ${token}`)
            .post('/api/auth/refresh')
            .expect(200)
        ).body.token;
      }
      t.wallClock.pin(start + 12 * 3600_000 + 1000);
      const late = await agentWith(t.app.getHttpServer(), () => `Bearer ${token}`)
        .post('/api/auth/refresh')
        .expect(401);
      expect(late.body).toMatchObject({ error: 'SESSION_TOO_LONG', message: expect.stringContaining('请重新登录') });
      const again = (
        await t.anon.post('/api/auth/login').send({ username: 'wang.hbj', password: 'pass-word-123456' }).expect(200)
      ).body;
      await t.http.patch(`/api/accounts/${id}`).send({ disabled: true }).expect(200);
      await agentWith(t.app.getHttpServer(), () => `Bearer ${again.accessToken}`)
        .post('/api/auth/refresh')
        .expect(401);
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

  describe('problems entered and corrected by hand', () => {
    const entry = {
      code: 'SD-2026-001',
      title: '老城区餐饮油烟直排',
      description: '群众反映强烈',
      category: '大气污染',
      leadUnit: '市环保局',
      coUnits: ['CGJ', '竟陵街道办事处'],
      person: '张三',
      deadline: '2026-09-30',
      goal: '油烟净化设施安装率100%',
      milestones: [
        { title: '完成排查', dueDate: '2026-04-30' },
        { title: '完成安装', dueDate: '2026-08-31' },
      ],
    };

    it('POST /api/problems assigns one problem: units resolved by name or code, process started, trail entry', async () => {
      const office = await t.as('office');
      const p = (await office.post('/api/problems').send(entry).expect(201)).body;
      expect(p).toMatchObject({
        code: 'SD-2026-001',
        leadUnit: 'HBJ',
        responsibleUnits: ['HBJ', 'CGJ', 'JLJD'],
        deadline: '2026-09-30',
        status: 'assigned',
        light: 'green',
      });
      expect(p.milestones.map((m: any) => [m.title, m.dueDate])).toEqual([
        ['完成排查', '2026-04-30'],
        ['完成安装', '2026-08-31'],
      ]);
      expect(p.tasks.map((x: any) => x.activityId)).toEqual(['sign']);
      expect(p.timeline.map((e: any) => e.action)).toContain('problem.created');
      // The lead unit finds it in its inbox.
      const hbj = await t.as('unit', 'HBJ');
      expect((await hbj.get('/api/inbox').query({ problem: 'SD-2026-001' }).expect(200)).body.items).toHaveLength(1);
    });

    it('refuses a bad entry with the field named in Chinese, and stores nothing', async () => {
      const office = await t.as('office');
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ ...entry }, 'code', /已在台账中/],
        [{ ...entry, code: 'SD-2', leadUnit: '市不存在局' }, 'leadUnit', /没有名为或编码为/],
        [{ ...entry, code: 'SD-3', coUnits: ['NOPE'] }, 'coUnits.0', /没有名为或编码为/],
        [{ ...entry, code: 'SD-4', deadline: '2026-02-27' }, 'deadline', /早于今天/],
        [
          { ...entry, code: 'SD-5', milestones: [{ title: '迟到', dueDate: '2026-10-31' }] },
          'milestones.0.dueDate',
          /晚于整改时限/,
        ],
        [{ ...entry, code: 'SD 6 空格' }, 'code', /编号只能/],
        [{ ...entry, code: 'SD-7', deadline: '2026-02-30' }, 'deadline', /日期/],
        [{ ...entry, code: 'SD-8', title: '' }, 'title', /问题名称/],
      ];
      for (const [body, field, message] of cases) {
        const res = await office.post('/api/problems').send(body).expect(422);
        expect([field, res.body.fields]).toEqual([
          field,
          expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]),
        ]);
      }
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM problem WHERE code LIKE 'SD-%' AND code <> 'SD-2026-001'`))[0]
          .n,
      ).toBe(0);
      await (
        await t.as('unit', 'HBJ')
      )
        .post('/api/problems')
        .send({ ...entry, code: 'SD-9' })
        .expect(403);
    });

    it('PATCH /api/problems/{id} corrects fields, and a new deadline moves the due dates and the ladder', async () => {
      const d = supervisionDriver(t);
      await d.settle();
      const before = await d.ladderTimer('SD-2026-001');
      expect(before).toBeTruthy();
      const office = await t.as('office');
      const p = (
        await office
          .patch('/api/problems/SD-2026-001')
          .send({ title: '老城区餐饮油烟直排整治', deadline: '2026-11-30', reason: '专项资金延后到位' })
          .expect(200)
      ).body;
      expect(p).toMatchObject({ title: '老城区餐饮油烟直排整治', deadline: '2026-11-30' });
      await d.settle();
      const after = await d.ladderTimer('SD-2026-001');
      const remindOn = d.addWorkdays('2026-11-30', -5);
      // The ladder's next rung is its reminder, drawn as its own timer: remindBefore working days before the deadline.
      expect(after).toMatchObject({ activity_id: 'tReminder', spec: 'workdays(-5, 2026-11-30)' });
      expect(d.addWorkdays('2026-11-30', -5)).toBe(remindOn);
      expect(new Date(after.expire_at).getTime()).toBeGreaterThan(new Date(before.expire_at).getTime());
      const [vars] = await t.db.query(
        `SELECT variables->>'deadline' AS deadline FROM engine_instance WHERE business_key = 'SD-2026-001' AND definition_key = 'rectification'`,
      );
      expect(vars.deadline).toBe('2026-11-30');
      const updated = p.timeline.find((e: any) => e.action === 'problem.updated');
      expect(updated).toMatchObject({
        before: { title: '老城区餐饮油烟直排', deadline: '2026-09-30' },
        after: { title: '老城区餐饮油烟直排整治', deadline: '2026-11-30' },
      });
      expect(updated.details).toMatchObject({ reason: '专项资金延后到位' });
    });

    it('refuses to move units after 交办, an earlier deadline than an open milestone, or nothing to change', async () => {
      const office = await t.as('office');
      const units = await office.patch('/api/problems/SD-2026-001').send({ leadUnit: 'SLJ' }).expect(422);
      expect(units.body).toMatchObject({ error: 'UNITS_FIXED', message: expect.stringContaining('牵头单位') });
      const early = await office.patch('/api/problems/SD-2026-001').send({ deadline: '2026-07-31' }).expect(422);
      expect(early.body.fields[0]).toMatchObject({ field: 'deadline', message: expect.stringContaining('完成安装') });
      await office.patch('/api/problems/SD-2026-001').send({}).expect(422);
      await office.patch('/api/problems/NOPE-1').send({ title: '无' }).expect(404);
      expect((await t.http.get('/api/problems/SD-2026-001').expect(200)).body.deadline).toBe('2026-11-30');
    });
  });

  describe('organisation and accounts', () => {
    it('renames a unit and moves it in the tree, never under itself', async () => {
      const office = await t.as('office');
      await office.post('/api/units').send({ code: 'HBJ2', name: '市环保局二分局', parentCode: 'HBJ' }).expect(201);
      expect((await office.patch('/api/units/HBJ').send({ name: '市生态环境局' }).expect(200)).body).toMatchObject({
        code: 'HBJ',
        name: '市生态环境局',
        parentCode: 'CITY',
      });
      const loop = await office.patch('/api/units/HBJ').send({ parentCode: 'HBJ2' }).expect(422);
      expect(loop.body.fields[0]).toMatchObject({ field: 'parentCode', message: expect.stringContaining('下级') });
      await office.patch('/api/units/HBJ2').send({ name: '市水利局' }).expect(409);
      await office.patch('/api/units/NOPE').send({ name: '无' }).expect(404);
      await (await t.as('unit', 'HBJ')).patch('/api/units/HBJ').send({ name: '改名' }).expect(403);
      const [audit] = await t.db.query(
        `SELECT before, after FROM audit_entry WHERE action = 'unit.updated' AND entity_id = 'HBJ'`,
      );
      expect(audit).toMatchObject({ before: { name: '市环保局' }, after: { name: '市生态环境局' } });
      await office.patch('/api/units/HBJ').send({ name: '市环保局' }).expect(200);
    });

    it('corrects a person; one whose account belongs to the unit stays in it', async () => {
      const office = await t.as('office');
      const p = (await office.post('/api/persons').send({ name: '钱多', unitCode: 'SLJ', role: 'handler' }).expect(201))
        .body;
      expect(
        (
          await office
            .patch(`/api/persons/${p.id}`)
            .send({ role: 'head', phone: '13800000001', unitCode: 'NYJ' })
            .expect(200)
        ).body,
      ).toMatchObject({ role: 'head', phone: '13800000001', unitCode: 'NYJ' });
      const li = (await office.get('/api/persons').query({ unit: 'HBJ' }).expect(200)).body.find(
        (x: any) => x.name === '李明',
      );
      const moved = await office.patch(`/api/persons/${li.id}`).send({ unitCode: 'SLJ' }).expect(409);
      expect(moved.body).toMatchObject({ error: 'PERSON_HAS_ACCOUNT', message: expect.stringContaining('li.hbj') });
      await office.patch(`/api/persons/${p.id}`).send({ role: 'boss' }).expect(422);
      await office.patch('/api/persons/not-a-uuid').send({ name: '无' }).expect(404);
    });

    it('creates a unit account with a temporary password, resets it, changes role and unit, disables it', async () => {
      const admin = await t.as('admin');
      const created = (
        await admin.post('/api/accounts').send({ username: 'new.slj', role: 'unit', unitCode: 'SLJ' }).expect(201)
      ).body;
      expect(created.temporaryPassword).toMatch(/^[A-Za-z2-9]{16}$/);
      const first = (
        await t.anon
          .post('/api/auth/login')
          .send({ username: 'new.slj', password: created.temporaryPassword })
          .expect(200)
      ).body;
      const reset = (await admin.post(`/api/accounts/${created.id}/reset-password`).expect(200)).body;
      expect(reset.temporaryPassword).not.toBe(created.temporaryPassword);
      // The old password and the token signed in with it stop working.
      await t.anon
        .post('/api/auth/login')
        .send({ username: 'new.slj', password: created.temporaryPassword })
        .expect(401);
      await agentWith(t.app.getHttpServer(), () => `Bearer ${first.accessToken}`)
        .get('/api/auth/me')
        .expect(401);
      await t.anon.post('/api/auth/login').send({ username: 'new.slj', password: reset.temporaryPassword }).expect(200);
      expect(
        (await admin.patch(`/api/accounts/${created.id}`).send({ unitCode: 'NYJ' }).expect(200)).body.unitCode,
      ).toBe('NYJ');
      expect(
        (await admin.patch(`/api/accounts/${created.id}`).send({ role: 'inspector', unitCode: null }).expect(200)).body,
      ).toMatchObject({ role: 'inspector', unitCode: null });
      expect(
        (await admin.patch(`/api/accounts/${created.id}`).send({ disabled: true }).expect(200)).body.disabled,
      ).toBe(true);
      await t.anon.post('/api/auth/login').send({ username: 'new.slj', password: reset.temporaryPassword }).expect(401);
      await admin.post('/api/accounts/00000000-0000-4000-8000-000000000000/reset-password').expect(404);
      await (await t.as('office')).post(`/api/accounts/${created.id}/reset-password`).expect(403);
      const actions = (
        await t.db.query(`SELECT action FROM audit_entry WHERE entity_id = $1 ORDER BY seq`, [created.id])
      ).map((r: any) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining(['account.created', 'account.password_reset', 'account.updated', 'account.disabled']),
      );
    });
  });

  describe('the trail of a problem', () => {
    it('GET /api/web/problems/{id} tells each step with what was submitted, its files, and the person and unit', async () => {
      const login = (
        await t.anon.post('/api/auth/login').send({ username: 'li.hbj', password: 'pass-word-123456' }).expect(200)
      ).body;
      const li = agentWith(t.app.getHttpServer(), () => `Bearer ${login.accessToken}`);
      const [plan] = (await li.get('/api/inbox').query({ problem: 'TM-00001' }).expect(200)).body.items;
      expect(plan).toMatchObject({ formKey: 'plan', assignee: 'li.hbj' });
      const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
      const file = (
        await li
          .post(`/api/problems/${ids['TM-00001']}/files`)
          .field('taskId', plan.id)
          .attach('file', png, { filename: '现场照片.png', contentType: 'image/png' })
          .expect(201)
      ).body;
      const milestones = [{ title: '完成净化设施招标', dueDate: '2026-05-31' }];
      await li
        .post(`/api/tasks/${plan.id}/complete`)
        .send({ summary: '分三批完成油烟净化改造', milestones })
        .expect(200);
      const office = await t.as('office');
      const [review] = (await office.get('/api/inbox').query({ problem: 'TM-00001' }).expect(200)).body.items;
      await office
        .post(`/api/tasks/${review.id}/complete`)
        .send({ planApproved: true, comment: '方案可行，抓紧实施' })
        .expect(200);

      const page = (await (await t.as('unit', 'HBJ')).get('/api/web/problems/TM-00001').expect(200)).body;
      const ended = page.timeline.filter((e: any) => e.action === 'task.ended');
      expect(ended.map((e: any) => [e.label, e.stepName, e.actorPerson, e.actorUnitName])).toEqual([
        ['完成环节', '牵头单位签收', '赵强', '市环保局'],
        ['完成环节', '制定整改方案', '李明', '市环保局'],
        ['完成环节', '办公室审核方案', '督办办公室', '督办办公室'],
      ]);
      expect(ended[0].submitted).toEqual({ note: '已签收，立即部署' });
      expect(ended[1].submitted).toEqual({ summary: '分三批完成油烟净化改造', milestones });
      expect(ended[1].files).toEqual([{ id: file.id, name: '现场照片.png' }]);
      expect(ended[2].submitted).toEqual({ planApproved: true, comment: '方案可行，抓紧实施' });
      const created = page.timeline.find((e: any) => e.action === 'task.created');
      expect(created).toMatchObject({ label: '进入环节', stepName: '牵头单位签收', actorPerson: '系统' });
      // The same answer as the ledger's own route.
      expect((await t.http.get(`/api/problems/${ids['TM-00001']}`).expect(200)).body.timeline).toEqual(page.timeline);
      await (await t.as('unit', 'CGJ')).get('/api/web/problems/TM-00001').expect(403);
    });
  });

  describe('挂图作战', () => {
    it('counts each problem once per step and in the totals, timer waits included, with no timings of the query', async () => {
      const leader = await t.as('leader');
      const rect = (await leader.get('/api/web/review/rectification').expect(200)).body;
      expect(rect.queryMillis).toBeUndefined();
      const open: { activity_id: string; n: number }[] = await t.db.query(
        `SELECT activity_id, count(DISTINCT business_key)::int AS n FROM engine_task WHERE definition_key = 'rectification' GROUP BY activity_id`,
      );
      const byId = Object.fromEntries(rect.steps.map((s: any) => [s.activityId, s]));
      for (const o of open) expect([o.activity_id, byId[o.activity_id].count]).toEqual([o.activity_id, o.n]);
      const [{ problems }] = await t.db.query(
        `SELECT count(DISTINCT business_key)::int AS problems FROM engine_task WHERE definition_key = 'rectification'`,
      );
      expect(rect.totals).toMatchObject({ problems });
      // The ladder waits at a rung's timer for every open problem: each such wait is a step with its count.
      const ladder = (await leader.get('/api/web/review/escalation-ladder').expect(200)).body;
      const waits: { activity_id: string; n: number }[] = await t.db.query(
        `SELECT tm.activity_id, count(DISTINCT i.business_key)::int AS n FROM engine_timer tm JOIN engine_instance i ON i.id = tm.instance_id
          WHERE i.definition_key = 'escalation-ladder' AND i.status = 'active' GROUP BY tm.activity_id`,
      );
      const ladderSteps = Object.fromEntries(ladder.steps.map((s: any) => [s.activityId, s]));
      const drawn = waits.filter((w) => ladderSteps[w.activity_id]);
      expect(drawn.length).toBeGreaterThan(0);
      for (const w of drawn) expect([w.activity_id, ladderSteps[w.activity_id].count]).toEqual([w.activity_id, w.n]);
      expect(ladder.totals.problems).toBeGreaterThanOrEqual(Math.max(...drawn.map((w) => w.n)));
    });
  });
});
