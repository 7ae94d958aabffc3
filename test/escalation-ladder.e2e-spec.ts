import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import { camundaModdle } from '../src/engine/runtime/bpmn-runtime.js';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { DAY, startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const HOUR = 3_600_000;

describe('escalation-ladder.bpmn: 提醒 → 督办单 → 通报 → 约谈 → 专项督察 → 追责, driven by the clock', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  let zhangsan: string;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await seedUnits(t);
    zhangsan = (await t.http.post('/api/persons').send({ name: '张三', unitCode: 'HBJ', role: 'handler' }).expect(201))
      .body.id;
    const rows = [
      problemRow(1, { 编号: 'ON-TIME', 责任单位: null, 整改时限: '2026-04-30' }),
      problemRow(2, { 编号: 'LATE-KEPT', 责任单位: null, 整改时限: '2026-03-20' }),
      problemRow(3, {
        编号: 'LATE-MISSED',
        牵头单位: '市水利局',
        责任单位: null,
        责任人: '赵六',
        整改时限: '2026-03-20',
      }),
    ];
    await importFile(t, await problemSheet(rows));
    d = supervisionDriver(t);
    await d.settle();
  });
  afterAll(() => t.close());

  const types = async (code: string) => (await d.actions(code)).map((a: any) => a.type);

  it('starts one ladder per assigned problem with the thresholds as variables, waiting for the reminder day', async () => {
    const ladder = await d.ladder('LATE-KEPT');
    expect(ladder).toMatchObject({ status: 'active' });
    expect(ladder.variables).toMatchObject({
      deadline: '2026-03-20',
      remindBefore: 5,
      bulletinAfter: 10,
      interviewAfter: 20,
      inspectionAfter: 30,
      accountabilityAfter: 40,
    });
    const remindOn = d.addWorkdays('2026-03-20', -5);
    expect(remindOn).toBe('2026-03-13');
    // The rung's own timer, drawn in the BPMN, its day count from the settings.
    const timer = await d.ladderTimer('LATE-KEPT');
    expect(timer).toMatchObject({ activity_id: 'tReminder', spec: 'workdays(-5, 2026-03-20)' });
    expect(new Date(timer.expire_at).getTime()).toBe(d.endOf(remindOn));
    expect((await d.problem('LATE-KEPT')).light).toBe('green');
    expect(await types('LATE-KEPT')).toEqual([]);
  });

  it('takes no action on a problem signed off before its reminder, and ends its ladder on 已销号', async () => {
    await d.toRectifying('ON-TIME', '2026-04-30');
    await d.signOff('ON-TIME');
    expect((await d.problem('ON-TIME')).status).toBe('closed');
    const ladder = await d.ladder('ON-TIME');
    expect(ladder.status).toBe('completed');
    const ends = await t.db.query(
      `SELECT activity_id FROM engine_history WHERE instance_id = $1 AND activity_id IN ('bSigned', 'endClosed') ORDER BY activity_id`,
      [ladder.id],
    );
    expect(ends.map((e: any) => e.activity_id)).toEqual(['bSigned', 'endClosed']);
  });

  it('reminds the responsible person after the 5th working day before the deadline, dated 09:00 of the next working day: blue, notified', async () => {
    await t.http
      .post('/api/notify/channels')
      .send({ ownerType: 'unit', ownerCode: 'HBJ', kind: 'inapp', label: '环保局站内消息' })
      .expect(201);
    await d.at(d.endOf('2026-03-13') - HOUR);
    expect(await types('LATE-KEPT')).toEqual([]);
    await d.at(d.endOf('2026-03-13') + HOUR);
    const [reminder] = await d.actions('LATE-KEPT');
    expect(reminder).toMatchObject({
      type: 'reminder',
      status: 'issued',
      unitCode: 'HBJ',
      personId: zhangsan,
      deadline: '2026-03-20',
      documentNo: null,
    });
    // 13 March is a Friday: the reminder is dated Monday 16 March, 09:00.
    expect(reminder.issuedAt).toBe('2026-03-16T01:00:00.000Z');
    expect(reminder.body).toMatchObject({
      problemCode: 'LATE-KEPT',
      deadline: '2026-03-20',
      workdaysLeft: 5,
      responsiblePerson: '张三',
      ladderDeadline: '2026-03-20',
    });
    expect((await d.problem('LATE-KEPT')).light).toBe('blue');
    expect(await types('LATE-MISSED')).toEqual(['reminder']);
    const sent = await t.db.query(`SELECT event_kind, payload FROM notify_outbox WHERE event_key = $1`, [
      `supervision:${reminder.id}`,
    ]);
    expect(sent).toEqual([
      { event_kind: 'reminder', payload: expect.objectContaining({ title: expect.stringContaining('LATE-KEPT') }) },
    ]);
    expect(await d.ladderTimer('LATE-KEPT')).toMatchObject({ activity_id: 'tNotice', spec: 'workdays(0, 2026-03-20)' });
    // Waiting for the next rung, the ladder listens once for each message.
    const subs = await t.db.query(
      `SELECT s.name FROM engine_subscription s JOIN engine_instance i ON i.id = s.instance_id WHERE i.business_key = 'LATE-KEPT' AND i.definition_key = 'escalation-ladder' ORDER BY s.name`,
    );
    expect([...new Set(subs.map((x: any) => x.name))]).toEqual(['已销号', '期限变更']);
    const waiting = await t.db.query(
      `SELECT activity_id FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id WHERE i.business_key = 'LATE-KEPT' AND i.definition_key = 'escalation-ladder' AND h.ended_at IS NULL ORDER BY activity_id`,
    );
    expect(waiting.map((x: any) => x.activity_id)).toEqual(['bChanged', 'bSigned', 'ladder', 'tNotice']);
  });

  it('sends the lead unit a 督办单 once the deadline day is over: red, numbered', async () => {
    await d.at(d.endOf('2026-03-20') - HOUR);
    expect(await types('LATE-KEPT')).toEqual(['reminder']);
    await d.at(d.endOf('2026-03-20') + HOUR);
    const notices = (await d.actions('', { type: 'notice' })).map((a: any) => [a.problemCode, a.documentNo, a.status]);
    expect(notices.sort()).toEqual([
      ['LATE-KEPT', expect.stringMatching(/^督办〔2026〕[12]号$/), 'issued'],
      ['LATE-MISSED', expect.stringMatching(/^督办〔2026〕[12]号$/), 'issued'],
    ]);
    expect(new Set(notices.map((n: any) => n[1])).size).toBe(2);
    expect((await d.problem('LATE-KEPT')).light).toBe('red');
    const [notice] = await d.actions('LATE-KEPT', { type: 'notice' });
    // Due at the end of Friday 20 March: issued Monday 23 March 09:00, answer in 5 working days (the settings).
    expect(notice.issuedAt).toBe('2026-03-23T01:00:00.000Z');
    expect(notice.body).toMatchObject({
      overdueSince: '2026-03-20',
      replyDays: 5,
      replyBy: d.addWorkdays('2026-03-23', 5),
    });
  });

  it('names the problem in a bulletin at 10 working days overdue', async () => {
    const on = d.addWorkdays('2026-03-20', 10);
    expect(on).toBe('2026-04-03');
    await d.at(d.endOf(on) - HOUR);
    expect(await types('LATE-KEPT')).toEqual(['reminder', 'notice']);
    await d.at(d.endOf(on) + HOUR);
    const [bulletin] = await d.actions('LATE-KEPT', { type: 'bulletin' });
    expect(bulletin).toMatchObject({
      status: 'issued',
      documentNo: expect.stringMatching(/^通报〔2026〕\d号$/),
      body: expect.objectContaining({ overdueWorkdays: 10, month: '2026-04' }),
    });
    // 3 April is a Friday before 清明 (4–6 April): dated Tuesday 7 April.
    expect(bulletin.issuedAt).toBe('2026-04-07T01:00:00.000Z');
  });

  it('opens an interview at 20 working days overdue: scheduled, held, the unit commits to a new date', async () => {
    const on = d.addWorkdays('2026-03-20', 20);
    await d.at(d.endOf(on) + HOUR);
    for (const code of ['LATE-KEPT', 'LATE-MISSED']) {
      expect(await types(code)).toEqual(['reminder', 'notice', 'bulletin', 'interview']);
      expect(
        (await d.tasks(code))
          .filter((x) => x.definition_key === 'interview')
          .map((x) => [x.activity_id, x.candidate_groups, x.form_key]),
      ).toEqual([['schedule', ['office'], 'interview-schedule']]);
    }
    // A bad form keeps the task open.
    await expect(d.complete('LATE-KEPT', 'schedule', { interviewPlace: '市政府会议室' })).rejects.toMatchObject({
      status: 422,
    });
    // Through the inbox: the office schedules (attendees as one text), the unit commits.
    const office = await t.as('office');
    const schedule = (await d.tasks('LATE-KEPT')).find((x) => x.activity_id === 'schedule')!;
    await office
      .post(`/api/tasks/${schedule.id}/complete`)
      .send({ interviewDate: '2026-04-23', interviewPlace: '市政府3楼会议室', attendees: '常务副市长、市环保局局长' })
      .expect(200);
    await d.settle();
    for (const code of ['LATE-KEPT', 'LATE-MISSED']) {
      if (code === 'LATE-MISSED')
        await d.complete(code, 'schedule', {
          interviewDate: '2026-04-23',
          interviewPlace: '市政府3楼会议室',
          attendees: ['常务副市长', '市水利局局长'],
        });
      await d.complete(code, 'hold', { minutes: '单位主要负责人作表态发言，承诺限期整改到位' });
      await expect(
        d.complete(code, 'commit', { commitment: '完成整改', commitmentDeadline: '2026-01-01' }),
      ).rejects.toMatchObject({ status: 422 });
      const commit = (await d.tasks(code)).find((x) => x.activity_id === 'commit')!;
      const unit = await t.as('unit', code === 'LATE-KEPT' ? 'HBJ' : 'SLJ');
      const by = code === 'LATE-KEPT' ? '2026-05-15' : '2026-04-24';
      await unit
        .post(`/api/tasks/${commit.id}/complete`)
        .send({ commitment: '限期完成全部整改并申请销号', commitmentDeadline: by })
        .expect(200);
      await d.settle();
    }
    const [interview] = await d.actions('LATE-KEPT', { type: 'interview' });
    expect(interview).toMatchObject({
      status: 'committed',
      deadline: '2026-05-15',
      documentNo: expect.stringMatching(/^约谈〔2026〕\d号$/),
      body: expect.objectContaining({
        interviewDate: '2026-04-23',
        attendees: ['常务副市长', '市环保局局长'],
        minutes: expect.stringContaining('表态'),
        commitmentDeadline: '2026-05-15',
      }),
    });
  });

  it('ends an interview whose commitment the office confirms kept, without escalating', async () => {
    const [kept] = await d.actions('LATE-KEPT', { type: 'interview' });
    await t.http.post(`/api/supervision/actions/${kept.id}/commitment-kept`).expect(200);
    await d.settle();
    expect((await d.actions('LATE-KEPT', { type: 'interview' }))[0]).toMatchObject({
      status: 'kept',
      closedAt: expect.any(String),
    });
    await t.http.post(`/api/supervision/actions/${kept.id}/commitment-kept`).expect(409);
    // The interview ran beside the ladder: it waits for its 专项督察 day, or a missed commitment.
    expect(await d.ladderTimer('LATE-KEPT')).toMatchObject({
      activity_id: 'tInspection',
      spec: 'workdays(30, 2026-03-20)',
    });
  });

  it('escalates a missed commitment to a special inspection at once; findings without accountability close it', async () => {
    expect(await types('LATE-MISSED')).toEqual(['reminder', 'notice', 'bulletin', 'interview']);
    await d.at(d.endOf('2026-04-24') + HOUR);
    const [missed] = await d.actions('LATE-MISSED', { type: 'interview' });
    expect(missed.status).toBe('missed');
    expect(await types('LATE-MISSED')).toEqual(['reminder', 'notice', 'bulletin', 'interview', 'inspection']);
    const [inspection] = await d.actions('LATE-MISSED', { type: 'inspection' });
    expect(inspection).toMatchObject({
      status: 'open',
      documentNo: '督察〔2026〕1号',
      body: expect.objectContaining({ reason: '约谈整改承诺未兑现', mode: '专项督察' }),
    });
    expect(
      (await d.tasks('LATE-MISSED')).map((x) => [x.definition_key, x.activity_id, x.candidate_groups, x.form_key]),
    ).toEqual(expect.arrayContaining([['inspection', 'inspect', ['inspector'], 'inspection-findings']]));
    await expect(d.complete('LATE-MISSED', 'inspect', { findings: '已整改大部分' })).rejects.toMatchObject({
      status: 422,
    });
    await d.complete('LATE-MISSED', 'inspect', {
      findings: '暗查发现仍有两处直排口，已督促立即封堵',
      accountable: false,
    });
    expect((await d.actions('LATE-MISSED', { type: 'inspection' }))[0]).toMatchObject({
      status: 'closed',
      body: expect.objectContaining({ accountable: false }),
    });
    // The ladder goes on: 追责 when the problem is still open at 40 working days.
    expect(await d.ladderTimer('LATE-MISSED')).toMatchObject({
      activity_id: 'tAccountability',
      spec: 'workdays(40, 2026-03-20)',
    });
  });

  it('inspects at 30 working days overdue when the commitment was kept but the problem is still open; findings open 追责, recorded against unit and person', async () => {
    const on = d.addWorkdays('2026-03-20', 30);
    expect(await types('LATE-KEPT')).toEqual(['reminder', 'notice', 'bulletin', 'interview']);
    await d.at(d.endOf(on) + HOUR);
    expect(await types('LATE-KEPT')).toEqual(['reminder', 'notice', 'bulletin', 'interview', 'inspection']);
    expect(await types('LATE-MISSED')).toEqual(['reminder', 'notice', 'bulletin', 'interview', 'inspection']);
    await d.complete('LATE-KEPT', 'inspect', { findings: '承诺事项未落实，整改严重滞后', accountable: true });
    await d.complete('LATE-KEPT', 'investigate', { investigation: '经查，分管负责人履职不力' });
    await expect(d.complete('LATE-KEPT', 'decide', { measure: '罚款', persons: ['张三'] })).rejects.toMatchObject({
      status: 422,
    });
    await d.complete('LATE-KEPT', 'decide', {
      measure: '通报批评',
      persons: ['张三', { name: '李局长', unitCode: 'HBJ' }],
    });
    const [acc] = await d.actions('LATE-KEPT', { type: 'accountability' });
    expect(acc).toMatchObject({
      status: 'decided',
      unitCode: 'HBJ',
      documentNo: '问责〔2026〕1号',
      body: expect.objectContaining({ measure: '通报批评' }),
    });
    const detail = (await t.http.get(`/api/supervision/actions/${acc.id}`).expect(200)).body;
    expect(detail.records.map((r: any) => [r.unitCode, r.personName, r.personId, r.measure]).sort()).toEqual([
      ['HBJ', '张三', zhangsan, '通报批评'],
      ['HBJ', '李局长', null, '通报批评'],
    ]);
    expect((await d.actions('LATE-KEPT', { type: 'inspection' }))[0].status).toBe('referred');
    expect((await d.problem('LATE-KEPT')).light).toBe('red');
  });

  it('opens 追责 at 40 working days overdue with nobody acting; once only where the inspection opened it already', async () => {
    const on = d.addWorkdays('2026-03-20', 40);
    await d.at(d.endOf(on) + HOUR);
    const [acc] = await d.actions('LATE-MISSED', { type: 'accountability' });
    expect(acc).toMatchObject({
      status: 'open',
      documentNo: '问责〔2026〕2号',
      body: expect.objectContaining({ trigger: 'ladder', reason: '超过整改时限40个工作日仍未销号' }),
    });
    expect(
      (await d.tasks('LATE-MISSED')).filter((x) => x.definition_key === 'accountability').map((x) => x.activity_id),
    ).toEqual(['investigate']);
    expect((await d.actions('LATE-KEPT', { type: 'accountability' })).length).toBe(1);
    for (const code of ['LATE-KEPT', 'LATE-MISSED']) expect((await d.ladder(code)).status).toBe('completed');
    await d.complete('LATE-MISSED', 'investigate', { investigation: '责任单位未落实整改' });
    await d.complete('LATE-MISSED', 'decide', { measure: '诫勉', persons: ['赵六'] });
    expect(await d.actions('LATE-MISSED', { type: 'accountability' })).toEqual([
      expect.objectContaining({ id: acc.id, status: 'decided', body: expect.objectContaining({ measure: '诫勉' }) }),
    ]);
  });

  it('never acted on the problem signed off in time', async () => {
    expect(await types('ON-TIME')).toEqual([]);
    expect((await d.problem('ON-TIME')).light).toBe('green');
  });

  it('lists actions by unit, type and issue date, paged', async () => {
    const all = (await t.http.get('/api/supervision/actions').query({ unit: 'SLJ' }).expect(200)).body;
    expect(all.items.every((a: any) => a.unitCode === 'SLJ')).toBe(true);
    expect(all.total).toBe(6);
    const march = (
      await t.http.get('/api/supervision/actions').query({ from: '2026-03-01', to: '2026-03-31' }).expect(200)
    ).body;
    expect(march.items.map((a: any) => a.type).sort()).toEqual(['notice', 'notice', 'reminder', 'reminder']);
    const page = (await t.http.get('/api/supervision/actions').query({ pageSize: 2, page: 2 }).expect(200)).body;
    expect(page).toMatchObject({ page: 2, pageSize: 2, items: [expect.any(Object), expect.any(Object)] });
    await t.http.get('/api/supervision/actions').query({ type: 'nope' }).expect(422);
    await t.http.get('/api/supervision/actions/not-an-id').expect(404);
  });

  it('opens 追责 when 回头看 finds a signed-off problem rebounded (drawn in rectification.bpmn)', async () => {
    // The new round is due in 2027: the office has entered next year's arrangement.
    await t.http
      .put('/api/calendar/years/2027')
      .send({ holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] })
      .expect(200);
    await d.at(t.clock.now() + 190 * DAY); // 6 months after the sign-off of 2 March, then 回头看
    await d.complete('ON-TIME', 'recheck', { rebound: true, findings: '暗访发现油烟直排反弹' });
    const acc = (await d.tasks('ON-TIME')).filter((x) => x.definition_key === 'accountability');
    expect(acc.map((x) => x.activity_id)).toEqual(['investigate']);
    await d.complete('ON-TIME', 'investigate', { investigation: '整改不彻底' });
    await d.complete('ON-TIME', 'decide', { measure: '约谈提醒' });
    const [a] = await d.actions('ON-TIME', { type: 'accountability' });
    expect(a).toMatchObject({ body: expect.objectContaining({ trigger: 'rebound', reason: '回头看发现问题反弹' }) });
    const detail = (await t.http.get(`/api/supervision/actions/${a.id}`).expect(200)).body;
    expect(detail.records).toEqual([
      expect.objectContaining({ unitCode: 'HBJ', personName: null, measure: '约谈提醒' }),
    ]);
    const [round] = await t.db.query(
      `SELECT id FROM engine_instance WHERE definition_key = 'rectification' AND business_key = 'ON-TIME'`,
    );
    const drawn = await t.db.query(
      `SELECT activity_id FROM engine_history WHERE instance_id = $1 AND activity_id = 'reboundAccountability'`,
      [round.id],
    );
    expect(drawn).toHaveLength(1);
    // The new round has a ladder of its own.
    expect(await d.ladder('ON-TIME-R2')).toMatchObject({ status: 'active' });
  });
});

