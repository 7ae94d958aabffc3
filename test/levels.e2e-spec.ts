import { readFileSync } from 'node:fs';
import { SELF_CHECK, endOfChinaDay, openNotice, siteCheck, uploadEvidence } from './support/signoff.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { binary, HEADERS, importFile, problemRow, problemSheet, readWorkbook } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const REFUSED = { statusCode: 403, error: 'Forbidden', message: '当前账号无权进行此操作' };

/**
 * Levels (省 → 市 → 县 → 乡镇): a province problem split into two county problems closes only when both are
 * signed off and its own verification passes, and each sign-off is filed up; a county office sees its own
 * county only; the unit tree keeps its levels in order.
 */
describe('levels: split problems, roll-up, 备案 and scoping by subtree', () => {
  let t: TestApp;
  const tasks = (code: string): Promise<{ id: string; activity_id: string }[]> =>
    t.db.query(`SELECT id, activity_id FROM engine_task WHERE business_key = $1 ORDER BY activity_id`, [code]);
  /** Completes the open task of `activityId` through the engine (the forms of each step have their own tests). */
  async function complete(code: string, activityId: string, vars: Record<string, unknown> = {}) {
    const task = (await tasks(code)).find((x) => x.activity_id === activityId);
    if (!task) throw new Error(`${code}: no open ${activityId}`);
    await t.engine.completeTask(task.id, vars);
  }
  /** 签收 → 方案 → 审核 → 整改 → 申请销号 (with evidence) → 自查: the problem waits at the office's 验收. */
  async function toVerify(code: string) {
    await complete(code, 'sign', {});
    await complete(code, 'plan', { summary: '方案', milestones: [{ title: '完成整治', dueDate: '2026-05-29' }] });
    await complete(code, 'review', { planApproved: true });
    await complete(code, 'rectify', { summary: '已完成' });
    await complete(code, 'apply', { summary: '整改完成', evidenceFileIds: await uploadEvidence(t, code) });
    await complete(code, 'selfCheck', SELF_CHECK);
  }
  const today = () => new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  /** 验收 passed with its site check, then the 公示 runs out with no objection: 销号. */
  async function verifyAndPassNotice(code: string) {
    await complete(code, 'verify', siteCheck(true, today()));
    await advance(1000);
    const notice = await openNotice(t, code);
    if (!notice) throw new Error(`${code}: no 公示 after 验收`);
    await advance(endOfChinaDay(notice.ends_on) - t.clock.now() + 1000);
  }
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: { status?: number; message?: string }) => ({ status: e.status, message: e.message }),
    );
  const advance = (ms: number) => t.http.post('/api/admin/clock/add').send({ offsetMilli: ms }).expect(200);

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
      { resource: 'signoff.bpmn', content: readFileSync('processes/signoff.bpmn') },
    ]);
    const units = [
      { code: 'HBS', name: '湖北省整改办', level: 'province' },
      { code: 'TMS', name: '天门市', parentCode: 'HBS', level: 'city' },
      { code: 'XA', name: '甲县', parentCode: 'TMS', level: 'county' },
      { code: 'XB', name: '乙县', parentCode: 'TMS', level: 'county' },
      { code: 'XAZ', name: '甲县城关镇', parentCode: 'XA', level: 'town' },
      { code: 'XAHB', name: '甲县环保局', parentCode: 'XA' },
    ];
    for (const u of units) await t.http.post('/api/units').send(u).expect(201);
    const res = await t.http.post('/api/problems').send({
      code: 'SZ-1',
      title: '汉江沿岸非法码头整治',
      category: '水环境',
      leadUnit: 'TMS',
      person: '周立新',
      deadline: '2026-06-30',
      source: '省整改办交办',
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => t.close());

  describe('the unit tree', () => {
    it('shows each unit with its level', async () => {
      const units = (await t.http.get('/api/units').expect(200)).body as { code: string; levelLabel: string }[];
      expect(units.find((u) => u.code === 'HBS')).toMatchObject({ level: 'province', levelLabel: '省级' });
      expect(units.find((u) => u.code === 'XAHB')).toMatchObject({ level: null, parentCode: 'XA' });
    });

    it("refuses a child at or above its parent's level, and a move that would put a unit's own units above it", async () => {
      const same = await t.http
        .post('/api/units')
        .send({ code: 'XC', name: '丙县', parentCode: 'XA', level: 'county' });
      expect(same.status).toBe(422);
      expect(same.body.message).toContain('下级单位的层级（县级）须低于上级单位的层级（县级）');
      // A department acts at its parent's level: a county under a county's department is still under a county.
      const under = await t.http
        .post('/api/units')
        .send({ code: 'XD', name: '丁县', parentCode: 'XAHB', level: 'county' });
      expect(under.status).toBe(422);
      const up = await t.http.patch('/api/units/XA').send({ level: 'town' });
      expect(up.status).toBe(422);
      expect(up.body.message).toContain('下级单位 XAZ 的层级（乡镇级）须低于本单位的层级（乡镇级）');
      const cycle = await t.http.patch('/api/units/TMS').send({ parentCode: 'XAZ' });
      expect(cycle.status).toBe(422);
      const bad = await t.http.post('/api/units').send({ code: 'XE', name: '戊县', level: 'district' });
      expect(bad.status).toBe(422);
      expect(bad.body.message).toContain('层级须为');
    });
  });

  describe('拆分下达', () => {
    it('refuses a bad split with the field named in Chinese', async () => {
      const split = (children: unknown) => t.http.post('/api/problems/SZ-1/split').send({ children });
      const cases: [unknown, string][] = [
        [[], '请至少拆分出一个下级问题'],
        [[{ unitCode: 'HBS', title: '省里', deadline: '2026-06-30' }], '不是牵头单位 天门市 的下级单位'],
        [[{ unitCode: 'NOPE', title: '没有', deadline: '2026-06-30' }], '没有编码为 NOPE 的单位'],
        [[{ unitCode: 'XA', title: '甲县', deadline: '2026-07-31' }], '晚于上级问题的整改时限 2026-06-30'],
        [[{ unitCode: 'XA', title: '甲县', deadline: '2026-02-27' }], '早于今天'],
        [
          [
            { unitCode: 'XA', title: '甲县', deadline: '2026-06-30' },
            { unitCode: 'XA', title: '甲县又一', deadline: '2026-06-30' },
          ],
          '出现了两次',
        ],
        [Array.from({ length: 31 }, () => ({ unitCode: 'XA', title: '甲', deadline: '2026-06-30' })), '一次最多拆分'],
        [[{ unitCode: 'XA', title: '', deadline: '2026-06-30' }], '请填写问题名称'],
      ];
      for (const [children, message] of cases) {
        const res = await split(children);
        expect([res.status, res.body.message]).toEqual([422, expect.stringContaining(message)]);
      }
      expect((await t.http.get('/api/problems/SZ-1').expect(200)).body.children).toEqual([]);
    });

    it('splits the problem into two county problems, each with its own rectification', async () => {
      const res = await t.http.post('/api/problems/SZ-1/split').send({
        children: [
          { unitCode: 'XA', title: '甲县段非法码头整治', deadline: '2026-05-29' },
          { unitCode: 'XB', title: '乙县段非法码头整治', deadline: '2026-06-30' },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.children.map((c: { code: string; leadUnit: string }) => [c.code, c.leadUnit])).toEqual([
        ['SZ-1-1', 'XA'],
        ['SZ-1-2', 'XB'],
      ]);
      expect(res.body.rollup).toEqual({ children: 2, signedOff: 0, percent: 0 });
      const child = (await t.http.get('/api/problems/SZ-1-1').expect(200)).body;
      expect(child).toMatchObject({ parentProblemId: res.body.id, deadline: '2026-05-29', status: 'assigned' });
      expect(child.parent).toMatchObject({ code: 'SZ-1' });
      expect((await tasks('SZ-1-1')).map((x) => x.activity_id)).toEqual(['sign']);
      expect(res.body.timeline.map((e: { label: string }) => e.label)).toContain('拆分下达');
    });

    it('keeps a county office to its own county: ledger, problem page, split, export, inbox', async () => {
      const [a, b] = [await t.as('office', 'XA'), await t.as('office', 'XB')];
      const list = (await a.get('/api/problems').query({ within: 'TMS', pageSize: 200 }).expect(200)).body;
      expect(list.items.map((p: { code: string }) => p.code)).toEqual(['SZ-1-1']);
      for (const url of ['/api/problems/SZ-1-2', '/api/problems/SZ-1', '/api/web/problems/SZ-1-2']) {
        const res = await a.get(url);
        expect([url, res.status, res.body]).toEqual([url, 403, REFUSED]);
      }
      await a.get('/api/problems/SZ-1-1').expect(200);
      const split = await a
        .post('/api/problems/SZ-1-2/split')
        .send({ children: [{ unitCode: 'XAZ', title: '镇', deadline: '2026-05-29' }] });
      expect([split.status, split.body]).toEqual([403, REFUSED]);
      // Its own problem, but a unit outside its subtree.
      const outside = await b
        .post('/api/problems/SZ-1-2/split')
        .send({ children: [{ unitCode: 'XAZ', title: '镇', deadline: '2026-05-29' }] });
      expect(outside.status).toBe(422);
      const sheet = await a.get('/api/ledger.xlsx').buffer(true).parse(binary).expect(200);
      const codes = (await readWorkbook(sheet.body)).worksheets[0].getColumn(1).values.slice(2);
      expect(codes).toEqual(['SZ-1-1']);
      const inbox = (await a.get('/api/inbox').expect(200)).body.items as { problem: { code: string } | null }[];
      expect(inbox.every((x) => x.problem?.code !== 'SZ-1-2')).toBe(true);
      const otherTask = (await tasks('SZ-1-2'))[0];
      const done = await a.post(`/api/tasks/${otherTask.id}/complete`).send({});
      expect([done.status, done.body]).toEqual([403, REFUSED]);
      // It assigns problems to the units of its subtree only.
      const assign = { code: 'XB-9', title: '乙县问题', category: '水环境', person: '某', deadline: '2026-06-30' };
      const foreign = await a.post('/api/problems').send({ ...assign, leadUnit: 'XB' });
      expect([foreign.status, foreign.body.message]).toEqual([422, 'leadUnit：乙县 不在本办公室督办的范围内']);
      // The Camunda-compatible API reads every process: not for an office of a lower level.
      const rest = await a.get('/engine-rest/task');
      expect([rest.status, rest.body.message]).toEqual([403, '当前账号无权进行此操作']);
      // Supervision actions: narrowed to its subtree whatever unit it names.
      const acts = await a.get('/api/supervision/actions').query({ within: 'HBS' }).expect(200);
      expect(acts.body.items.every((x: { unitCode: string }) => ['XA', 'XAZ', 'XAHB'].includes(x.unitCode))).toBe(true);
      // The battle map (挂图作战) shows its subtree's problems at each step.
      const at = (await a.get('/api/web/review/rectification/steps/sign/problems').expect(200)).body;
      expect(at.items.map((x: { code: string }) => x.code)).toEqual(['SZ-1-1']);
      const counts = (await a.get('/api/web/review/rectification').expect(200)).body;
      expect(JSON.stringify(counts)).not.toContain('SZ-1-2');
      // The dashboard counts its subtree's problems only.
      expect((await a.get('/api/web/dashboard').expect(200)).body.total).toBe(1);
      expect((await t.http.get('/api/web/dashboard').expect(200)).body.total).toBe(3);
      // The month's bulletin: its own county's lead units, counted and ranked among themselves (分级督办).
      const month = '2026-03';
      const whole = (await t.http.get(`/api/bulletins/${month}`).expect(200)).body;
      expect(whole.units.map((u: { unit: string }) => u.unit).sort()).toEqual(['TMS', 'XA', 'XB']);
      expect(whole.scope).toBeUndefined();
      const own = (await a.get(`/api/bulletins/${month}`).expect(200)).body;
      expect(own.scope).toEqual({ unit: 'XA', unitName: '甲县' });
      expect(own.units.map((u: { unit: string; rank: number }) => [u.unit, u.rank])).toEqual([['XA', 1]]);
      expect(own.totals).toMatchObject({ assigned: 1, units: 1 });
      expect(JSON.stringify(own)).not.toContain('SZ-1-2');
      const ownSheet = await a.get(`/api/bulletins/${month}.xlsx`).buffer(true).parse(binary).expect(200);
      const ranked = (await readWorkbook(ownSheet.body)).getWorksheet('通报排名')!.getColumn(3).values;
      expect(ranked).toContain('XA');
      expect(ranked).not.toContain('XB');
      // The persons of its own subtree's units: listed, added and corrected there only.
      const inXA = (
        await t.http.post('/api/persons').send({ name: '甲县经办人', unitCode: 'XAHB', role: 'handler' }).expect(201)
      ).body;
      const inXB = (
        await t.http.post('/api/persons').send({ name: '乙县经办人', unitCode: 'XB', role: 'handler' }).expect(201)
      ).body;
      const persons = (await a.get('/api/persons').expect(200)).body as { id: string; unitCode: string }[];
      expect(persons.map((x) => x.id)).toContain(inXA.id);
      expect(persons.every((x) => ['XA', 'XAZ', 'XAHB'].includes(x.unitCode))).toBe(true);
      expect((await a.get('/api/persons').query({ unit: 'XB' }).expect(200)).body).toEqual([]);
      const add = await a.post('/api/persons').send({ name: '越界', unitCode: 'XB', role: 'handler' });
      expect([add.status, add.body.message]).toEqual([422, 'unitCode：乙县 不在本办公室督办的范围内']);
      await a.patch(`/api/persons/${inXB.id}`).send({ phone: '13800000000' }).expect(404);
      const move = await a.patch(`/api/persons/${inXA.id}`).send({ unitCode: 'XB' });
      expect(move.status).toBe(422);
      await a.patch(`/api/persons/${inXA.id}`).send({ unitCode: 'XAZ' }).expect(200);
      // The office at the city's level sees both, and the parent.
      const city = await t.as('office', 'TMS');
      const all = (await city.get('/api/problems').expect(200)).body.items.map((p: { code: string }) => p.code);
      expect(all.sort()).toEqual(['SZ-1', 'SZ-1-1', 'SZ-1-2']);
    });

    it('imports a row for a unit of a lower level as a part of a problem above it (上级问题编号), within the office’s subtree', async () => {
      await t.http
        .post('/api/problems')
        .send({
          code: 'SZ-2',
          title: '汉江支流排污口整治',
          category: '水环境',
          leadUnit: 'TMS',
          person: '周立新',
          deadline: '2026-09-30',
        })
        .expect(201);
      const headers = [...HEADERS, '上级问题编号'];
      const row = (n: number, over: Record<string, unknown>, parent: string | null) => [
        ...problemRow(n, { 责任单位: null, 责任人: '王五', 整改时限: '2026-08-31', ...over }),
        parent,
      ];
      const city = await t.as('office', 'TMS');
      // Refused, every bad cell named: a parent not in the ledger, a unit not below the parent's lead, a later deadline.
      const bad = await city
        .post('/api/problems/import')
        .attach(
          'file',
          await problemSheet(
            [
              row(1, { 编号: 'SZ-2-A', 牵头单位: 'XA' }, 'NOPE-9'),
              row(2, { 编号: 'SZ-2-B', 牵头单位: 'HBS' }, 'SZ-2'),
              row(3, { 编号: 'SZ-2-C', 牵头单位: 'XA', 整改时限: '2026-10-30' }, 'SZ-2'),
            ],
            headers,
          ),
          'problems.xlsx',
        )
        .expect(422);
      expect(
        bad.body.errors.map((e: { row: number; column: string; message: string }) => [e.row, e.column, e.message]),
      ).toEqual([
        [2, '上级问题编号', '上级问题 NOPE-9 不在台账中'],
        [3, '牵头单位', '湖北省整改办 不在本办公室督办的范围内'],
        [3, '牵头单位', '湖北省整改办 不是上级问题 SZ-2 的牵头单位 天门市 的下级单位'],
        [4, '整改时限', '整改时限 2026-10-30 晚于上级问题的整改时限 2026-09-30'],
      ]);
      // A county office imports for its own county only.
      const county = await t.as('office', 'XA');
      const foreign = await county
        .post('/api/problems/import')
        .attach('file', await problemSheet([row(4, { 编号: 'XB-7', 牵头单位: 'XB' }, null)], headers), 'problems.xlsx')
        .expect(422);
      expect(foreign.body.errors).toEqual([
        expect.objectContaining({ column: '牵头单位', message: '乙县 不在本办公室督办的范围内' }),
      ]);
      const { created } = await importFile(
        t,
        await problemSheet([row(5, { 编号: 'SZ-2-1', 牵头单位: 'XA', 问题: '甲县段排污口封堵' }, 'SZ-2')], headers),
        city,
      );
      const parent = (await t.http.get('/api/problems/SZ-2').expect(200)).body;
      expect(created).toEqual([
        expect.objectContaining({ code: 'SZ-2-1', leadUnit: 'XA', parentProblemId: parent.id }),
      ]);
      expect(parent.rollup).toEqual({ children: 1, signedOff: 0, percent: 0 });
    });

    it('closes the province problem only when both county problems are signed off and its own 验收 passes', async () => {
      await toVerify('SZ-1-1');
      await toVerify('SZ-1-2');
      await toVerify('SZ-1');
      // Its own verification while the children are open is refused, and the task stays open.
      const early = await refusal(complete('SZ-1', 'verify', siteCheck(true, today())));
      expect(early).toEqual({
        status: 409,
        message: expect.stringContaining('下级问题尚未全部销号（SZ-1-1、SZ-1-2）'),
      });
      expect((await tasks('SZ-1')).map((x) => x.activity_id)).toEqual(['verify']);

      await verifyAndPassNotice('SZ-1-1');
      let parent = (await t.http.get('/api/problems/SZ-1').expect(200)).body;
      expect(parent.rollup).toEqual({ children: 2, signedOff: 1, percent: 50 });
      expect(parent.filings.map((f: { code: string; unitCode: string }) => [f.code, f.unitCode])).toEqual([
        ['SZ-1-1', 'XA'],
      ]);
      expect(parent.timeline.map((e: { label: string }) => e.label)).toContain('下级销号备案');
      const again = await refusal(complete('SZ-1', 'verify', siteCheck(true, today())));
      expect(again).toEqual({ status: 409, message: expect.stringContaining('SZ-1-2') });

      await verifyAndPassNotice('SZ-1-2');
      parent = (await t.http.get('/api/problems/SZ-1').expect(200)).body;
      expect(parent.status).not.toBe('closed');
      expect(parent.rollup).toEqual({ children: 2, signedOff: 2, percent: 100 });
      expect(parent.filings).toHaveLength(2);
      // The ledger row shows the roll-up too.
      const row = (await t.http.get('/api/problems').query({ q: 'SZ-1' }).expect(200)).body.items.find(
        (p: { code: string }) => p.code === 'SZ-1',
      );
      expect(row.rollup).toEqual({ children: 2, signedOff: 2, percent: 100 });

      await verifyAndPassNotice('SZ-1');
      parent = (await t.http.get('/api/problems/SZ-1').expect(200)).body;
      expect(parent.status).toBe('closed');
      expect(parent.signedOffAt).toBeTruthy();
      // A county office sees its filing only on its own problem: the parent is the city's.
      await (await t.as('office', 'XA')).get('/api/problems/SZ-1').expect(403);
      // No split of a closed problem.
      const late = await t.http
        .post('/api/problems/SZ-1/split')
        .send({ children: [{ unitCode: 'XA', title: '甲县', deadline: '2026-06-30' }] });
      expect(late.status).toBe(409);
      expect(late.body.message).toContain('已不在整改中');
    });
  });
});
