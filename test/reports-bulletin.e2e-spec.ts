import { binary, problemRow, problemSheet, readWorkbook, rowValues, importFile } from './support/xlsx.js';
import { cityUnits, clockTo, cst, deploy, docxText, signOff } from './support/reports.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * 月通报: per lead unit assigned, closed, overdue, on-time rate and rank, units named; published = frozen;
 * recomputing a published month later gives the same figures, whatever changed since.
 */
describe('monthly bulletin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(cst('2017-08-03T09:00:00'));
    await deploy(t, 'rectification');
    await cityUnits(t, [
      ['HBJ', '市环保局'],
      ['SWJ', '市水务局'],
      ['CGJ', '市城管局'],
    ]);
    const rows = [
      problemRow(1, {
        编号: 'B-1',
        问题: '加油站油气回收治理未完成',
        牵头单位: 'HBJ',
        责任单位: null,
        整改时限: '2017-09-15',
      }),
      problemRow(2, { 编号: 'B-2', 问题: '燃煤锅炉未淘汰', 牵头单位: 'HBJ', 责任单位: null, 整改时限: '2017-09-30' }),
      problemRow(3, {
        编号: 'B-3',
        问题: '河湖长制体系未建立',
        牵头单位: 'SWJ',
        责任单位: '市城管局',
        整改时限: '2017-12-31',
      }),
    ];
    await importFile(t, await problemSheet(rows));
    // 验收 on 09-04; the 公示 of five working days ends on 09-11: 销号 before the deadline.
    await clockTo(t, cst('2017-09-04T10:00:00'));
    await signOff(t, 'B-1');
    await clockTo(t, cst('2017-10-09T10:00:00'));
  });
  afterAll(() => t.close());

  it('computes a month from the dates: on-time rate, overdue, ranking, laggards, co-responsible units apart', async () => {
    const b = (await t.http.get('/api/bulletins/2017-09').expect(200)).body;
    expect(b).toMatchObject({
      month: '2017-09',
      published: false,
      documentNo: null,
      asOf: '2017-09-30T16:00:00.000Z',
      title: '关于2017年9月环保督察反馈问题整改情况的通报',
    });
    expect(b.issuer).toBe('天门市环境保护督察整改工作领导小组办公室');
    expect(
      b.units.map((u: any) => [u.rank, u.unit, u.assigned, u.closed, u.due, u.onTime, u.overdue, u.onTimeRate]),
    ).toEqual([
      [1, 'SWJ', 1, 0, 0, 0, 0, null],
      [2, 'HBJ', 2, 1, 2, 1, 1, 0.5],
    ]);
    expect(b.laggards).toEqual([
      { unit: 'HBJ', unitName: '市环保局', overdue: [expect.objectContaining({ code: 'B-2' })], missingReports: [] },
    ]);
    expect(b.coUnits).toEqual([
      {
        unit: 'CGJ',
        unitName: '市城管局',
        shared: 1,
        overdue: 0,
        parts: 0,
        partsDue: 0,
        partsOnTime: 0,
        partsLate: 0,
        partsOnTimeRate: null,
        rank: 1,
        lateParts: [],
        missingReports: [],
      },
    ]);
    expect(b.totals).toMatchObject({ assigned: 3, closed: 1, due: 2, onTime: 1, overdue: 1, onTimeRate: 0.5 });
    // August: nothing due yet, nothing named.
    expect((await t.http.get('/api/bulletins/2017-08').expect(200)).body).toMatchObject({
      laggards: [],
      totals: { assigned: 3, due: 0, overdue: 0 },
    });
    await t.http.get('/api/bulletins/2017-13').expect(422);
    await t.http.get('/api/bulletins/2017-11').expect(422);
  });

  it('publishes once a month is over, freezes it, and recomputes it to the same figures after the ledger changed', async () => {
    await t.http.post('/api/bulletins/2017-10/publish').expect(409);
    const published = (await t.http.post('/api/bulletins/2017-09/publish').expect(201)).body;
    expect(published).toMatchObject({
      published: true,
      documentNo: '督改通〔2017〕1号',
      publishedAt: '2017-10-09T02:00:00.000Z',
    });
    await t.http.post('/api/bulletins/2017-09/publish').expect(409);

    // Later: the overdue problem is signed off (late), another is renamed and handed to another unit.
    await clockTo(t, cst('2017-10-20T10:00:00'));
    await signOff(t, 'B-2');
    await t.db.query(
      `UPDATE problem SET title = '改名后的问题', status = 'rectifying', light = 'red' WHERE code = 'B-3'`,
    );

    const frozen = (await t.http.get('/api/bulletins/2017-09').expect(200)).body;
    expect(frozen).toEqual(published);
    const recomputed = (await t.http.get('/api/bulletins/2017-09?recompute=true').expect(200)).body;
    expect(recomputed.published).toBe(false);
    for (const k of ['asOf', 'totals', 'units', 'coUnits', 'laggards'] as const)
      expect([k, recomputed[k]]).toEqual([k, published[k]]);
    // October sees the late sign-off: due 2, on time 1, overdue 0.
    const october = (await t.http.get('/api/bulletins/2017-10').expect(200)).body;
    expect(october.units.find((u: any) => u.unit === 'HBJ')).toMatchObject({
      closed: 2,
      due: 2,
      onTime: 1,
      overdue: 0,
      onTimeRate: 0.5,
    });
    expect(october.laggards).toEqual([]);
    // The record itself refuses to change.
    await expect(t.db.query(`UPDATE bulletin SET document_no = 'x' WHERE month = '2017-09'`)).rejects.toThrow(/frozen/);
    expect((await t.http.get('/api/bulletins').expect(200)).body).toEqual([
      expect.objectContaining({ month: '2017-09', documentNo: '督改通〔2017〕1号' }),
    ]);
  });

  it('downloads the bulletin as a workbook and as an official document', async () => {
    const xlsx = await t.http.get('/api/bulletins/2017-09.xlsx').buffer().parse(binary).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const ws = (await readWorkbook(xlsx.body)).getWorksheet('通报排名')!;
    expect(ws.getCell(1, 1).value).toBe('关于2017年9月环保督察反馈问题整改情况的通报');
    expect(String(ws.getCell(2, 1).value)).toContain('督改通〔2017〕1号');
    expect(rowValues(ws, 5).slice(0, 9)).toEqual([1, '市水务局', 'SWJ', 1, 0, 0, 0, 0, '—']);
    expect(rowValues(ws, 6).slice(0, 10)).toEqual([2, '市环保局', 'HBJ', 2, 1, 2, 1, 1, '50.0%', 'B-2']);

    const docx = await t.http.get('/api/bulletins/2017-09.docx').buffer().parse(binary).expect(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.headers['content-disposition']).toContain(
      encodeURIComponent('关于2017年9月环保督察反馈问题整改情况的通报.docx'),
    );
    const text = await docxText(docx.body);
    for (const s of [
      '天门市环境保护督察整改工作领导小组办公室',
      '督改通〔2017〕1号',
      '关于2017年9月环保督察反馈问题整改情况的通报',
      '截至2017年9月30日',
      '按期完成率50.0%',
      '市环保局：逾期未销号1个（B-2“燃煤锅炉未淘汰”）',
      '2017年10月9日',
    ]) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
  });

  it('lets every role read a published bulletin, only the office publish', async () => {
    const unit = await t.as('unit', 'HBJ');
    await unit.get('/api/bulletins/2017-09').expect(200);
    await unit.get('/api/bulletins/2017-09.xlsx').expect(200);
    await unit.get('/api/bulletins/2017-09.docx').expect(200);
    await unit.post('/api/bulletins/2017-10/publish').expect(403);
    await (await t.as('leader')).post('/api/bulletins/2017-10/publish').expect(403);
  });

  it('keeps a draft (a month not published, or recomputed) to the office, leaders and inspectors', async () => {
    const unit = await t.as('unit', 'HBJ');
    const drafts = ['/api/bulletins/2017-10', '/api/bulletins/2017-10.xlsx', '/api/bulletins/2017-10.docx'];
    const refused = { statusCode: 403, error: 'Forbidden', message: '当前账号无权进行此操作' };
    for (const path of [...drafts, '/api/bulletins/2017-09?recompute=true']) {
      const res = await unit.get(path);
      expect([path, res.status, res.body]).toEqual([path, 403, refused]);
      for (const role of ['office', 'leader', 'inspector'] as const) {
        expect([path, role, (await (await t.as(role)).get(path)).status]).toEqual([path, role, 200]);
      }
    }
    // A month that is no month is refused to a unit like a draft: it learns nothing.
    await unit.get('/api/bulletins/2017-13').expect(403);
    expect((await unit.get('/api/bulletins').expect(200)).body.map((b: any) => b.month)).toEqual(['2017-09']);
  });
});
