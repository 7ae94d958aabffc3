import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import { camundaModdle } from '../src/engine/runtime/bpmn-runtime.js';
import { chinaDate } from '../src/problems/rules/china-date.js';
import { MonthlyCycleStarter } from '../src/reports/monthly/monthly-cycle.starter.js';
import { cityUnits, clockTo, cst, deploy, docxText } from './support/reports.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { binary, problemRow, problemSheet, importFile } from './support/xlsx.js';

interface Row {
  id: string;
  candidate_groups: string[];
  due_at: Date;
}

/** 月调度、月通报、月督办: one long-lived instance, driven month by month by the clock. */
describe('monthly-cycle.bpmn', () => {
  let t: TestApp;
  const reportTasks = (): Promise<Row[]> =>
    t.db.query(
      `SELECT id, candidate_groups, due_at FROM engine_task WHERE definition_key = 'monthly-cycle' ORDER BY candidate_groups`,
    );
  const light = async (code: string) =>
    (await t.db.query(`SELECT light FROM problem WHERE code = $1`, [code]))[0].light;
  const actions = (
    type: string,
  ): Promise<
    { code: string; unit_code: string; body: any; document_no: string; issued_at: Date; deadline: string }[]
  > =>
    t.db.query(
      `SELECT p.code, a.unit_code, a.body, a.document_no, a.issued_at, a.deadline::text AS deadline FROM supervision_action a JOIN problem p ON p.id = a.problem_id WHERE a.type = $1 ORDER BY a.issued_at, p.code`,
      [type],
    );

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(cst('2017-08-03T09:00:00'));
    await deploy(t, 'rectification', 'monthly-cycle');
    await cityUnits(t, [
      ['HBJ', '市环保局'],
      ['SWJ', '市水务局'],
      ['CGJ', '市城管局'],
    ]);
    const rows = [
      problemRow(1, { 编号: 'M-1', 牵头单位: 'HBJ', 责任单位: null, 整改时限: '2017-12-31' }),
      problemRow(2, { 编号: 'M-2', 牵头单位: 'HBJ', 责任单位: null, 整改时限: '2017-08-25' }),
      problemRow(3, { 编号: 'M-3', 牵头单位: 'SWJ', 责任单位: '市城管局', 整改时限: '2017-12-31' }),
    ];
    await importFile(t, await problemSheet(rows));
  });
  afterAll(() => t.close());

  it('starts one long-lived instance, idempotently', async () => {
    const starter = t.app.get(MonthlyCycleStarter);
    const first = await starter.ensure();
    expect(first).toMatchObject({ started: true });
    expect(await starter.ensure()).toEqual({ started: false, instanceId: first.instanceId, reason: 'running' });
    await t.engine.drainDue();
  });

  it('asks each lead unit with open problems for its report, due in 10 working days', async () => {
    const tasks = await reportTasks();
    expect(tasks.map((x) => [x.candidate_groups, x.due_at.toISOString()])).toEqual([
      [['HBJ'], '2017-08-17T16:00:00.000Z'],
      [['SWJ'], '2017-08-17T16:00:00.000Z'],
    ]);
    const month = (await t.http.get('/api/monthly-reports/2017-08').expect(200)).body;
    expect(month.units.map((u: any) => [u.unit, u.problems.map((p: any) => p.code), u.missing])).toEqual([
      ['HBJ', ['M-1', 'M-2'], 2],
      ['SWJ', ['M-3'], 1],
    ]);

    const hbj = await t.as('unit', 'HBJ');
    const form = (await hbj.get(`/api/monthly-reports/tasks/${tasks[0].id}`).expect(200)).body;
    expect(form).toMatchObject({
      month: '2017-08',
      unit: 'HBJ',
      problems: [expect.objectContaining({ code: 'M-1' }), expect.objectContaining({ code: 'M-2' })],
    });
    await (
      await t.as('unit', 'SWJ')
    )
      .post(`/api/monthly-reports/tasks/${tasks[0].id}`)
      .send({ reports: [{ problem: 'M-1', text: 'x', percent: 10 }] })
      .expect(403);
    const partial = await hbj
      .post(`/api/monthly-reports/tasks/${tasks[0].id}`)
      .send({ reports: [{ problem: 'M-1', text: '已完成排查', percent: 20 }] })
      .expect(422);
    expect(partial.body.message).toContain('M-2');
    await hbj
      .post(`/api/monthly-reports/tasks/${tasks[0].id}`)
      .send({ reports: [{ problem: 'M-3', text: 'x', percent: 1 }] })
      .expect(422);
    await hbj
      .post(`/api/monthly-reports/tasks/${tasks[0].id}`)
      .send({
        reports: [
          { problem: 'M-1', text: '已完成排查，正在制定方案', percent: 20 },
          { problem: 'M-2', text: '锅炉拆除中', percent: 60 },
        ],
      })
      .expect(200);
    expect((await t.http.get('/api/problems/M-2').expect(200)).body.progress).toEqual([
      expect.objectContaining({ month: '2017-08', unitCode: 'HBJ', percent: 60 }),
    ]);
    expect((await reportTasks()).map((x) => x.candidate_groups[0])).toEqual(['SWJ']);
  });

  it('催报 when the due time passes: the unreported problem turns yellow, the task stays open until the month ends', async () => {
    await clockTo(t, cst('2017-08-18T10:00:00'));
    expect(await light('M-3')).toBe('yellow');
    expect(await light('M-1')).toBe('green');
    expect((await actions('urge')).map((a) => [a.code, a.body.period])).toEqual([['M-3', '2017-08']]);
    expect((await reportTasks()).map((x) => x.candidate_groups[0])).toEqual(['SWJ']);
  });

  it("publishes the month's bulletin at its end, sends notices to the units it names, and starts the next month", async () => {
    await clockTo(t, cst('2017-09-01T10:00:00'));
    const b = (await t.http.get('/api/bulletins/2017-08').expect(200)).body;
    expect(b).toMatchObject({ published: true, documentNo: '督改通〔2017〕1号', asOf: '2017-08-31T16:00:00.000Z' });
    expect(
      b.laggards.map((l: any) => [l.unit, l.overdue.map((p: any) => p.code), l.missingReports.map((p: any) => p.code)]),
    ).toEqual([
      ['SWJ', [], ['M-3']],
      ['HBJ', ['M-2'], []],
    ]);
    const notices = (await actions('notice')).filter((a) => a.body.source === 'monthly-cycle');
    expect(notices.map((a) => [a.code, a.unit_code, a.body.reason, a.body.bulletinNo])).toEqual([
      ['M-2', 'HBJ', 'overdue', '督改通〔2017〕1号'],
      ['M-3', 'SWJ', 'report-missing', '督改通〔2017〕1号'],
    ]);
    expect(notices.every((a) => /^督办〔2017〕\d+号$/.test(a.document_no))).toBe(true);
    // Dated on a working day from 09:00 (the cycle runs at midnight), answered in 10 working days (the settings).
    expect(notices.map((a) => [a.issued_at.toISOString(), a.body.replyDays, a.deadline])).toEqual([
      ['2017-09-01T01:00:00.000Z', 10, '2017-09-15'],
      ['2017-09-01T01:00:00.000Z', 10, '2017-09-15'],
    ]);
    // Each notice downloads as a 督办单; a unit gets its own unit's only.
    const [notice] = await t.db.query(
      `SELECT a.id FROM supervision_action a JOIN problem p ON p.id = a.problem_id WHERE a.type = 'notice' AND p.code = 'M-2'`,
    );
    const doc = await t.http.get(`/api/supervision/actions/${notice.id}.docx`).buffer().parse(binary).expect(200);
    const text = await docxText(doc.body);
    for (const s of ['督 办 单', '市环保局：', '督改通〔2017〕1号', 'M-2'])
      expect([s, text.includes(s)]).toEqual([s, true]);
    await (await t.as('unit', 'HBJ')).get(`/api/supervision/actions/${notice.id}.docx`).expect(200);
    await (await t.as('unit', 'SWJ')).get(`/api/supervision/actions/${notice.id}.docx`).expect(403);
    await (await t.as('leader')).get(`/api/supervision/actions/${notice.id}.docx`).expect(200);
    await t.http.get('/api/supervision/actions/00000000-0000-4000-8000-000000000000.docx').expect(404);
    // September's round: both units asked again, due 10 working days after 1 September.
    expect((await reportTasks()).map((x) => [x.candidate_groups[0], x.due_at.toISOString()])).toEqual([
      ['HBJ', '2017-09-15T16:00:00.000Z'],
      ['SWJ', '2017-09-15T16:00:00.000Z'],
    ]);
  });

  it('keeps looping month after month in the one instance', async () => {
    for (const [month, next] of [
      ['2017-09', '2017-10-01'],
      ['2017-10', '2017-11-01'],
      ['2017-11', '2017-12-01'],
    ]) {
      for (const task of await reportTasks()) {
        const form = (await t.http.get(`/api/monthly-reports/tasks/${task.id}`).expect(200)).body;
        const reports = form.problems.map((p: any) => ({ problem: p.code, text: `${month} 按计划推进`, percent: 50 }));
        await t.http.post(`/api/monthly-reports/tasks/${task.id}`).send({ reports }).expect(200);
      }
      await clockTo(t, cst(`${next}T10:00:00`));
      const b = (await t.http.get(`/api/bulletins/${month}`).expect(200)).body;
      expect([month, b.published, b.laggards.map((l: any) => l.unit)]).toEqual([month, true, ['HBJ']]);
    }
    const [inst] = await t.db.query(`SELECT status FROM engine_instance WHERE definition_key = 'monthly-cycle'`);
    expect(inst.status).toBe('active');
    expect((await t.http.get('/api/bulletins').expect(200)).body.map((x: any) => x.documentNo)).toEqual([
      '督改通〔2017〕4号',
      '督改通〔2017〕3号',
      '督改通〔2017〕2号',
      '督改通〔2017〕1号',
    ]);
    // One monthly notice for M-2 each month it is named, never two in a month.
    const m2 = (await actions('notice')).filter((a) => a.code === 'M-2' && a.body.source === 'monthly-cycle');
    expect(m2.map((a) => a.body.bulletinMonth)).toEqual(['2017-08', '2017-09', '2017-10', '2017-11']);
    // The October cycle falls due on National Day: its 督办单 is dated Monday 9 October, the first working day.
    expect(m2.map((a) => chinaDate(a.issued_at.getTime()))).toEqual([
      '2017-09-01',
      '2017-10-09',
      '2017-11-01',
      '2017-12-01',
    ]);
  });
});

