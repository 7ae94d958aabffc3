import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { AccountService } from '../src/auth/account.service.js';
import { TokenService } from '../src/auth/token.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  HEADERS,
  binary,
  problemRow,
  problemSheet,
  readWorkbook,
  rowValues,
  seedUnits,
  importFile,
  upload,
  waitForImportJob,
} from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China

describe('problem list import (交办)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
    ]);
    await seedUnits(t);
  });
  afterAll(() => t.close());

  const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  describe('units and persons', () => {
    it('lists the tree and refuses a duplicate code (409) or an unknown parent (422 naming parentCode)', async () => {
      const units = (await t.http.get('/api/units').expect(200)).body;
      expect(units.find((u: any) => u.code === 'HBJ')).toEqual({
        code: 'HBJ',
        name: '市环保局',
        parentCode: 'CITY',
        level: null,
        levelLabel: null,
      });
      await t.http.post('/api/units').send({ code: 'HBJ', name: '另一个环保局' }).expect(409);
      await t.http.post('/api/units').send({ code: 'XX', name: '市环保局' }).expect(409);
      const res = await t.http.post('/api/units').send({ code: 'ZJZ', name: '皂市镇', parentCode: 'NOPE' }).expect(422);
      expect(res.body.fields).toEqual([{ field: 'parentCode', message: expect.stringContaining('NOPE') }]);
      const bad = await t.http.post('/api/units').send({ code: '1-bad', name: '' }).expect(422);
      expect(bad.body.fields.map((f: any) => f.field).sort()).toEqual(['code', 'name']);
    });

    it('adds persons to known units only', async () => {
      const p = (
        await t.http
          .post('/api/persons')
          .send({ name: '李四', unitCode: 'HBJ', role: 'head', phone: '0728-1234567' })
          .expect(201)
      ).body;
      expect(p).toMatchObject({ id: expect.any(String), name: '李四', unitCode: 'HBJ', role: 'head' });
      const res = await t.http
        .post('/api/persons')
        .send({ name: '王五', unitCode: 'NOPE', role: 'handler' })
        .expect(422);
      expect(res.body.fields[0].field).toBe('unitCode');
      await t.http.post('/api/persons').send({ name: '王五', unitCode: 'HBJ', role: 'boss' }).expect(422);
      expect((await t.http.get('/api/persons').query({ unit: 'HBJ' }).expect(200)).body).toHaveLength(1);
    });
  });

  it('gives a template that opens with the headers and an example row', async () => {
    const res = await t.http.get('/api/problems/import-template.xlsx').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await readWorkbook(res.body);
    const ws = wb.worksheets[0];
    expect(rowValues(ws, 1)).toEqual([...HEADERS, '责任领导']);
    expect(rowValues(ws, 2)[0]).toBe('TM-2017-001');
  });

  it("imports the template's own example row as it is, its deadline 60 working days from today", async () => {
    const template = (await t.http.get('/api/problems/import-template.xlsx').buffer(true).parse(binary).expect(200))
      .body;
    const res = await importFile(t, template);
    expect(res.created).toEqual([
      expect.objectContaining({
        code: 'TM-2017-001',
        leadUnit: 'HBJ',
        responsibleUnits: ['HBJ', 'CGJ'],
        deadline: '2026-05-28',
      }),
    ]);
    // Taken out again, so the counts below start from an empty ledger.
    await t.db.query(`DELETE FROM problem_milestone; DELETE FROM problem`);
    await t.db.query(
      `DELETE FROM engine_task; DELETE FROM engine_timer; DELETE FROM engine_history; DELETE FROM engine_subscription; DELETE FROM engine_instance`,
    );
  });

  it('refuses a file with one bad row among 500 good ones, naming row and column, and stores nothing', async () => {
    const rows = Array.from({ length: 501 }, (_, i) => problemRow(i + 1));
    rows[321] = problemRow(322, { 牵头单位: '市宣传部' });
    const res = await upload(t, await problemSheet(rows)).expect(422);
    expect(res.body.errors).toEqual([{ row: 323, column: '牵头单位', message: '未知单位：市宣传部' }]);
    expect(await count('problem')).toBe(0);
    expect(await count('engine_instance')).toBe(0);
  });

  it('lists every bad cell of a file: unknown units, bad dates, duplicates, empty cells, formulas', async () => {
    const rows = [
      problemRow(1, { 责任单位: '市水利局，市外星局' }),
      problemRow(2, { 整改时限: '2026-02-30' }),
      problemRow(1),
      problemRow(4, { 问题: '', 责任人: null }),
      problemRow(5, { 整改时限: { formula: 'TODAY()+30', result: 46000 } }),
      problemRow(6, { 整改时限: '明年', '回头看周期（月）': 0 }),
      problemRow(7, { 整改时限: '2026-02-31' }),
    ];
    const res = await upload(t, await problemSheet(rows)).expect(422);
    const cells = res.body.errors.map((e: any) => `${e.row}:${e.column}`);
    expect(cells).toEqual([
      '2:责任单位',
      '3:整改时限',
      '4:编号',
      '5:问题',
      '5:责任人',
      '6:整改时限',
      '7:整改时限',
      '7:回头看周期（月）',
      '8:整改时限',
    ]);
    expect(res.body.errors[0].message).toContain('市外星局');
    expect(res.body.errors[2].message).toContain('第 2 行');
    expect(res.body.errors[5].message).toMatch(/公式/);
    expect(await count('problem')).toBe(0);
  });

  it('refuses a file without the required columns, a non-xlsx file, a file over 5 MB, and more than 20,000 rows', async () => {
    const noCols = await upload(t, await problemSheet([['A-1', '问题']], ['编号', '问题'])).expect(422);
    expect(noCols.body.errors.map((e: any) => e.column)).toContain('牵头单位');
    await upload(t, Buffer.from('编号,问题\nA,B\n'), 'list.csv').expect(422);
    await t.http.post('/api/problems/import').expect(422);
    await upload(t, Buffer.alloc(5 * 1024 * 1024 + 1)).expect(413);
    const many = Array.from({ length: 20_001 }, (_, i) => [`X-${i}`]);
    const res = await upload(t, await problemSheet(many)).expect(422);
    expect(res.body.message).toMatch(/20000/);
  });

  it('imports a good file: each problem assigned with a running process and a 牵头单位签收 task for its lead unit', async () => {
    const rows = [
      problemRow(1, { 责任单位: '市城管局、竟陵街道办事处' }),
      problemRow(2, {
        牵头单位: 'SLJ',
        责任单位: '市农业局,竟陵街道办事处',
        整改时限: '2026-05-31',
        类别: '水污染',
        '回头看周期（月）': null,
      }),
      problemRow(3, { 牵头单位: '市农业局', 责任单位: null, 整改时限: 15, 类别: '农业面源' }),
    ];
    const res = await importFile(t, await problemSheet(rows));
    expect(res.created).toHaveLength(3);
    const [a, b, c] = ['TM-00001', 'TM-00002', 'TM-00003'].map((code) => res.created.find((p: any) => p.code === code));
    expect(a).toMatchObject({
      leadUnit: 'HBJ',
      responsibleUnits: ['HBJ', 'CGJ', 'JLJD'],
      deadline: '2026-12-31',
      tier: 'medium',
      status: 'assigned',
      recheckMonths: 6,
    });
    expect(b).toMatchObject({
      leadUnit: 'SLJ',
      responsibleUnits: ['SLJ', 'NYJ', 'JLJD'],
      deadline: '2026-05-31',
      tier: 'short',
      category: '水污染',
    });
    // 15 working days from Monday 2 March 2026.
    expect(c).toMatchObject({ leadUnit: 'NYJ', responsibleUnits: ['NYJ'], deadline: '2026-03-23' });

    const list = (await t.http.get('/api/problems').expect(200)).body;
    expect(list.total).toBe(3);
    for (const p of [a, b, c]) {
      const detail = (await t.http.get(`/api/problems/${p.id}`).expect(200)).body;
      expect(detail.processInstance).toMatchObject({ id: p.processInstanceId, status: 'active' });
      expect(detail.tasks).toEqual([
        expect.objectContaining({ name: '牵头单位签收', formKey: 'sign', candidateGroups: [p.leadUnit] }),
      ]);
      // 签收 within 3 working days: due at the end of Thursday 5 March, China time.
      expect(new Date(detail.tasks[0].dueAt).toISOString()).toBe('2026-03-05T16:00:00.000Z');
    }
    const [inst] = await t.db.query(`SELECT business_key, variables FROM engine_instance WHERE id = $1`, [
      a.processInstanceId,
    ]);
    expect(inst.business_key).toBe('TM-00001');
    expect(inst.variables).toMatchObject({
      leadUnit: 'HBJ',
      coUnits: ['CGJ', 'JLJD'],
      deadline: '2026-12-31',
      recheckMonths: 6,
    });
  });

  it('refuses codes already in the ledger', async () => {
    const res = await upload(t, await problemSheet([problemRow(2), problemRow(9)])).expect(422);
    expect(res.body.errors).toEqual([{ row: 2, column: '编号', message: '编号 TM-00002 已在台账中' }]);
    expect(await count('problem')).toBe(3);
  });

  it('filters the ledger by unit, category, status, search, due date and overdue, with paging', async () => {
    const q = async (query: Record<string, unknown>) =>
      (await t.http.get('/api/problems').query(query).expect(200)).body;
    expect((await q({ unit: 'JLJD' })).items.map((p: any) => p.code).sort()).toEqual(['TM-00001', 'TM-00002']);
    expect((await q({ category: '水污染' })).total).toBe(1);
    expect((await q({ status: 'assigned', pageSize: 2 })).items).toHaveLength(2);
    expect((await q({ status: 'assigned', pageSize: 2, page: 2 })).items).toHaveLength(1);
    expect((await q({ q: '00003' })).items[0].code).toBe('TM-00003');
    expect((await q({ dueBefore: '2026-06-01' })).total).toBe(2);
    expect((await q({ overdue: true })).total).toBe(0);
    await t.http.get('/api/problems').query({ pageSize: 500 }).expect(422);
    await t.http.get('/api/problems').query({ status: 'lost' }).expect(422);
    await t.http.get('/api/problems/TM-404').expect(404);
    expect((await t.http.get('/api/problems/TM-00002').expect(200)).body.code).toBe('TM-00002');

    t.clock.pin(Date.parse('2026-03-25T01:00:00Z'));
    const overdue = await q({ overdue: true });
    expect(overdue.items.map((p: any) => [p.code, p.overdueDays])).toEqual([['TM-00003', 2]]);
    // One lateness, in working days by the calendar, with the calendar days of the same span beside them:
    // from Monday 23 March to Tuesday 7 April 2026, 15 days, of which 清明 (4–6 April) and two weekends are rest.
    t.clock.pin(Date.parse('2026-04-07T01:00:00Z'));
    const [late] = (await q({ overdue: true })).items;
    expect(late).toMatchObject({
      code: 'TM-00003',
      overdueDays: 15,
      overdueWorkdays: 10,
      overdueText: '逾期 10 个工作日（15 天）',
    });
    expect((await t.http.get('/api/problems/TM-00003').expect(200)).body).toMatchObject({
      overdueWorkdays: 10,
      overdueText: '逾期 10 个工作日（15 天）',
    });
    expect((await t.http.get('/api/problems/TM-00002').expect(200)).body).toMatchObject({
      overdueDays: 0,
      overdueWorkdays: 0,
      overdueText: null,
    });
    t.clock.pin(MONDAY);
  });

  it('exports the whole ledger with Chinese statuses and lights', async () => {
    const res = await t.http.get('/api/ledger.xlsx').buffer(true).parse(binary).expect(200);
    const ws = (await readWorkbook(res.body)).worksheets[0];
    expect(rowValues(ws, 1)).toEqual([
      '编号',
      '问题',
      '类别',
      '牵头单位',
      '责任单位',
      '责任人',
      '整改时限',
      '状态',
      '灯色',
      '逾期工作日',
      '逾期天数(日历)',
      '销号日期',
    ]);
    expect(ws.actualRowCount).toBe(4);
    const first = rowValues(ws, 2);
    expect(first.slice(0, 6)).toEqual([
      'TM-00001',
      '第1号问题：城区餐饮油烟直排',
      '大气污染',
      '市环保局',
      '市环保局、市城管局、竟陵街道办事处',
      '张三',
    ]);
    expect((first[6] as Date).toISOString().slice(0, 10)).toBe('2026-12-31');
    expect(first.slice(7, 11)).toEqual(['已交办', '绿', 0, 0]);
  });

  it('exports lateness in working days, with the calendar days beside them', async () => {
    t.clock.pin(Date.parse('2026-04-07T01:00:00Z'));
    try {
      const res = await t.http.get('/api/ledger.xlsx').buffer(true).parse(binary).expect(200);
      const ws = (await readWorkbook(res.body)).worksheets[0];
      const rows = [2, 3, 4].map((n) => rowValues(ws, n));
      const late = rows.find((r) => r[0] === 'TM-00003')!;
      // As the problem page says it: 逾期 10 个工作日（15 天）.
      expect(late.slice(9, 11)).toEqual([10, 15]);
    } finally {
      t.clock.pin(MONDAY);
    }
  });

  it('answers an upload with its job, which only its uploader and admin read', async () => {
    const office = await t.as('office');
    const accepted = (
      await office
        .post('/api/problems/import')
        .attach('file', await problemSheet([problemRow(31)]), 'problems.xlsx')
        .expect(202)
    ).body;
    expect(accepted).toEqual({
      jobId: expect.any(String),
      rows: 1,
      warnings: [],
      statusUrl: `/api/problems/import/jobs/${accepted.jobId}`,
    });
    const job = await waitForImportJob(t, accepted.jobId, office);
    expect(job).toMatchObject({
      status: 'done',
      rows: 1,
      done: 1,
      errors: [],
      message: null,
      problems: [{ code: 'TM-00031', title: expect.any(String), processInstanceId: expect.any(String) }],
    });
    expect(new Date(job.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(job.startedAt).getTime());
    // Another office account is told there is no such job; admin reads it; a unit may not ask at all.
    const other = await t.app
      .get(AccountService)
      .create(
        { username: 'second-office', password: randomBytes(18).toString('base64url'), role: 'office' },
        { actor: 'system', actorName: 'test' },
      );
    const token = t.app.get(TokenService).issue(
      {
        accountId: other.id,
        username: 'second-office',
        role: 'office',
        unitCode: null,
        personId: null,
        personName: null,
      },
      0,
    );
    await request(t.app.getHttpServer()).get(accepted.statusUrl).set('authorization', `Bearer ${token}`).expect(404);
    expect((await t.http.get(accepted.statusUrl).expect(200)).body.status).toBe('done');
    await (await t.as('unit', 'HBJ')).get(accepted.statusUrl).expect(403);
    await t.http.get('/api/problems/import/jobs/not-a-uuid').expect(404);
    // The trail names the uploader: the file, then each problem.
    const [entry] = await t.db.query(
      `SELECT actor_name FROM audit_entry WHERE action = 'problem.imported' AND problem_id = $1`,
      [job.problems[0].id],
    );
    expect(entry.actor_name).toMatch(/office/);
  });

  // Last: it deploys a broken version of the process.
  it('stores nothing when a process fails to start on the third problem of a file', async () => {
    // 签收's due date read from the problem's title: a title that is not a date fails the start.
    const broken = readFileSync('processes/rectification.bpmn', 'utf8').replace(
      /(id="sign"[^>]*camunda:dueDate=")[^"]*"/,
      '$1${title}"',
    );
    expect(broken).toContain('camunda:dueDate="${title}"');
    await t.definitions.deploy('rectification', [{ resource: 'rectification.bpmn', content: broken }]);
    const before = {
      problems: await count('problem'),
      instances: await count('engine_instance'),
      tasks: await count('engine_task'),
    };
    const rows = [
      problemRow(21, { 问题: '2026-09-30' }),
      problemRow(22, { 问题: '2026-10-31' }),
      problemRow(23, { 问题: '不是日期' }),
    ];
    const accepted = (await upload(t, await problemSheet(rows)).expect(202)).body;
    const job = await waitForImportJob(t, accepted.jobId);
    expect(job).toMatchObject({ status: 'failed', rows: 3, message: expect.stringContaining('本文件未导入任何问题') });
    expect(job.errors).toEqual([{ row: 4, column: '', message: expect.stringContaining('不是日期') }]);
    expect(job.problems).toBeUndefined();
    expect({
      problems: await count('problem'),
      instances: await count('engine_instance'),
      tasks: await count('engine_task'),
    }).toEqual(before);
  });
});
