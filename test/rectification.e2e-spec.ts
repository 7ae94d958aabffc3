import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import { camundaModdle } from '../src/engine/runtime/bpmn-runtime.js';
import { DAY, startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';
import { SELF_CHECK, endOfChinaDay, openNotice, siteCheck, uploadEvidence } from './support/signoff.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China

interface Task {
  id: string;
  activity_id: string;
  name: string;
  candidate_groups: string[];
  form_key: string;
}

describe('rectification.bpmn: 交办 → 销号 → 回头看, driven by the clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
      { resource: 'signoff.bpmn', content: readFileSync('processes/signoff.bpmn') },
      { resource: 'unit-part.bpmn', content: readFileSync('processes/unit-part.bpmn') },
    ]);
    await seedUnits(t);
    const rows = [
      problemRow(1, {
        编号: 'RP-1',
        牵头单位: '市环保局',
        责任单位: '市城管局、竟陵街道办事处',
        整改时限: '2026-12-31',
      }),
      problemRow(2, {
        编号: 'RP-2',
        牵头单位: '市水利局',
        责任单位: null,
        整改时限: '2026-06-30',
        '回头看周期（月）': 3,
      }),
    ];
    await importFile(t, await problemSheet(rows));
  });
  afterAll(() => t.close());

  const tasks = (code: string): Promise<Task[]> =>
    t.db.query(
      `SELECT id, activity_id, name, candidate_groups, form_key FROM engine_task WHERE business_key = $1 ORDER BY activity_id, candidate_groups`,
      [code],
    );
  const problem = async (code: string) => (await t.http.get(`/api/problems/${code}`).expect(200)).body;
  /** Complete the one open task of `activityId`, checking it is the only kind of task open. */
  async function complete(code: string, activityId: string, vars: Record<string, unknown> = {}): Promise<void> {
    const open = await tasks(code);
    const task = open.find((x) => x.activity_id === activityId);
    if (!task) throw new Error(`${code}: no open ${activityId}; open: ${open.map((x) => x.activity_id).join(', ')}`);
    await t.engine.completeTask(task.id, vars);
  }
  const advance = (ms: number) => t.http.post('/api/admin/clock/add').send({ offsetMilli: ms }).expect(200);
  const today = () => new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  /** 申请销号 with evidence → 自查 → 验收 passed → 公示 waited out → 销号. */
  async function signOff(code: string, evidence: string[]): Promise<void> {
    await complete(code, 'apply', { summary: '整改完成', evidenceFileIds: evidence });
    await complete(code, 'selfCheck', SELF_CHECK);
    await complete(code, 'verify', siteCheck(true, today()));
    await advance(1000); // 公示 opens, at the time the verification parked it
    const notice = await openNotice(t, code);
    expect(notice).toBeTruthy();
    await advance(endOfChinaDay(notice!.ends_on) - t.clock.now() + 1000);
  }

  it('takes a problem to 销号 with the plan returned once and the sign-off rejected once; 回头看 finds it not yet effective, the next one effective (见效), closing it for good', async () => {
    expect((await problem('RP-1')).status).toBe('assigned');
    await complete('RP-1', 'sign', { signedBy: '李四' });
    expect((await problem('RP-1')).status).toBe('planning');

    // 倒排工期: a milestone after the deadline refuses the plan and leaves the task open.
    await expect(
      complete('RP-1', 'plan', { milestones: [{ title: '全面达标', dueDate: '2027-01-31' }] }),
    ).rejects.toMatchObject({ status: 422 });
    expect((await tasks('RP-1')).map((x) => x.activity_id)).toEqual(['plan']);
    await complete('RP-1', 'plan', { milestones: [{ title: '完成排查', dueDate: '2026-04-30' }] });
    expect((await tasks('RP-1')).map((x) => [x.name, x.candidate_groups])).toEqual([['办公室审核方案', ['office']]]);
    await complete('RP-1', 'review', { planApproved: false, planComments: '节点不全，请倒排到年底' });
    expect((await tasks('RP-1')).map((x) => x.activity_id)).toEqual(['plan']);
    const milestones = [
      { title: '完成排查', dueDate: '2026-04-30' },
      { title: '安装净化设施', dueDate: '2026-09-30' },
      { title: '全面达标', dueDate: '2026-12-31' },
    ];
    await complete('RP-1', 'plan', { milestones });
    await complete('RP-1', 'review', { planApproved: true });

    const working = await tasks('RP-1');
    expect(working.map((x) => [x.activity_id, x.candidate_groups[0], x.form_key])).toEqual([
      ['partRectify', 'CGJ', 'unit-part'],
      ['partRectify', 'JLJD', 'unit-part'],
      ['rectify', 'HBJ', 'rectify'],
    ]);
    let p = await problem('RP-1');
    expect(p.status).toBe('rectifying');
    expect(p.milestones.map((m: any) => [m.title, m.dueDate])).toEqual(milestones.map((m) => [m.title, m.dueDate]));

    for (const x of working) await t.engine.completeTask(x.id, { report: `${x.candidate_groups[0]} 已完成` });
    expect((await problem('RP-1')).status).toBe('applying');
    const evidence = await uploadEvidence(t, 'RP-1');
    await complete('RP-1', 'apply', { summary: '整改完成', evidenceFileIds: evidence });
    await complete('RP-1', 'selfCheck', SELF_CHECK);
    await complete('RP-1', 'verify', siteCheck(false, today(), '两家餐馆仍直排'));
    await advance(1000); // 退回整改 runs
    expect((await tasks('RP-1')).map((x) => [x.activity_id, x.name, x.candidate_groups[0]])).toEqual([
      ['rework', '整改落实（验收退回）', 'HBJ'],
    ]);
    expect((await problem('RP-1')).status).toBe('rectifying');
    await complete('RP-1', 'rework', {});
    await signOff('RP-1', evidence);

    p = await problem('RP-1');
    expect(p.status).toBe('closed');
    expect(p.signedOffAt).toBeTruthy();
    expect(p.tasks).toEqual([]);
    const [timer] = await t.db.query(`SELECT activity_id, expire_at FROM engine_timer WHERE instance_id = $1`, [
      p.processInstanceId,
    ]);
    expect(timer.activity_id).toBe('waitRecheck');
    // Six months after the sign-off ran (the end of the 公示, 5 working days after 2 March).
    const signedOff = new Date(p.signedOffAt);
    expect(new Date(timer.expire_at).getTime()).toBe(signedOff.setUTCMonth(signedOff.getUTCMonth() + 6));

    await advance(183 * DAY);
    expect(await tasks('RP-1')).toEqual([]);
    await advance(2 * DAY);
    const [recheck] = await tasks('RP-1');
    expect(recheck).toMatchObject({
      activity_id: 'recheck',
      name: '回头看',
      candidate_groups: ['inspector'],
      form_key: 'recheck',
    });
    expect((await problem('RP-1')).status).toBe('rechecking');

    // A rebound cannot be effective, and without a rebound the 见效 conclusion is required: the task stays open.
    await expect(
      t.engine.completeTask(recheck.id, { rebound: true, effective: true, findings: '矛盾' }),
    ).rejects.toMatchObject({
      code: 'INVALID_RECHECK',
    });
    await expect(t.engine.completeTask(recheck.id, { rebound: false, findings: '未见反弹' })).rejects.toMatchObject({
      code: 'INVALID_RECHECK',
    });
    expect((await tasks('RP-1')).map((x) => x.activity_id)).toEqual(['recheck']);
    // No rebound, the effect not yet shown (未见效): still signed off, another 回头看 after one more period.
    await t.engine.completeTask(recheck.id, {
      rebound: false,
      effective: false,
      findings: '未见反弹，水质尚未稳定达标',
    });
    p = await problem('RP-1');
    expect(p).toMatchObject({ status: 'closed', effectiveAt: null, processInstance: { status: 'active' } });
    const [again] = await t.db.query(`SELECT activity_id FROM engine_timer WHERE instance_id = $1`, [
      p.processInstanceId,
    ]);
    expect(again.activity_id).toBe('waitRecheck');
    await advance(185 * DAY);
    await complete('RP-1', 'recheck', { rebound: false, effective: true, findings: '连续监测稳定达标，整改见效' });
    p = await problem('RP-1');
    expect(p).toMatchObject({ status: 'closed', processInstance: { status: 'completed' }, nextRoundId: null });
    expect(p.recheckedAt).toBeTruthy();
    expect(p.effectiveAt).toBeTruthy();
    const record = (await t.http.get(`/api/problems/${p.id}/signoff`).expect(200)).body;
    expect(record.effectChecks.map((c: any) => [c.rebound, c.effective, c.findings])).toEqual([
      [false, false, '未见反弹，水质尚未稳定达标'],
      [false, true, '连续监测稳定达标，整改见效'],
    ]);
    const ended = await t.db.query(
      `SELECT activity_id FROM engine_history WHERE instance_id = $1 AND activity_id IN ('effectGw', 'endClosed') ORDER BY activity_id`,
      [p.processInstanceId],
    );
    expect([...new Set(ended.map((e: any) => e.activity_id))]).toEqual(['effectGw', 'endClosed']);
  });

  it('opens a linked second round when 回头看 finds the problem rebounded', async () => {
    await complete('RP-2', 'sign');
    await complete('RP-2', 'plan', { milestones: [{ title: '清淤', dueDate: '2026-05-31' }] });
    await complete('RP-2', 'review', { planApproved: true });
    // No co-responsible unit: the lead's task alone.
    expect((await tasks('RP-2')).map((x) => x.activity_id)).toEqual(['rectify']);
    await complete('RP-2', 'rectify');
    await signOff('RP-2', await uploadEvidence(t, 'RP-2'));
    const first = await problem('RP-2');
    expect(first.status).toBe('closed');

    await advance(100 * DAY); // three months, then 回头看
    await complete('RP-2', 'recheck', { rebound: true, findings: '暗查发现黑臭反弹' });
    await advance(1000); // openReboundRound runs
    const rebounded = (await t.http.get('/api/problems/RP-2/signoff').expect(200)).body;
    expect(rebounded.effectChecks).toEqual([expect.objectContaining({ rebound: true, effective: false })]);

    const old = await problem('RP-2');
    expect(old.status).toBe('rebounded');
    expect(old.processInstance.status).toBe('completed');
    expect(old.nextRoundId).toBeTruthy();
    const next = await problem('RP-2-R2');
    expect(next).toMatchObject({
      id: old.nextRoundId,
      round: 2,
      previousProblemId: old.id,
      status: 'assigned',
      leadUnit: 'SLJ',
      recheckMonths: 3,
    });
    expect(next.processInstance).toMatchObject({ status: 'active' });
    expect(next.processInstanceId).not.toBe(old.processInstanceId);
    expect(next.tasks).toEqual([expect.objectContaining({ name: '牵头单位签收', candidateGroups: ['SLJ'] })]);
    const ledger = (await t.http.get('/api/problems').query({ q: 'RP-2' }).expect(200)).body;
    expect(ledger.items.map((x: any) => [x.code, x.status])).toEqual(
      expect.arrayContaining([
        ['RP-2', 'rebounded'],
        ['RP-2-R2', 'assigned'],
      ]),
    );
  });
});