describe('monthly-cycle.bpmn diagram', () => {
  it('has a shape for every node and an edge for every flow, edges ending on their shapes, orthogonal', async () => {
    const { rootElement: defs, warnings } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(
      readFileSync('processes/monthly-cycle.bpmn', 'utf8'),
    );
    expect(warnings).toEqual([]);
    const process = defs.rootElements.find((e: any) => e.$type === 'bpmn:Process');
    expect(process.id).toBe('monthly-cycle');
    const plane = defs.diagrams[0].plane;
    const shapes = new Map<string, any>(
      plane.planeElement
        .filter((d: any) => d.$type === 'bpmndi:BPMNShape')
        .map((d: any) => [d.bpmnElement.id, d.bounds]),
    );
    const edges = new Map<string, any[]>(
      plane.planeElement
        .filter((d: any) => d.$type === 'bpmndi:BPMNEdge')
        .map((d: any) => [d.bpmnElement.id, d.waypoint]),
    );
    const nodes = process.flowElements.filter((e: any) => e.$type !== 'bpmn:SequenceFlow');
    const flows = process.flowElements.filter((e: any) => e.$type === 'bpmn:SequenceFlow');
    expect(nodes.filter((n: any) => !shapes.has(n.id)).map((n: any) => n.id)).toEqual([]);
    expect(flows.filter((f: any) => !edges.has(f.id)).map((f: any) => f.id)).toEqual([]);
    const onBorder = (p: { x: number; y: number }, b: any) =>
      p.x >= b.x - 1 &&
      p.x <= b.x + b.width + 1 &&
      p.y >= b.y - 1 &&
      p.y <= b.y + b.height + 1 &&
      (Math.abs(p.x - b.x) <= 1 ||
        Math.abs(p.x - b.x - b.width) <= 1 ||
        Math.abs(p.y - b.y) <= 1 ||
        Math.abs(p.y - b.y - b.height) <= 1);
    for (const f of flows) {
      const wp = edges.get(f.id)!;
      expect([
        f.id,
        onBorder(wp[0], shapes.get(f.sourceRef.id)),
        onBorder(wp[wp.length - 1], shapes.get(f.targetRef.id)),
      ]).toEqual([f.id, true, true]);
      for (let i = 1; i < wp.length; i++) expect(wp[i].x === wp[i - 1].x || wp[i].y === wp[i - 1].y).toBe(true);
    }
    // No two shapes overlap, except a boundary event on its host's border.
    const host = new Map<string, string>(
      nodes.filter((n: any) => n.$type === 'bpmn:BoundaryEvent').map((n: any) => [n.id, n.attachedToRef.id]),
    );
    const boxes = [...shapes.entries()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [[ia, a], [ib, b]] = [boxes[i], boxes[j]];
        if (host.get(ia) === ib || host.get(ib) === ia) continue;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect([ia, ib, overlap]).toEqual([ia, ib, false]);
      }
    }
    // Every label is Chinese.
    for (const n of nodes.filter((x: any) => x.name))
      expect([n.id, /[\u4e00-\u9fff]/.test(n.name)]).toEqual([n.id, true]);
  });
});
