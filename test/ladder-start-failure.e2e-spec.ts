import { readFileSync } from 'node:fs';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { importFile, problemRow, problemSheet, seedUnits } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const LADDER_XML = readFileSync('processes/escalation-ladder.bpmn', 'utf8');
// A ladder whose first rung reads a variable nobody sets: its first timer cannot be computed, so it cannot start.
const BROKEN = LADDER_XML.replace(
  'workdays(-${environment.variables.remindBefore}',
  'workdays(-${environment.variables.remindBeforeMissing}',
);

describe('a ladder that cannot start at assignment is shown to the office as an incident, with a retry that starts it', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    expect(BROKEN).not.toBe(LADDER_XML);
    await t.definitions.deploy('broken-ladder', [{ resource: 'escalation-ladder.bpmn', content: Buffer.from(BROKEN) }]);
    await seedUnits(t);
    await t.http
      .post('/api/notify/channels')
      .send({ ownerType: 'role', ownerCode: 'office', kind: 'inapp', label: '办公室站内消息' })
      .expect(201);
    await importFile(
      t,
      await problemSheet([problemRow(1, { 编号: 'NO-LADDER', 责任单位: null, 整改时限: '2026-04-30' })]),
    );
    d = supervisionDriver(t);
    await d.settle();
  });
  afterAll(() => t.close());

  it('goes on with the assignment, and starts no ladder', async () => {
    const p = await d.problem('NO-LADDER');
    expect(p.status).not.toBe('closed');
    const tasks = await t.db.query(
      `SELECT t.name FROM engine_task t JOIN engine_instance i ON i.id = t.instance_id WHERE i.business_key = 'NO-LADDER' AND i.definition_key = 'rectification'`,
    );
    expect(tasks.length).toBeGreaterThan(0);
    expect(await d.ladder('NO-LADDER')).toBeUndefined();
  });

  it('lists the failure among the incidents: the problem, the ladder, a Chinese reason', async () => {
    const office = await t.as('office');
    const page = (await office.get('/api/incidents').expect(200)).body;
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      open: true,
      kind: 'start',
      problem: { code: 'NO-LADDER' },
      process: { key: 'escalation-ladder', name: expect.stringMatching(/督办/), instanceId: null },
      reason: expect.stringMatching(/^流程未能启动：.*不是工作日表达式/),
      resolvedAt: null,
    });
    expect(page.items[0].detail).toMatch(/workdays/);
    const problem = (await t.http.get('/api/problems/NO-LADDER').expect(200)).body;
    expect(problem.escalation.stopped).toBe(true);
  });

  it('tells the office once, in Chinese, with a link to the problem', async () => {
    const office = await t.as('office');
    const mine = (await office.get('/api/notify/mine').expect(200)).body;
    const notes = (mine.items ?? mine).filter((n: any) => /督办流程未能启动/.test(n.title));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ title: '督办流程未能启动：NO-LADDER', link: '/problems/NO-LADDER' });
    expect(notes[0].text).toMatch(/未能启动，督办不会自动进行/);
  });

  it('a retry against the same broken ladder fails again and says why; once a good ladder is deployed the retry starts it', async () => {
    const office = await t.as('office');
    const [x] = (await office.get('/api/incidents').expect(200)).body.items;
    const again = await office.post(`/api/incidents/${x.id}/retry`).expect(422);
    expect(again.body).toMatchObject({
      error: 'RETRY_FAILED',
      message: expect.stringMatching(/^重试未成功：流程未能启动：.*不是工作日表达式/),
    });
    expect(await d.ladder('NO-LADDER')).toBeUndefined();

    await t.definitions.deploy('fixed-ladder', [
      { resource: 'escalation-ladder.bpmn', content: Buffer.from(LADDER_XML) },
    ]);
    const done = (await office.post(`/api/incidents/${x.id}/retry`).expect(200)).body;
    expect(done).toMatchObject({ id: x.id, open: false, kind: 'start', resolvedAt: expect.any(String) });
    expect(await d.ladder('NO-LADDER')).toMatchObject({ status: 'active' });
    expect(await d.ladderTimer('NO-LADDER')).toMatchObject({
      activity_id: 'tReminder',
      spec: 'workdays(-5, 2026-04-30)',
    });
    expect((await office.get('/api/incidents').expect(200)).body.total).toBe(0);
    expect((await t.http.get('/api/problems/NO-LADDER').expect(200)).body.escalation.stopped).toBe(false);
    await office.post(`/api/incidents/${x.id}/retry`).expect(409);
  });
});