describe('rectification.bpmn diagram', () => {
  it('has a shape for every node and an edge for every flow, joined at the shapes, laid out without overlaps', async () => {
    const { rootElement: defs, warnings } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(
      readFileSync('processes/rectification.bpmn', 'utf8'),
    );
    expect(warnings).toEqual([]);
    const process = defs.rootElements.find((e: any) => e.$type === 'bpmn:Process');
    const plane = defs.diagrams[0].plane;
    expect(plane.bpmnElement.id).toBe('rectification');
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
      expect([f.id, onBorder(wp[0], shapes.get(f.sourceRef.id))]).toEqual([f.id, true]);
      expect([f.id, onBorder(wp[wp.length - 1], shapes.get(f.targetRef.id))]).toEqual([f.id, true]);
      for (let i = 1; i < wp.length; i++) expect(wp[i].x === wp[i - 1].x || wp[i].y === wp[i - 1].y).toBe(true);
    }
    const boxes = [...shapes.entries()];
    // A boundary event sits on the border of its task (its chase, 逾期催办): that is no overlap.
    const attached = new Set(
      nodes.filter((n: any) => n.$type === 'bpmn:BoundaryEvent').map((n: any) => `${n.id}|${n.attachedToRef.id}`),
    );
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        if (attached.has(`${boxes[i][0]}|${boxes[j][0]}`) || attached.has(`${boxes[j][0]}|${boxes[i][0]}`)) continue;
        const [a, b] = [boxes[i][1], boxes[j][1]];
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect([boxes[i][0], boxes[j][0], overlap]).toEqual([boxes[i][0], boxes[j][0], false]);
      }
    }
    // Left to right: the start is the leftmost shape, the ends the rightmost.
    const xs = boxes.map(([, b]) => b.x);
    expect(shapes.get('start').x).toBe(Math.min(...xs));
    expect(Math.max(shapes.get('endClosed').x, shapes.get('endRebound').x)).toBe(Math.max(...xs));
  });
});
