import { readFileSync } from 'node:fs';
import { chinaDate } from '../src/problems/rules/china-date.js';
import { MonthlyCycleStarter } from '../src/reports/monthly/monthly-cycle.starter.js';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

// The seed's own plan: dated 3 August 2017, 09:00 in China.
const PLAN_DAY = Date.parse('2017-08-03T01:00:00Z');
const RUNGS = ['reminder', 'notice', 'bulletin', 'interview', 'inspection', 'accountability'];

/** The ladder as deployed, with one more rung drawn in: 挂牌督办 at 15 working days overdue, a generic document. */
function ladderWithListedRung(): string {
  const xml = readFileSync('processes/escalation-ladder.bpmn', 'utf8');
  const rung = `
      <bpmn:intermediateCatchEvent id="tListed" name="逾期15个工作日">
        <bpmn:incoming>s_bulletin</bpmn:incoming><bpmn:outgoing>s_tListed</bpmn:outgoing>
        <bpmn:timerEventDefinition id="tListedDef">
          <bpmn:timeDate xsi:type="bpmn:tFormalExpression">workdays(15, \${environment.variables.deadline})</bpmn:timeDate>
        </bpmn:timerEventDefinition>
      </bpmn:intermediateCatchEvent>
      <bpmn:serviceTask id="listed" name="挂牌督办" implementation="\${environment.services.issueDocument}">
        <bpmn:extensionElements><camunda:properties><camunda:property name="kind" value="挂牌督办" /><camunda:property name="prefix" value="挂牌" /></camunda:properties></bpmn:extensionElements>
        <bpmn:incoming>s_tListed</bpmn:incoming><bpmn:outgoing>s_listed</bpmn:outgoing>
      </bpmn:serviceTask>
      <bpmn:sequenceFlow id="s_tListed" sourceRef="tListed" targetRef="listed" />
      <bpmn:sequenceFlow id="s_listed" sourceRef="listed" targetRef="tInterview" />`;
  const out = xml
    .replace(
      '<bpmn:sequenceFlow id="s_bulletin" sourceRef="bulletin" targetRef="tInterview" />',
      `<bpmn:sequenceFlow id="s_bulletin" sourceRef="bulletin" targetRef="tListed" />${rung}`,
    )
    .replace(
      /(<bpmn:intermediateCatchEvent id="tInterview"[^>]*>[\s\S]*?)<bpmn:incoming>s_bulletin<\/bpmn:incoming>/,
      '$1<bpmn:incoming>s_listed</bpmn:incoming>',
    );
  if (out === xml || !out.includes('targetRef="tListed"') || !out.includes('<bpmn:incoming>s_listed</bpmn:incoming>'))
    throw new Error('the ladder changed shape: update this test');
  return out;
}

