import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PNG } from './support/signoff.js';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { importBatch, petitionRow, petitionSheet } from './support/petitions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { binary, readWorkbook, seedUnits } from './support/xlsx.js';

// Monday 2017-08-14, 09:00 in China: the round of the seed's inspection.
const MONDAY = Date.parse('2017-08-14T01:00:00Z');

describe('petition.bpmn: 边督边改 complaint batches, driven by the clock', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  let batch: any;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await t.definitions.deploy('petitions', [
      { resource: 'petition.bpmn', content: readFileSync('processes/petition.bpmn') },
    ]);
    await seedUnits(t);
    d = supervisionDriver(t);
    const rows = [
      petitionRow(1),
      petitionRow(2, { 行政区域: '市环保局', 责任单位: null, 污染类型: '大气污染' }),
      petitionRow(3, { 责任单位: '市城管局', 污染类型: '噪声污染' }),
      petitionRow(4, { 责任单位: '市水利局' }),
      // The same place and matter as D0001, with other spacing and punctuation: a 重复件.
      petitionRow(5, { 交办问题基本情况: '第1号： 某村养殖场粪污直排入河，周边臭味严重。' }),
    ];
    batch = await importBatch(t, await petitionSheet(rows), { code: '第1批', closeBy: '2017-08-21' });
  }, 120_000);
  afterAll(() => t.close());

  const complaint = (code: string) => batch.complaints.items.find((p: any) => p.code === code);
  const reload = async () =>
    (batch = (await t.http.get(`/api/petitions/batches/${batch.id}`).query({ pageSize: '200' }).expect(200)).body);
  const handleAll = async (code: string, verdict: string, measures: Record<string, unknown> = {}) => {
    await d.complete(code, 'investigate', { verdict, investigation: '现场核查，情况如下', evidence: '现场照片 3 张' });
    await d.complete(code, 'handle', { handling: '已责令停产整改', orderedRectify: true, ...measures });
  };

  it('imports the batch: one process per complaint, the 重复件 linked to the earlier one and not assigned again', async () => {
    expect([batch.status, batch.message]).toEqual(['done', null]);
    expect(batch.counts).toMatchObject({ received: 5, assigned: 4, duplicates: 1, closed: 0 });
    expect(complaint('D0005')).toMatchObject({ status: 'duplicate', duplicateOf: 'D0001', processInstanceId: null });
    expect(complaint('D0002').unitCode).toBe('HBJ');
    expect(complaint('D0001').complainant).toEqual({
      name: '王某某',
      phone: '13800001234',
      address: '竟陵街道幸福路88号',
    });
    const sign = (await d.tasks('D0001')).map((x) => [x.activity_id, x.candidate_groups]);
    expect(sign).toEqual([['sign', ['JLJD']]]);
    expect(await d.tasks('D0005')).toEqual([]);
  });

  it('refuses a sheet with bad rows whole, naming each cell in Chinese, and an earlier 受理编号', async () => {
    const file = await petitionSheet([petitionRow(1), petitionRow(9, { 污染类型: null, 责任单位: '不存在的单位' })]);
    const res = await t.http
      .post('/api/petitions/batches')
      .attach('file', file, 'bad.xlsx')
      .field('code', '坏批次')
      .field('closeBy', '2017-08-21')
      .expect(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { row: 2, column: '受理编号', message: '受理编号 D0001 已导入过' },
        { row: 3, column: '污染类型', message: '必填' },
        expect.objectContaining({ row: 3, column: '责任单位' }),
      ]),
    );
    expect((await t.http.get('/api/petitions/batches').expect(200)).body.items).toHaveLength(1);
  });

  it('on time: the unit signs and handles through its inbox, the office approves, 办结', async () => {
    const unit = await t.as('unit', 'JLJD');
    const inbox = (await unit.get('/api/inbox').expect(200)).body;
    const task = inbox.items.find((x: any) => x.formKey === 'petition-sign');
    expect(task).toBeDefined();
    const form = (await unit.get(`/api/tasks/${task.id}`).expect(200)).body;
    expect(form.form.fields.map((f: any) => f.label)).toEqual(['签收说明']);
    await unit.post(`/api/tasks/${task.id}/complete`).send({ note: '已签收' }).expect(200);
    await d.settle();
    const inv = (await unit.get('/api/inbox').expect(200)).body.items.find(
      (x: any) => x.formKey === 'petition-investigate',
    );
    // A verdict outside the three is refused in Chinese and the task stays open.
    const bad = await unit.post(`/api/tasks/${inv.id}/complete`).send({ verdict: '不清楚', investigation: '略' });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('属实');
    // 佐证材料: a file uploaded on the task, named in the form; a file that is not this complaint's is refused.
    const photo = await unit
      .post(`/api/tasks/${inv.id}/petition/files`)
      .attach('file', PNG, { filename: '现场照片.png', contentType: 'image/png' })
      .field('category', 'photo')
      .expect(201);
    expect(photo.body).toMatchObject({ problemId: null, taskId: inv.id, category: 'photo', name: '现场照片.png' });
    const listed = (await unit.get(`/api/tasks/${inv.id}/petition/files`).expect(200)).body;
    expect(listed.map((f: any) => f.id)).toEqual([photo.body.id]);
    const got = await unit
      .get(`/api/tasks/${inv.id}/petition/files/${photo.body.id}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(got.body, PNG)).toBe(0);
    await t
      .as('unit', 'HBJ')
      .then((other) => other.post(`/api/tasks/${inv.id}/petition/files`).attach('file', PNG, 'x.png').expect(403));
    const stranger = await unit
      .post(`/api/tasks/${inv.id}/complete`)
      .send({ verdict: '不属实', investigation: '略', evidenceFileIds: [randomUUID()] })
      .expect(422);
    expect(stranger.body.message).toContain('不是该信访件的佐证材料');
    await unit
      .post(`/api/tasks/${inv.id}/complete`)
      .send({
        verdict: '不属实',
        investigation: '现场未发现直排',
        evidence: '监测报告',
        evidenceFileIds: [photo.body.id],
      })
      .expect(200);
    await d.settle();
    const handle = (await unit.get('/api/inbox').expect(200)).body.items.find(
      (x: any) => x.formKey === 'petition-handle',
    );
    await unit.post(`/api/tasks/${handle.id}/complete`).send({ handling: '向投诉人做好解释' }).expect(200);
    await d.settle();
    await d.complete('D0001', 'review', { approved: true });
    await reload();
    expect(complaint('D0001')).toMatchObject({ status: 'closed', verdict: '不属实', chases: 0, overdue: false });
    expect(complaint('D0005').status).toBe('duplicate');
  });

  it('returned by the office: back to 调查核实, then closed with the fine, people detained and held accountable', async () => {
    await d.complete('D0003', 'sign');
    await handleAll('D0003', '部分属实');
    await d.complete('D0003', 'review', { approved: false, reviewComment: '处理措施不到位，请补充处罚情况' });
    expect((await d.tasks('D0003')).map((x) => x.activity_id)).toEqual(['investigate']);
    await handleAll('D0003', '部分属实', {
      caseFiled: true,
      fineWan: 5.5,
      detained: 1,
      interviewed: 2,
      accountablePeople: 3,
      accountability: '对镇分管负责人诫勉谈话',
    });
    await d.complete('D0003', 'review', { approved: true });
    await reload();
    expect(complaint('D0003')).toMatchObject({
      status: 'closed',
      verdict: '部分属实',
      returned: 1,
      reviewComment: '处理措施不到位，请补充处罚情况',
      measures: { caseFiled: true, fineWan: 5.5, detained: 1, interviewed: 2, accountablePeople: 3 },
    });
  });

  it('属实 with lasting harm: 办结 and 转入整改清单, a ledger problem linked to it with its rectification running', async () => {
    await d.complete('D0002', 'sign');
    await handleAll('D0002', '属实', { lastingHarm: true });
    await d.complete('D0002', 'review', { approved: true });
    await reload();
    const p = complaint('D0002');
    expect(p).toMatchObject({ status: 'closed', problemCode: '信访-D0002' });
    const problem = await d.problem('信访-D0002');
    expect(problem).toMatchObject({ status: 'assigned', leadUnit: 'HBJ', category: '大气污染' });
    expect(problem.tasks.map((x: any) => x.activityId)).toEqual(['sign']);
  });

  it('late: not signed in a working day → 催签; past the batch 办结 date → 催办, counted', async () => {
    // D0004 was never signed: the end of Tuesday 08-15 (1 working day from Monday) passes.
    await d.at(d.endOf('2017-08-15') + 60_000);
    await reload();
    expect(complaint('D0004').chases).toBe(1);
    await d.complete('D0004', 'sign');
    // The 办结 date 2017-08-21 (a Monday) passes with D0004 still being investigated.
    await d.at(d.endOf('2017-08-21') + 60_000);
    await reload();
    expect(complaint('D0004')).toMatchObject({ chases: 2, overdue: true, status: 'investigating' });
    const notices = await t.db.query(`SELECT kind FROM petition_chase ORDER BY chased_at`);
    expect(notices.map((n: { kind: string }) => n.kind)).toEqual(['sign', 'close']);
    expect(batch.counts).toMatchObject({ closed: 3, chased: 1 });
    // The chase does not stop it: it is still closed the usual way afterwards.
    await handleAll('D0004', '属实');
    await d.complete('D0004', 'review', { approved: true });
    await reload();
    expect(complaint('D0004').status).toBe('closed');
  });

  it('reports the numbers per batch and cumulative, by district and type, as JSON, .xlsx and .docx', async () => {
    const r = (await t.http.get('/api/petitions/report').query({ date: '2017-08-22' }).expect(200)).body;
    expect(r.cumulative).toMatchObject({
      received: 5,
      assigned: 4,
      closed: 4,
      verdicts: { true: 2, partly: 1, untrue: 1 },
      caseFiled: 1,
      fineWan: 5.5,
      detained: 1,
      interviewed: 2,
      accountablePeople: 3,
      duplicates: 1,
      toLedger: 1,
    });
    expect(r.byPollutionType.map((x: any) => x.name).sort()).toEqual(['大气污染', '噪声污染', '水污染'].sort());
    expect(r.issuer).toBe('天门市环境保护督察整改工作领导小组办公室');
    const xlsx = await t.http
      .get('/api/petitions/report.xlsx')
      .query({ date: '2017-08-22' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    const wb = await readWorkbook(xlsx.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['按批次', '按行政区域', '按污染类型']);
    const docx = await t.http
      .get('/api/petitions/report.docx')
      .query({ date: '2017-08-22' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(docx.body.subarray(0, 2).toString()).toBe('PK');
    await t.http.get('/api/petitions/report').query({ date: '2017-13-01' }).expect(422);
  });

  it('enters complaints by hand into the batch: checked as a sheet row in Chinese, 重复件 linked, the process started', async () => {
    const url = `/api/petitions/batches/${batch.id}/petitions`;
    const one = {
      code: 'H0001',
      summary: '某砂石场夜间作业，粉尘大',
      district: '竟陵街道',
      pollutionType: '大气污染',
      unit: '竟陵街道办事处',
      complainantName: '李某某',
      complainantPhone: '13900005678',
    };
    await (await t.as('unit', 'JLJD')).post(url).send(one).expect(403);
    const bad = await t.http
      .post(url)
      .send({ ...one, code: 'D0001', summary: ' ', unit: '不存在的单位' })
      .expect(422);
    expect(bad.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'code', message: '受理编号 D0001 已导入过' },
        { field: 'summary', message: '必填' },
        expect.objectContaining({ field: 'unit', message: expect.stringContaining('不存在的单位') }),
      ]),
    );
    const shapeless = await t.http.post(url).send({ code: 'H0009' }).expect(422);
    expect(shapeless.body.message).toMatch(/交办问题基本情况/);
    const entered = await t.http.post(url).send(one).expect(201);
    expect(entered.body).toMatchObject({ code: 'H0001', duplicateOf: null });
    expect((await d.tasks('H0001')).map((x) => [x.activity_id, x.candidate_groups])).toEqual([['sign', ['JLJD']]]);
    // The same place and matter as D0001, typed with other punctuation: linked, not assigned again.
    const again = await t.http
      .post(url)
      .send({ ...one, code: 'H0002', district: '竟陵街道', summary: '第1号 某村养殖场粪污直排入河；周边臭味严重' })
      .expect(201);
    expect(again.body.duplicateOf).toBe('D0001');
    expect(await d.tasks('H0002')).toEqual([]);
    await t.http.post(url).send(one).expect(422);
    await reload();
    expect(batch.counts).toMatchObject({ received: 7, assigned: 5, duplicates: 2 });
    expect(complaint('H0001')).toMatchObject({ status: 'assigned', complainant: { name: '李某某' } });
  });

  it('publishes the batch: the public answer lists every complaint and never a complainant name, phone or address', async () => {
    await t.anon.get(`/api/public/petitions/batches/${batch.id}`).expect(404);
    expect((await t.anon.get('/api/public/petitions/batches').expect(200)).body.items).toEqual([]);
    const unit = await t.as('unit', 'JLJD');
    await unit.post(`/api/petitions/batches/${batch.id}/publish`).expect(403);
    await t.http.post(`/api/petitions/batches/${batch.id}/publish`).expect(200);
    const list = await t.anon.get('/api/public/petitions/batches').expect(200);
    const one = await t.anon.get(`/api/public/petitions/batches/${batch.id}`).expect(200);
    expect(one.body.complaints).toHaveLength(7);
    expect(one.body.complaints.find((p: any) => p.code === 'D0003')).toMatchObject({
      district: '竟陵街道',
      pollutionType: '噪声污染',
      verdict: '部分属实',
      handling: '已责令停产整改',
      accountability: '对镇分管负责人诫勉谈话',
    });
    expect(one.body.complaints.find((p: any) => p.code === 'D0005').verdict).toBe('重复件');
    for (const text of [list.text, one.text]) {
      for (const secret of ['王某某', '13800001234', '幸福路', '李某某', '13900005678', 'complainant'])
        expect(text).not.toContain(secret);
    }
    // A published batch takes no more complaints.
    const late = await t.http
      .post(`/api/petitions/batches/${batch.id}/petitions`)
      .send({ code: 'H0003', summary: '新的投诉', district: '竟陵街道', pollutionType: '水污染' })
      .expect(409);
    expect(late.body.error).toBe('BATCH_PUBLISHED');
  });
});
