import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import JSZip from 'jszip';
import { camundaModdle } from '../src/engine/runtime/bpmn-runtime.js';
import { PNG, SELF_CHECK, endOfChinaDay, openNotice, siteCheck, uploadEvidence } from './support/signoff.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { importFile, problemRow, problemSheet, seedUnits } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China

interface Task {
  id: string;
  activity_id: string;
  definition_key: string;
  candidate_groups: string[];
}

describe('signoff.bpmn: 申请 → 自查 → 验收 → 公示 → 异议 → 销号 → 备案, driven by the clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
      { resource: 'signoff.bpmn', content: readFileSync('processes/signoff.bpmn') },
    ]);
    await seedUnits(t);
    const rows = ['SO-1', 'SO-2', 'SO-3'].map((code, i) =>
      problemRow(i + 1, { 编号: code, 牵头单位: '市环保局', 责任单位: null, 整改时限: '2026-12-31' }),
    );
    await importFile(t, await problemSheet(rows));
    // SO-3 came down from the province's office: its sign-off is filed there.
    await t.db.query(`UPDATE problem SET source_level = 'province' WHERE code = 'SO-3'`);
    for (const code of ['SO-1', 'SO-2', 'SO-3']) {
      await complete(code, 'sign');
      await complete(code, 'plan', { milestones: [{ title: '完成整改', dueDate: '2026-06-30' }] });
      await complete(code, 'review', { planApproved: true });
      await complete(code, 'rectify', { summary: '整改完成' });
    }
  });
  afterAll(() => t.close());

  const tasks = (code: string): Promise<Task[]> =>
    t.db.query(
      `SELECT id, activity_id, definition_key, candidate_groups FROM engine_task WHERE business_key = $1 ORDER BY activity_id`,
      [code],
    );
  async function complete(code: string, activityId: string, vars: Record<string, unknown> = {}): Promise<void> {
    const task = (await tasks(code)).find((x) => x.activity_id === activityId);
    if (!task) throw new Error(`${code}: no open ${activityId}`);
    await t.engine.completeTask(task.id, vars);
  }
  const taskId = async (code: string, activityId: string) =>
    (await tasks(code)).find((x) => x.activity_id === activityId)!.id;
  const problem = async (code: string) => (await t.http.get(`/api/problems/${code}`).expect(200)).body;
  const advance = (ms: number) => t.http.post('/api/admin/clock/add').send({ offsetMilli: ms }).expect(200);
  const today = () => new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  /** Through 申请, 自查 and 验收 passed: the 公示 opens. */
  async function toNotice(code: string): Promise<{ ends_on: string }> {
    await complete(code, 'apply', { summary: '整改完成', evidenceFileIds: await uploadEvidence(t, code) });
    await complete(code, 'selfCheck', SELF_CHECK);
    await complete(code, 'verify', siteCheck(true, today()));
    await advance(1000);
    const notice = await openNotice(t, code);
    expect(notice).toBeTruthy();
    return notice!;
  }

  it('refuses a sign-off application without evidence, or without the categories the problem type requires', async () => {
    expect((await tasks('SO-1')).map((x) => [x.definition_key, x.activity_id, x.candidate_groups])).toEqual([
      ['signoff', 'apply', ['HBJ']],
    ]);
    const unit = await t.as('unit', 'HBJ');
    const id = await taskId('SO-1', 'apply');
    // The form: evidence compulsory.
    const none = await unit.post(`/api/tasks/${id}/complete`).send({ summary: '整改完成' }).expect(422);
    expect(none.body.message).toContain('evidenceFileIds');
    await unit.post(`/api/tasks/${id}/complete`).send({ summary: '整改完成', evidenceFileIds: [] }).expect(422);
    // A 大气污染 problem needs a monitoring report beside the site photos.
    const photo = await unit
      .post('/api/problems/SO-1/files')
      .field('category', 'photo')
      .attach('file', PNG, { filename: '现场.png', contentType: 'image/png' })
      .expect(201);
    expect(photo.body.category).toBe('photo');
    const onlyPhoto = await unit
      .post(`/api/tasks/${id}/complete`)
      .send({ summary: '整改完成', evidenceFileIds: [photo.body.id] })
      .expect(422);
    expect(onlyPhoto.body).toMatchObject({ error: 'EVIDENCE_REQUIRED' });
    expect(onlyPhoto.body.message).toContain('监测报告');
    // Another problem's file is not this one's evidence.
    const [other] = await uploadEvidence(t, 'SO-2');
    const foreign = await unit
      .post(`/api/tasks/${id}/complete`)
      .send({ summary: '整改完成', evidenceFileIds: [other] })
      .expect(422);
    expect(foreign.body.message).toContain('不是该问题的佐证材料');
    expect((await tasks('SO-1')).map((x) => x.activity_id)).toEqual(['apply']);
    expect((await problem('SO-1')).status).toBe('applying');
  });

  it('takes 自查 → 验收 with a site record → 公示 → no objection → 销号; the public page lists it while on notice', async () => {
    const unit = await t.as('unit', 'HBJ');
    const evidence = await uploadEvidence(t, 'SO-1');
    await unit
      .post(`/api/tasks/${await taskId('SO-1', 'apply')}/complete`)
      .send({ summary: '整改完成', evidenceFileIds: evidence })
      .expect(200);
    expect((await tasks('SO-1')).map((x) => [x.activity_id, x.candidate_groups])).toEqual([['selfCheck', ['HBJ']]]);
    // 自查: the lead unit's head signs an opinion.
    await unit
      .post(`/api/tasks/${await taskId('SO-1', 'selfCheck')}/complete`)
      .send({ selfCheckPassed: true })
      .expect(422);
    await unit
      .post(`/api/tasks/${await taskId('SO-1', 'selfCheck')}/complete`)
      .send(SELF_CHECK)
      .expect(200);
    expect((await tasks('SO-1')).map((x) => [x.activity_id, x.candidate_groups])).toEqual([['verify', ['office']]]);
    // 验收: a site-check record and an opinion are required.
    const verifyId = await taskId('SO-1', 'verify');
    const bare = await t.http.post(`/api/tasks/${verifyId}/complete`).send({ verified: true }).expect(422);
    expect(bare.body.message).toContain('siteCheckDate');
    await t.http
      .post(`/api/tasks/${verifyId}/complete`)
      .send({ ...siteCheck(true, today()), sitePhotoFileIds: [evidence[0]] })
      .expect(200);
    await advance(1000);
    // 公示: five working days (the setting's default) on the public page, no sign-in.
    const notice = await openNotice(t, 'SO-1');
    expect(notice).toEqual({ ends_on: '2026-03-09' });
    const pub = await t.anon.get('/api/public/notices').expect(200);
    expect(pub.body.items).toEqual([expect.objectContaining({ code: 'SO-1', endsOn: '2026-03-09' })]);
    expect((await problem('SO-1')).status).toBe('applying');
    expect(await tasks('SO-1')).toEqual([]);

    await advance(endOfChinaDay('2026-03-09') - t.clock.now() - 60_000);
    expect((await problem('SO-1')).status).toBe('applying');
    await advance(2 * 60_000);
    const p = await problem('SO-1');
    expect(p.status).toBe('closed');
    expect(new Date(p.signedOffAt).getTime()).toBe(endOfChinaDay('2026-03-09'));
    expect((await t.anon.get('/api/public/notices').expect(200)).body.items).toEqual([]);
    const record = (await t.http.get('/api/problems/SO-1/signoff').expect(200)).body;
    expect(record).toMatchObject({
      notices: [{ days: 5, endsOn: '2026-03-09', outcome: 'passed', objections: [] }],
      filings: [],
    });
    // Not from a higher level: nothing filed.
    const [filing] = await t.db.query(`SELECT count(*)::int AS n FROM signoff_filing`);
    expect(filing.n).toBe(0);
  });

  it('returns the problem to rectification when an objection during 公示 is upheld', async () => {
    // Not on notice yet: an objection is refused.
    await t.anon.post('/api/public/notices/SO-2/objections').send({ content: '河道仍有污水直排入河' }).expect(409);
    await toNotice('SO-2');
    await t.anon.post('/api/public/notices/SO-2/objections').send({ content: '短' }).expect(422);
    await t.anon
      .post('/api/public/notices/SO-2/objections')
      .send({ content: '河道仍有污水直排入河', extra: 1 })
      .expect(422);
    const res = await t.anon
      .post('/api/public/notices/SO-2/objections')
      .send({ content: '河道仍有污水直排入河，整改不到位', name: '市民 赵先生', contact: '13800000000' })
      .expect(201);
    expect(res.body.message).toContain('异议已收到');
    expect((await tasks('SO-2')).map((x) => [x.activity_id, x.candidate_groups])).toEqual([
      ['reviewObjection', ['office']],
    ]);
    // A second one while the office reviews: kept for the review.
    await t.anon.post('/api/public/notices/SO-2/objections').send({ content: '排污口夜间仍在排放' }).expect(201);
    await t.http
      .post(`/api/tasks/${await taskId('SO-2', 'reviewObjection')}/complete`)
      .send({ objectionUpheld: true, objectionComment: '经核查异议属实，退回整改' })
      .expect(200);
    await advance(1000); // 退回整改 runs
    expect((await tasks('SO-2')).map((x) => [x.definition_key, x.activity_id])).toEqual([['rectification', 'rework']]);
    const p = await problem('SO-2');
    expect(p.status).toBe('rectifying');
    expect(p.signedOffAt).toBeNull();
    const record = (await t.http.get('/api/problems/SO-2/signoff').expect(200)).body;
    expect(record.notices).toHaveLength(1);
    expect(record.notices[0].outcome).toBe('objected');
    expect(record.notices[0].objections.map((o: { decision: string }) => o.decision)).toEqual(['upheld', 'upheld']);
    // Closed: objections are refused again.
    await t.anon.post('/api/public/notices/SO-2/objections').send({ content: '河道仍有污水直排入河' }).expect(409);
  });

  it('bounds the objections one address may file', async () => {
    await complete('SO-2', 'rework', {});
    await toNotice('SO-2');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM signoff_objection WHERE created_at >= $1`, [
      new Date(t.clock.now() - 3_600_000),
    ]);
    let status = 201;
    for (let i = n; i < 5; i++)
      status = (await t.anon.post('/api/public/notices/SO-2/objections').send({ content: `第${i}条异议内容` })).status;
    expect(status).toBe(201);
    const limited = await t.anon.post('/api/public/notices/SO-2/objections').send({ content: '再提一条异议内容' });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'TOO_MANY_OBJECTIONS' });
    // Rejected by the office: signed off at once.
    await t.http
      .post(`/api/tasks/${await taskId('SO-2', 'reviewObjection')}/complete`)
      .send({ objectionUpheld: false, objectionComment: '经核查，异议所指问题已整改到位' })
      .expect(200);
    await advance(1000);
    expect((await problem('SO-2')).status).toBe('closed');
  });

  it('files the sign-off with the level above when the problem came from there (备案)', async () => {
    const notice = await toNotice('SO-3');
    await advance(endOfChinaDay(notice.ends_on) - t.clock.now() + 1000);
    expect((await problem('SO-3')).status).toBe('closed');
    const record = (await t.http.get('/api/problems/SO-3/signoff').expect(200)).body;
    expect(record.filings).toEqual([expect.objectContaining({ toLevel: 'province' })]);
  });

  it('downloads the problem archive (一案一档) as one zip: the cover sheet, every evidence file; office and own units only', async () => {
    const zipOf = async (agent: typeof t.http) =>
      agent
        .get('/api/problems/SO-1/archive.zip')
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
    const res = await zipOf(t.http);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('SO-1-一案一档.zip');
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    const [{ n: stored }] = await t.db.query(
      `SELECT count(*)::int AS n FROM evidence_file f JOIN problem p ON p.id = f.problem_id WHERE p.code = 'SO-1'`,
    );
    expect(names.filter((n) => n.startsWith('佐证材料/'))).toHaveLength(stored);
    expect(names).toContain('SO-1-问题整改档案.docx');
    const photo = names.find((n) => n.endsWith('整改后现场照片.png'))!;
    expect(await zip.file(photo)!.async('nodebuffer')).toEqual(PNG);
    // The cover sheet: the problem, each step with who did it, the 公示 and its outcome.
    const cover = await JSZip.loadAsync(await zip.file('SO-1-问题整改档案.docx')!.async('nodebuffer'));
    const xml = await cover.file('word/document.xml')!.async('string');
    // Not re-checked yet: its 回头看与见效 says so.
    for (const text of [
      '问题整改档案',
      'SO-1',
      '市环保局',
      '牵头单位自查',
      '办公室验收',
      '公示无异议，予以销号',
      '回头看与见效',
      '尚未回头看',
    ])
      expect([text, xml.includes(text)]).toEqual([text, true]);
    // The lead unit gets its own problem's archive; another unit and a leader do not.
    expect((await zipOf(await t.as('unit', 'HBJ'))).status).toBe(200);
    expect((await zipOf(await t.as('unit', 'SLJ'))).status).toBe(403);
    expect((await zipOf(await t.as('leader'))).status).toBe(403);
    await t.http.get('/api/problems/NO-SUCH/archive.zip').expect(404);
  });
});

describe('signoff.bpmn diagram', () => {
  it('has a shape for every node and an edge for every flow, joined at the shapes, without overlaps', async () => {
    const { rootElement: defs, warnings } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(
      readFileSync('processes/signoff.bpmn', 'utf8'),
    );
    expect(warnings).toEqual([]);
    const process = defs.rootElements.find((e: { $type: string }) => e.$type === 'bpmn:Process');
    const plane = defs.diagrams[0].plane;
    type Bounds = { x: number; y: number; width: number; height: number };
    type Pt = { x: number; y: number };
    const shapes = new Map<string, Bounds>(
      plane.planeElement
        .filter((d: { $type: string }) => d.$type === 'bpmndi:BPMNShape')
        .map((d: { bpmnElement: { id: string }; bounds: Bounds }) => [d.bpmnElement.id, d.bounds]),
    );
    const edges = new Map<string, Pt[]>(
      plane.planeElement
        .filter((d: { $type: string }) => d.$type === 'bpmndi:BPMNEdge')
        .map((d: { bpmnElement: { id: string }; waypoint: Pt[] }) => [d.bpmnElement.id, d.waypoint]),
    );
    type El = { $type: string; id: string; name?: string; sourceRef: { id: string }; targetRef: { id: string } };
    const nodes: El[] = process.flowElements.filter((e: El) => e.$type !== 'bpmn:SequenceFlow');
    const flows: El[] = process.flowElements.filter((e: El) => e.$type === 'bpmn:SequenceFlow');
    expect(nodes.filter((n) => !shapes.has(n.id)).map((n) => n.id)).toEqual([]);
    expect(flows.filter((f) => !edges.has(f.id)).map((f) => f.id)).toEqual([]);
    // Every node is named in Chinese.
    expect(nodes.filter((n) => !/[\u4e00-\u9fff]/.test(n.name ?? '')).map((n) => n.id)).toEqual([]);
    const onBorder = (p: Pt, b: Bounds) =>
      p.x >= b.x - 1 &&
      p.x <= b.x + b.width + 1 &&
      p.y >= b.y - 1 &&
      p.y <= b.y + b.height + 1 &&
      (Math.abs(p.x - b.x) <= 1 ||
        Math.abs(p.x - b.x - b.width) <= 1 ||
        Math.abs(p.y - b.y) <= 1 ||
        Math.abs(p.y - b.y - b.height) <= 1);
    const centre = (p: Pt, b: Bounds) => Math.abs(p.x - b.x - b.width / 2) <= 1 || Math.abs(p.y - b.y) <= 1;
    for (const f of flows) {
      const wp = edges.get(f.id)!;
      const from = shapes.get(f.sourceRef.id)!;
      // A boundary event's flow leaves from its own circle.
      expect([f.id, onBorder(wp[0], from) || centre(wp[0], from)]).toEqual([f.id, true]);
      expect([f.id, onBorder(wp[wp.length - 1], shapes.get(f.targetRef.id)!)]).toEqual([f.id, true]);
      for (let i = 1; i < wp.length; i++) expect(wp[i].x === wp[i - 1].x || wp[i].y === wp[i - 1].y).toBe(true);
    }
    // A boundary event (公示期满, each 逾期催办) sits on its task's border.
    const onTask = new Set(nodes.filter((n) => n.$type === 'bpmn:BoundaryEvent').map((n) => n.id));
    const boxes = [...shapes.entries()].filter(([id]) => !onTask.has(id));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i][1], boxes[j][1]];
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect([boxes[i][0], boxes[j][0], overlap]).toEqual([boxes[i][0], boxes[j][0], false]);
      }
  });
});