describe('supervision diagrams', () => {
  it.each(['escalation-ladder', 'interview', 'inspection', 'accountability', 'extension'])(
    '%s.bpmn: a shape per node, an edge per flow joined at the shapes, no overlaps, left to right',
    async (name) => {
      const { rootElement: defs, warnings } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(
        readFileSync(`processes/${name}.bpmn`, 'utf8'),
      );
      expect(warnings).toEqual([]);
      const process = defs.rootElements.find((e: any) => e.$type === 'bpmn:Process');
      expect(process.id).toBe(name);
      const plane = defs.diagrams[0].plane;
      expect(plane.bpmnElement.id).toBe(name);
      const shapes = new Map<string, any>(
        plane.planeElement
          .filter((x: any) => x.$type === 'bpmndi:BPMNShape')
          .map((x: any) => [x.bpmnElement.id, x.bounds]),
      );
      const edges = new Map<string, any[]>(
        plane.planeElement
          .filter((x: any) => x.$type === 'bpmndi:BPMNEdge')
          .map((x: any) => [x.bpmnElement.id, x.waypoint]),
      );
      const all: any[] = [];
      const walk = (els: any[]) => els.forEach((e: any) => (all.push(e), e.flowElements && walk(e.flowElements)));
      walk(process.flowElements);
      const nodes = all.filter((e: any) => e.$type !== 'bpmn:SequenceFlow');
      const flows = all.filter((e: any) => e.$type === 'bpmn:SequenceFlow');
      const byId = new Map<string, any>(nodes.map((n: any) => [n.id, n]));
      // A subprocess holds its elements, and its boundary events sit on its border.
      const nested = (a: string, b: string) => {
        const [x, y] = [byId.get(a), byId.get(b)];
        return x?.$parent?.id === b || y?.$parent?.id === a || x?.attachedToRef?.id === b || y?.attachedToRef?.id === a;
      };
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
        for (let i = 1; i < wp.length; i++)
          expect([f.id, wp[i].x === wp[i - 1].x || wp[i].y === wp[i - 1].y]).toEqual([f.id, true]);
      }
      const boxes = [...shapes.entries()];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i][1], boxes[j][1]];
          if (nested(boxes[i][0], boxes[j][0])) continue;
          const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
          expect([boxes[i][0], boxes[j][0], overlap]).toEqual([boxes[i][0], boxes[j][0], false]);
        }
      }
      const xs = boxes.map(([, b]) => b.x + b.width);
      const start = nodes.find((n: any) => n.$type === 'bpmn:StartEvent');
      expect(shapes.get(start.id).x).toBe(Math.min(...boxes.map(([, b]) => b.x)));
      const ends = nodes
        .filter((n: any) => n.$type === 'bpmn:EndEvent')
        .map((n: any) => shapes.get(n.id).x + shapes.get(n.id).width);
      expect(Math.max(...ends)).toBe(Math.max(...xs));
      // Every name a person reads is Chinese.
      for (const n of nodes.filter((x: any) => x.name))
        expect([n.id, /[\u4e00-\u9fa5]/.test(n.name)]).toEqual([n.id, true]);
    },
  );
});
