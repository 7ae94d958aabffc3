import { readFileSync } from 'node:fs';
import { ActionsRepository } from '../src/supervision/actions/actions.repository.js';
import { agentWith, startTestApp, type TestApp } from './support/test-app.js';
import { importFile, problemRow, problemSheet, seedUnits } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z');

/** 已办 and 抄送: the inbox's other two views, read from the engine's history and the documents issued. */
describe('the inbox views 已办 and 抄送', () => {
  let t: TestApp;
  let hbj: ReturnType<typeof agentWith>;
  let cgj: ReturnType<typeof agentWith>;
  let slj: ReturnType<typeof agentWith>;
  let problemId: string;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
      { resource: 'extension.bpmn', content: readFileSync('processes/extension.bpmn') },
    ]);
    await seedUnits(t);
    const res = await importFile(t, await problemSheet([problemRow(1, { 责任单位: '市城管局' })]));
    problemId = res.created.find((p: any) => p.code === 'TM-00001').id;
    const server = t.app.getHttpServer();
    const [a, b, c] = await Promise.all([t.token('unit', 'HBJ'), t.token('unit', 'CGJ'), t.token('unit', 'SLJ')]);
    hbj = agentWith(server, () => `Bearer ${a}`);
    cgj = agentWith(server, () => `Bearer ${b}`);
    slj = agentWith(server, () => `Bearer ${c}`);
  });
  afterAll(() => t.close());

  it('已办: the steps the unit completed, newest first, with when, by whom and what was submitted', async () => {
    expect((await hbj.get('/api/inbox?view=done').expect(200)).body).toMatchObject({ view: 'done', total: 0 });
    const [sign] = (await hbj.get('/api/inbox').expect(200)).body.items;
    await hbj.post(`/api/tasks/${sign.id}/complete`).send({ note: '已收到' }).expect(200);
    t.clock.pin(MONDAY + 3_600_000);
    const [plan] = (await hbj.get('/api/inbox').expect(200)).body.items;
    expect(plan.step).toBe('plan');
    await hbj
      .post(`/api/tasks/${plan.id}/complete`)
      .send({ summary: '倒排工期', milestones: [{ title: '完成改造', dueDate: '2026-06-30' }] })
      .expect(200);

    const done = (await hbj.get('/api/inbox?view=done').expect(200)).body;
    expect(done).toMatchObject({ view: 'done', total: 2, page: 1 });
    expect(done.items.map((i: any) => i.id)).toEqual([plan.id, sign.id]);
    const [p, s] = done.items;
    expect(p).toMatchObject({
      name: plan.name,
      step: 'plan',
      process: 'rectification',
      completedAt: new Date(MONDAY + 3_600_000).toISOString(),
      completedBy: { unitCode: 'HBJ', unitName: '市环保局' },
      submitted: { summary: '倒排工期', milestones: [{ title: '完成改造', dueDate: '2026-06-30' }] },
      problem: { id: problemId, code: 'TM-00001' },
    });
    expect(p.submitted).not.toHaveProperty('completedBy');
    expect(s).toMatchObject({ step: 'sign', submitted: { note: '已收到' } });

    // Paging, bounded.
    const second = (await hbj.get('/api/inbox?view=done&page=2&pageSize=1').expect(200)).body;
    expect(second).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(second.items.map((i: any) => i.id)).toEqual([sign.id]);
    const tooMany = await hbj.get('/api/inbox?view=done&pageSize=201').expect(422);
    expect(tooMany.body.message).toMatch(/[\u4e00-\u9fa5]/);
    const badView = await hbj.get('/api/inbox?view=all').expect(422);
    expect(badView.body.message).toMatch(/[\u4e00-\u9fa5]/);

    // Another unit's 已办 is its own: nothing.
    expect((await cgj.get('/api/inbox?view=done').expect(200)).body.total).toBe(0);
    // The admin completed nothing by itself.
    expect((await t.http.get('/api/inbox?view=done').expect(200)).body.total).toBe(0);
  });

  it('抄送: a 督办单 to the lead unit is copied to the 配合单位 (with its .docx), and the published 月通报 to all', async () => {
    const actions = t.app.get(ActionsRepository);
    const urge = await actions.issue(
      t.db,
      {
        problemId,
        unitCode: 'HBJ',
        type: 'urge',
        status: 'issued',
        title: '关于TM-00001问题整改的督办单',
        body: { reason: '整改进度滞后' },
        deadline: '2026-03-20',
        dedupeKey: `test-urge-${problemId}`,
      },
      t.clock.date(),
    );

    const cc = (await cgj.get('/api/inbox?view=cc').expect(200)).body;
    expect(cc).toMatchObject({ view: 'cc', total: 1 });
    expect(cc.items[0]).toMatchObject({
      kind: 'action',
      id: urge.id,
      type: 'urge',
      title: '关于TM-00001问题整改的督办单',
      toUnit: 'HBJ',
      toUnitName: '市环保局',
      docx: `/api/supervision/actions/${urge.id}.docx`,
      problem: { id: problemId, code: 'TM-00001' },
    });
    const docx = await cgj.get(cc.items[0].docx).buffer(true).expect(200);
    expect(docx.headers['content-type']).toMatch(/wordprocessingml/);
    // Not copied to the addressee itself (it is in its own lists), nor to a unit outside the problem.
    expect((await hbj.get('/api/inbox?view=cc').expect(200)).body.total).toBe(0);
    expect((await slj.get('/api/inbox?view=cc').expect(200)).body.total).toBe(0);
    await slj.get(cc.items[0].docx).expect(403);

    // The month's bulletin, once published, is copied to every unit and to the leaders.
    t.clock.pin(Date.parse('2026-04-08T02:00:00Z'));
    await t.http.post('/api/bulletins/2026-03/publish').expect(201);
    const withBulletin = (await cgj.get('/api/inbox?view=cc').expect(200)).body;
    expect(withBulletin.total).toBe(2);
    expect(withBulletin.items[0]).toMatchObject({
      kind: 'bulletin',
      id: '2026-03',
      title: expect.stringContaining('通报'),
      docx: '/api/bulletins/2026-03.docx',
      problem: null,
    });
    expect(withBulletin.items[0].documentNo).toMatch(/^督改通〔2026〕\d+号$/);
    const leader = await t.as('leader');
    expect((await leader.get('/api/inbox?view=cc').expect(200)).body.items.map((i: any) => i.id)).toEqual(['2026-03']);
    // The ladder's documents (督办单, 通报, 约谈, 专项督察, 问责) are copied to the leaders; its reminders are not.
    // A minute after the bulletin: the newest first.
    t.clock.add(60_000);
    const notice = await actions.issue(
      t.db,
      {
        problemId,
        unitCode: 'HBJ',
        type: 'notice',
        status: 'issued',
        title: '关于TM-00001问题的督办通知单',
        body: { reason: '逾期未整改' },
        deadline: '2026-04-20',
        dedupeKey: `test-notice-${problemId}`,
      },
      t.clock.date(),
    );
    const leaderCc = (await leader.get('/api/inbox?view=cc').expect(200)).body;
    expect(leaderCc.items.map((i: any) => [i.kind, i.id])).toEqual([
      ['action', notice.id],
      ['bulletin', '2026-03'],
    ]);
    expect(leaderCc.items[0]).toMatchObject({ toUnitName: '市环保局', problem: { code: 'TM-00001' } });
    expect((await (await t.as('inspector')).get('/api/inbox?view=cc').expect(200)).body.total).toBe(2);
    expect((await slj.get('/api/inbox?view=cc&pageSize=1').expect(200)).body).toMatchObject({ total: 1, pageSize: 1 });
  });
});
