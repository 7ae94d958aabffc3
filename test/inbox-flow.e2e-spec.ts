import { readFileSync } from 'node:fs';
import { agentWith, startTestApp, type TestApp } from './support/test-app.js';
import { importFile, problemRow, problemSheet, seedUnits } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);

/** A unit handler's day: inbox → sign for → evidence → form (a bad field first) → the office sees it. */
describe('the inbox of a responsible unit', () => {
  let t: TestApp;
  let handler: ReturnType<typeof agentWith>;
  let other: ReturnType<typeof agentWith>;
  let problemId: string;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
      { resource: 'extension.bpmn', content: readFileSync('processes/extension.bpmn') },
    ]);
    await seedUnits(t);
    const res = await importFile(
      t,
      await problemSheet([
        problemRow(1, { 责任单位: null }),
        problemRow(2, { 牵头单位: '市城管局', 责任单位: null, 整改时限: new Date(Date.UTC(2026, 8, 30)) }),
      ]),
    );
    problemId = res.created.find((p: any) => p.code === 'TM-00001').id;
    const hbj = await t.token('unit', 'HBJ');
    const cgj = await t.token('unit', 'CGJ');
    handler = agentWith(t.app.getHttpServer(), () => `Bearer ${hbj}`);
    other = agentWith(t.app.getHttpServer(), () => `Bearer ${cgj}`);
  });
  afterAll(() => t.close());

  it('walks the task from the inbox to completion, and the office sees it in the timeline', async () => {
    const inbox = (await handler.get('/api/inbox').expect(200)).body;
    expect(inbox.counts.all).toBe(1);
    const [item] = inbox.items;
    expect(item).toMatchObject({
      name: '牵头单位签收',
      formKey: 'sign',
      overdue: false,
      problem: { code: 'TM-00001', light: 'green' },
    });
    expect(item.daysLeft).toBeGreaterThan(0);

    // Another unit neither sees it nor can act on it by guessing its id.
    expect((await other.get('/api/inbox').expect(200)).body.items.map((i: any) => i.problem.code)).toEqual([
      'TM-00002',
    ]);
    await other.post(`/api/tasks/${item.id}/claim`).expect(403);

    await handler.post(`/api/tasks/${item.id}/claim`).expect(200);
    const task = (await handler.get(`/api/tasks/${item.id}`).expect(200)).body;
    expect(task.form).toMatchObject({ key: 'sign', fields: [expect.objectContaining({ name: 'note' })] });
    await handler
      .post(`/api/problems/${problemId}/files`)
      .field('taskId', item.id)
      .attach('file', PNG, { filename: '签收单.png', contentType: 'image/png' })
      .expect(201);
    await handler.post(`/api/tasks/${item.id}/complete`).send({}).expect(200);

    // The plan form: a bad field is a 422 naming it, and nothing changes.
    const [plan] = (await handler.get('/api/inbox').expect(200)).body.items;
    expect(plan.formKey).toBe('plan');
    const bad = await handler
      .post(`/api/tasks/${plan.id}/complete`)
      .send({ summary: '方案', milestones: [{ title: '完成改造', dueDate: '2026-13-40' }] })
      .expect(422);
    expect(bad.body.fields).toEqual([expect.objectContaining({ field: 'milestones.0.dueDate' })]);
    expect((await handler.get(`/api/tasks/${plan.id}`).expect(200)).body.id).toBe(plan.id);
    await handler
      .post(`/api/tasks/${plan.id}/complete`)
      .send({ summary: '倒排工期', milestones: [{ title: '完成改造', dueDate: '2026-06-30' }] })
      .expect(200);
    // Completing it again: someone (here: the same person) already did.
    const again = await handler.post(`/api/tasks/${plan.id}/complete`).send({ summary: '倒排工期', milestones: [] });
    expect(again.status).toBe(409);

    const problem = (await t.http.get(`/api/problems/${problemId}`).expect(200)).body;
    expect(problem.status).toBe('planning');
    const timeline = problem.timeline;
    const text = JSON.stringify(timeline);
    expect(text).toContain('牵头单位签收');
    expect(timeline.length).toBeGreaterThanOrEqual(3);
  });

  it('hands a task over only to a colleague of the same unit', async () => {
    const [item] = (await other.get('/api/inbox').expect(200)).body.items;
    const res = await other.post(`/api/tasks/${item.id}/handover`).send({ to: 'nobody-here' }).expect(422);
    expect(res.body.fields[0].field).toBe('to');
  });

  it('asks for a deadline extension from the task at hand', async () => {
    const [item] = (await other.get('/api/inbox').expect(200)).body.items;
    const bad = await other
      .post(`/api/tasks/${item.id}/extension`)
      .send({ date: 'next month', reason: '施工期延长' })
      .expect(422);
    expect(bad.body.fields[0].field).toBe('date');
    const res = await other
      .post(`/api/tasks/${item.id}/extension`)
      .send({ date: '2026-11-30', reason: '管网改造施工期延长' })
      .expect(201);
    expect(res.body).toMatchObject({ type: 'extension', status: 'requested' });
    const actions = (await t.http.get('/api/supervision/actions').query({ type: 'extension' }).expect(200)).body;
    expect(JSON.stringify(actions)).toContain(res.body.id);
  });
});