describe('escalation-ladder.bpmn over the 2017–2018 calendar, nobody acting', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  let importAnswer: any;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(PLAN_DAY);
    await deploySupervision(t);
    await t.definitions.deploy('monthly', [
      { resource: 'monthly-cycle.bpmn', content: readFileSync('processes/monthly-cycle.bpmn') },
    ]);
    await seedUnits(t);
    await t.http.post('/api/persons').send({ name: '张三', unitCode: 'HBJ', role: 'handler' }).expect(201);
    const rows = [
      // Due on the Friday before National Day (30 September 2017 is a make-up working day, 1–8 October rest).
      problemRow(1, { 编号: 'NOBODY', 责任单位: null, 整改时限: '2017-09-29' }),
      // The seed's 油气回收, due 30 June 2017, assigned on 3 August: 23 working days late on arrival.
      problemRow(2, { 编号: 'LATE-ON-ARRIVAL', 问题: '加油站油气回收治理', 责任单位: null, 整改时限: '2017-06-30' }),
    ];
    importAnswer = await importFile(t, await problemSheet(rows));
    d = supervisionDriver(t);
    await d.settle();
    // The office adds a rung in the modeler: 挂牌督办 between 通报 and 约谈. No code changes.
    await t.definitions.deploy('ladder-listed', [
      { resource: 'escalation-ladder.bpmn', content: Buffer.from(ladderWithListedRung()) },
    ]);
    await importFile(
      t,
      await problemSheet([problemRow(3, { 编号: 'LISTED', 责任单位: null, 整改时限: '2017-09-29' })]),
    );
    await d.settle();
    await t.app.get(MonthlyCycleStarter).ensure();
    // Nobody signs, plans, schedules or answers: the clock runs to the end of June 2018.
    await d.at(Date.parse('2018-06-30T16:00:00Z'));
  }, 600_000);
  afterAll(() => t.close());

  const nextWorkdayAt9 = (date: string) => `${d.addWorkdays(date, 1)}T01:00:00.000Z`;

  it('accepts a deadline already passed at import, with a warning: overdue on arrival', () => {
    expect(importAnswer.created.map((p: any) => p.code).sort()).toEqual(['LATE-ON-ARRIVAL', 'NOBODY']);
    expect(importAnswer.warnings).toEqual([
      { row: 3, column: '整改时限', message: expect.stringContaining('交办即逾期') },
    ]);
  });

  it('goes 提醒 → 督办单 → 通报 → 约谈 → 专项督察 → 追责, each at 09:00 of the working day after its day', async () => {
    const actions = await d.actions('NOBODY');
    expect(
      actions.filter((a: any) => a.body.source !== 'monthly-cycle' && a.type !== 'urge').map((a: any) => a.type),
    ).toEqual(RUNGS);
    const days: Record<string, number> = {
      reminder: -5,
      notice: 0,
      bulletin: 10,
      interview: 20,
      inspection: 30,
      accountability: 40,
    };
    for (const a of actions.filter((x: any) => RUNGS.includes(x.type) && x.body.source !== 'monthly-cycle'))
      expect([a.type, a.issuedAt]).toEqual([a.type, nextWorkdayAt9(d.addWorkdays('2017-09-29', days[a.type]))]);
    // On the right days of the 2017 calendar: the 督办单 on Saturday 30 September, a make-up working day.
    expect(
      actions
        .filter((x: any) => RUNGS.includes(x.type) && x.body.source !== 'monthly-cycle')
        .map((a: any) => [a.type, a.issuedAt.slice(0, 10)]),
    ).toEqual([
      ['reminder', '2017-09-25'],
      ['notice', '2017-09-30'],
      ['bulletin', '2017-10-20'],
      ['interview', '2017-11-03'],
      ['inspection', '2017-11-17'],
      ['accountability', '2017-12-01'],
    ]);
    const [notice] = actions.filter((a: any) => a.type === 'notice' && a.body.source !== 'monthly-cycle');
    expect(notice).toMatchObject({
      documentNo: expect.stringMatching(/^督办〔2017〕\d+号$/),
      body: expect.objectContaining({ replyBy: d.addWorkdays('2017-09-30', 5) }),
    });
    const acc = actions.find((a: any) => a.type === 'accountability');
    expect(acc).toMatchObject({
      status: 'open',
      documentNo: expect.stringMatching(/^问责〔2017〕\d+号$/),
      body: expect.objectContaining({ trigger: 'ladder' }),
    });
    // The interview was never scheduled: it did not stop the ladder; its task is still open, overdue.
    expect((await d.tasks('NOBODY')).map((x) => `${x.definition_key}/${x.activity_id}`)).toEqual(
      expect.arrayContaining(['interview/schedule', 'inspection/inspect', 'accountability/investigate']),
    );
    expect((await d.ladder('NOBODY')).status).toBe('completed');
  });

  it('dates no action on a rest day', async () => {
    const all = (await t.http.get('/api/supervision/actions').query({ pageSize: '200' }).expect(200)).body.items;
    expect(all.length).toBeGreaterThan(10);
    const onRest = all
      .filter((a: any) => !d.calendar.current.isWorkday(chinaDate(Date.parse(a.issuedAt))))
      .map((a: any) => `${a.problemCode} ${a.type} ${a.issuedAt}`);
    expect(onRest).toEqual([]);
  });

  it('sends one monthly 督办单 per unit and cycle, listing its problems; the one after a ladder 督办单 cites it', async () => {
    const rows: { code: string; unit_code: string; document_no: string; body: any; issued_at: Date }[] =
      await t.db.query(
        `SELECT p.code, a.unit_code, a.document_no, a.body, a.issued_at FROM supervision_action a JOIN problem p ON p.id = a.problem_id
       WHERE a.type = 'notice' AND a.body->>'source' = 'monthly-cycle' ORDER BY a.issued_at, p.code`,
      );
    expect(rows.length).toBeGreaterThan(3);
    const cycles = new Map<string, typeof rows>();
    for (const r of rows)
      cycles.set(`${r.unit_code} ${r.body.bulletinMonth}`, [
        ...(cycles.get(`${r.unit_code} ${r.body.bulletinMonth}`) ?? []),
        r,
      ]);
    for (const [cycle, list] of cycles) {
      // One number per unit and month; each of its problems' records shows it, and it lists them all.
      expect([cycle, new Set(list.map((r) => r.document_no)).size]).toEqual([cycle, 1]);
      expect([cycle, list[0].body.problems.map((x: any) => x.code).sort()]).toEqual([
        cycle,
        list.map((r) => r.code).sort(),
      ]);
    }
    // The numbers of 督办单 run in one sequence per year, ladder and monthly together: no number twice.
    const all = (await d.actions('', { type: 'notice' })).map((a: any) => a.documentNo);
    expect(new Set(all).size).toBe(
      new Set(rows.map((r) => r.document_no)).size +
        (await d.actions('', { type: 'notice' })).filter((a: any) => a.body.source !== 'monthly-cycle').length,
    );
    // NOBODY's ladder 督办单 (Saturday 30 September, a working day) and October's monthly one (Monday 9 October,
    // the first working day after National Day) are one working day apart: the monthly one cites it.
    const [ladderNotice] = (await d.actions('NOBODY', { type: 'notice' })).filter(
      (a: any) => a.body.source !== 'monthly-cycle',
    );
    const october = rows.find((r) => r.code === 'NOBODY' && r.body.bulletinMonth === '2017-09')!;
    expect(chinaDate(october.issued_at.getTime())).toBe('2017-10-09');
    expect(october.body).toMatchObject({ cites: ladderNotice.documentNo });
    expect(october.body.text).toContain(`以${ladderNotice.documentNo}督办`);
  });

  it('gives a problem that arrived already overdue one action at the highest rung reached, naming the rungs skipped; no reminder', async () => {
    const actions = (await d.actions('LATE-ON-ARRIVAL')).filter(
      (a: any) => a.body.source !== 'monthly-cycle' && a.type !== 'urge',
    );
    // 23 working days late on 3 August: 约谈 at once, then the ladder goes on by its days.
    expect(actions.map((a: any) => a.type)).toEqual(['interview', 'inspection', 'accountability']);
    const [interview] = actions;
    expect(interview.issuedAt).toBe('2017-08-03T01:00:00.000Z');
    expect(interview.body).toMatchObject({ skipped: ['提醒', '督办单', '通报'] });
    expect(interview.body.text).toContain('该问题交办时已超过提醒、督办单、通报的时点');
    expect(actions[1].issuedAt).toBe(nextWorkdayAt9(d.addWorkdays('2017-06-30', 30)));
    expect(actions[1].body.skipped).toBeUndefined();
  });

  it('fires a rung added in the BPMN (挂牌督办) with no code change: numbered in a sequence of its own', async () => {
    const actions = (await d.actions('LISTED')).filter(
      (a: any) => a.body.source !== 'monthly-cycle' && a.type !== 'urge',
    );
    expect(actions.map((a: any) => a.type)).toEqual([
      'reminder',
      'notice',
      'bulletin',
      'document',
      'interview',
      'inspection',
      'accountability',
    ]);
    const listed = actions.find((a: any) => a.type === 'document');
    expect(listed).toMatchObject({
      documentNo: '挂牌〔2017〕1号',
      title: expect.stringContaining('挂牌督办'),
      issuedAt: nextWorkdayAt9(d.addWorkdays('2017-09-29', 15)),
      body: expect.objectContaining({ kind: '挂牌督办', rung: '挂牌督办', overdueWorkdays: 15 }),
    });
  });
});
