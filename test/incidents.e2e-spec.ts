import { readFileSync } from 'node:fs';
import { bpmn, startTestApp, type TestApp } from './support/test-app.js';
import { importFile, problemRow, problemSheet, seedUnits } from './support/xlsx.js';

// After 核实, a wait until the end of the deadline day: a deadline the calendar cannot compute stops it.
const waitProcess = bpmn(`
  <process id="stalls" name="期限跟踪" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
    <userTask id="check" name="核实期限" camunda:candidateGroups="office"/>
    <sequenceFlow id="f2" sourceRef="check" targetRef="waitDeadline"/>
    <intermediateCatchEvent id="waitDeadline" name="等待整改时限届满">
      <timerEventDefinition><timeDate>workdays(0, \${environment.variables.deadline})</timeDate></timerEventDefinition>
    </intermediateCatchEvent>
    <sequenceFlow id="f3" sourceRef="waitDeadline" targetRef="overdue"/>
    <userTask id="overdue" name="逾期督办" camunda:candidateGroups="office"/>
  </process>`);

const ENGLISH = /\b(?!HB\b)[A-Za-z]{4,}\b/;

describe('incidents: a failed step is shown to the office in Chinese, with its problem, and retried', () => {
  let t: TestApp;
  let instanceId: string;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(Date.parse('2026-03-02T01:00:00Z'));
    await t.definitions.deploy('stalls', [
      { resource: 'stalls.bpmn', content: waitProcess },
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
    ]);
    await seedUnits(t);
    await t.http
      .post('/api/notify/channels')
      .send({ ownerType: 'role', ownerCode: 'office', kind: 'inapp', label: '办公室站内消息' })
      .expect(201);
    await importFile(
      t,
      await problemSheet([problemRow(1, { 编号: 'STALL-1', 责任单位: null, 整改时限: '2026-06-30' })]),
    );
    instanceId = (await t.engine.startProcess('stalls', { businessKey: 'STALL-1' })).id;
    const [task] = await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [instanceId]);
    // A deadline in a year neither entered nor computable by rule: the timer cannot be set.
    await expect(t.engine.completeTask(task.id, { deadline: '2100-03-01' })).rejects.toMatchObject({
      code: 'ENGINE_ERROR',
    });
  });
  afterAll(() => t.close());

  it('lists the incident for the office: the problem, the element by its Chinese name, the reason in Chinese', async () => {
    const office = await t.as('office');
    const page = (await office.get('/api/incidents').expect(200)).body;
    expect(page.total).toBe(1);
    const [x] = page.items;
    expect(x).toMatchObject({
      open: true,
      problem: { code: 'STALL-1', title: expect.any(String) },
      process: { key: 'stalls', name: '期限跟踪', instanceId },
      element: { name: expect.stringMatching(/核实期限|等待整改时限届满/) },
      reason: expect.stringMatching(/2100 年没有工作日历/),
      resolvedAt: null,
    });
    expect(x.reason.replace(/workdays\([^)]*\)/g, '')).not.toMatch(ENGLISH);
    expect((await office.get(`/api/incidents/${x.id}`).expect(200)).body.id).toBe(x.id);
    expect((await office.get('/api/incidents?state=resolved').expect(200)).body.total).toBe(0);
  });

  it('tells the office once, in Chinese, with a link to the problem', async () => {
    const office = await t.as('office');
    const mine = (await office.get('/api/notify/mine').expect(200)).body;
    const notes = (mine.items ?? mine).filter((n: any) => /督办流程停止/.test(n.title));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      title: '督办流程停止：STALL-1',
      link: expect.stringContaining('/problems/STALL-1'),
    });
    expect(notes[0].text).toMatch(/执行失败，督办已停止/);
  });

  it('shows on the problem that its escalation is stopped', async () => {
    const p = (await t.http.get('/api/problems/STALL-1').expect(200)).body;
    expect(p.escalation.stopped).toBe(true);
    expect(p.escalation.incidents).toEqual([
      expect.objectContaining({ process: '期限跟踪', reason: expect.stringMatching(/2100 年/) }),
    ]);
    // A unit reads its problem's state, not the office's incident list.
    const unit = await t.as('unit', 'HBJ');
    expect((await unit.get('/api/problems/STALL-1').expect(200)).body.escalation.stopped).toBe(true);
    const refused = await unit.get('/api/incidents').expect(403);
    expect(refused.body.message).not.toMatch(ENGLISH);
  });

  it('a retry that fails again says why in Chinese; once the year is entered the retry goes through', async () => {
    const office = await t.as('office');
    const [x] = (await office.get('/api/incidents').expect(200)).body.items;
    const again = await office.post(`/api/incidents/${x.id}/retry`).expect(422);
    expect(again.body).toMatchObject({
      error: 'RETRY_FAILED',
      message: expect.stringMatching(/^重试未成功：.*2100 年没有工作日历/),
    });
    await office
      .put('/api/calendar/years/2100')
      .send({ holidays: [{ date: '2100-01-01', name: '元旦' }], workdays: [] })
      .expect(200);
    const done = (await office.post(`/api/incidents/${x.id}/retry`).expect(200)).body;
    expect(done).toMatchObject({ id: x.id, open: false });
    expect((await office.get('/api/incidents').expect(200)).body.total).toBe(0);
    expect((await t.http.get('/api/problems/STALL-1').expect(200)).body.escalation).toEqual({
      stopped: false,
      incidents: [],
    });
    const twice = await office.post(`/api/incidents/${x.id}/retry`).expect(409);
    expect(twice.body.message).toMatch(/已处理/);
    const missing = await office.post('/api/incidents/00000000-0000-4000-8000-000000000000/retry').expect(404);
    expect(missing.body.message).toMatch(/未找到异常/);
  });
});
