import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const HOUR = 3_600_000;

/**
 * An import starts each problem's rectification (waiting for 签收) and, with its first task, its ladder (waiting
 * weeks for the first rung). Their starts are written without running bpmn-engine, with the rows the engine
 * would write; the engine runs at each one's first step. What the office and the units see does not change.
 */
describe('an import’s processes that only wait after their start: the engine put off until their first step', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await seedUnits(t);
    await t.http.post('/api/persons').send({ name: '张三', unitCode: 'HBJ', role: 'handler' }).expect(201);
    const rows = [
      problemRow(1, { 编号: 'FIRST', 责任单位: null, 整改时限: '2026-04-30' }),
      problemRow(2, { 编号: 'PUT-OFF', 责任单位: null, 整改时限: '2026-03-20' }),
      problemRow(3, { 编号: 'SIGNED', 责任单位: null, 整改时限: '2026-04-30' }),
      problemRow(4, { 编号: 'OVERDUE', 责任单位: null, 整改时限: '2026-02-20' }),
    ];
    await importFile(t, await problemSheet(rows));
    d = supervisionDriver(t);
    await d.settle();
  });
  afterAll(() => t.close());

  const deferred = async (code: string, key = 'escalation-ladder') => {
    const [row] = await t.db.query(
      `SELECT (state ? 'deferredStart') AS deferred FROM engine_instance WHERE definition_key = $2 AND business_key = $1`,
      [code, key],
    );
    return row?.deferred;
  };
  const rowsOf = async (code: string) => {
    const { id } = await d.ladder(code);
    const history = await t.db.query(
      `SELECT activity_id, activity_type, ended_at IS NULL AS open, execution_id FROM engine_history WHERE instance_id = $1 ORDER BY activity_id`,
      [id],
    );
    const subs = await t.db.query(
      `SELECT kind, name, activity_id, execution_id FROM engine_subscription WHERE instance_id = $1 ORDER BY activity_id, execution_id`,
      [id],
    );
    const timers = await t.db.query(`SELECT activity_id, execution_id, spec FROM engine_timer WHERE instance_id = $1`, [
      id,
    ]);
    return { history, subs, timers };
  };
  const shapeOf = (r: Awaited<ReturnType<typeof rowsOf>>) => ({
    history: r.history.map((h: any) => [h.activity_id, h.activity_type, h.open]),
    subs: r.subs.map((s: any) => [s.kind, s.name, s.activity_id]),
    timers: r.timers.map((x: any) => x.activity_id),
  });

  it('writes a put-off ladder with the rows of a ladder whose engine ran: history, subscriptions, its first rung', async () => {
    // The first ladder of this node runs its engine (and shows what a ladder's start does); the next are put off.
    expect(await deferred('FIRST')).toBe(false);
    expect(await deferred('PUT-OFF')).toBe(true);
    // One already past its rungs runs at once: its first rung fires in the start.
    expect(await deferred('OVERDUE')).toBe(false);
    const real = await rowsOf('FIRST');
    const put = await rowsOf('PUT-OFF');
    expect(shapeOf(put)).toEqual(shapeOf(real));
    expect(shapeOf(put).history).toEqual(
      expect.arrayContaining([
        ['ladder', 'bpmn:SubProcess', true],
        ['tReminder', 'bpmn:IntermediateCatchEvent', true],
        ['start', 'bpmn:StartEvent', false],
      ]),
    );
    expect(await d.ladderTimer('PUT-OFF')).toMatchObject({
      activity_id: 'tReminder',
      spec: 'workdays(-5, 2026-03-20)',
    });
    expect((await d.problem('PUT-OFF')).light).toBe('green');
  });

  it('puts off the rectification too: its first task is in the unit’s inbox as its engine would have made it', async () => {
    expect(await deferred('FIRST', 'rectification')).toBe(false);
    expect(await deferred('PUT-OFF', 'rectification')).toBe(true);
    const task = (code: string) =>
      t.db.query(
        `SELECT activity_id, name, candidate_groups, form_key, due_spec, properties FROM engine_task WHERE business_key = $1 AND definition_key = 'rectification'`,
        [code],
      );
    const [first] = await task('FIRST');
    const [put] = await task('PUT-OFF');
    expect(put).toEqual(first);
    expect(put).toMatchObject({
      activity_id: 'sign',
      name: '牵头单位签收',
      candidate_groups: ['HBJ'],
      form_key: 'sign',
    });
    const timers = await t.db.query(
      `SELECT tm.activity_id, tm.spec FROM engine_timer tm JOIN engine_instance i ON i.id = tm.instance_id
       WHERE i.definition_key = 'rectification' AND i.business_key = ANY($1) ORDER BY i.business_key`,
      [['FIRST', 'PUT-OFF']],
    );
    expect(timers.map((x: any) => x.activity_id)).toEqual(['signOverdue', 'signOverdue']);
    expect(timers[1].spec).toBe(timers[0].spec);
  });

  it('takes a settings change while put off: the first rung moves, the ladder stays put off', async () => {
    await t.http.put('/api/supervision/settings').send({ remindBefore: 3 }).expect(200);
    expect(await d.ladderTimer('PUT-OFF')).toMatchObject({
      activity_id: 'tReminder',
      spec: 'workdays(-3, 2026-03-20)',
    });
    expect(await deferred('PUT-OFF')).toBe(true);
    expect((await d.ladder('PUT-OFF')).variables.remindBefore).toBe(3);
  });

  it('signs, plans and signs off a put-off rectification; its put-off ladder ends on 已销号, as a running one', async () => {
    expect(await deferred('SIGNED')).toBe(true);
    expect(await deferred('SIGNED', 'rectification')).toBe(true);
    await d.toRectifying('SIGNED', '2026-04-30');
    expect(await deferred('SIGNED', 'rectification')).toBe(false);
    await d.signOff('SIGNED');
    const ladder = await d.ladder('SIGNED');
    expect(ladder.status).toBe('completed');
    const ends = await t.db.query(
      `SELECT activity_id FROM engine_history WHERE instance_id = $1 AND activity_id IN ('bSigned', 'endClosed') ORDER BY activity_id`,
      [ladder.id],
    );
    expect(ends.map((e: any) => e.activity_id)).toEqual(['bSigned', 'endClosed']);
  });

  it('reminds on the moved rung: its engine runs from the start it put off, its rows keep their ids', async () => {
    const before = await rowsOf('PUT-OFF');
    const remindOn = d.addWorkdays('2026-03-20', -3);
    await d.at(d.endOf(remindOn) - HOUR);
    expect((await d.actions('PUT-OFF')).map((a: any) => a.type)).toEqual([]);
    await d.at(d.endOf(remindOn) + HOUR);
    expect((await d.actions('PUT-OFF')).map((a: any) => a.type)).toEqual(['reminder']);
    expect(await deferred('PUT-OFF')).toBe(false);
    const after = await rowsOf('PUT-OFF');
    const id = (rows: typeof before, activity: string) =>
      rows.history.find((h: any) => h.activity_id === activity)?.execution_id;
    for (const activity of ['ladder', 'tReminder', 'bSigned', 'bChanged'])
      expect(id(after, activity)).toBe(id(before, activity));
    expect(after.history.find((h: any) => h.activity_id === 'tReminder').open).toBe(false);
    expect(after.subs.map((s: any) => s.execution_id)).toEqual(before.subs.map((s: any) => s.execution_id));
    expect(await d.ladderTimer('PUT-OFF')).toMatchObject({ activity_id: 'tNotice' });
    expect((await t.http.get('/api/incidents').expect(200)).body.total).toBe(0);
  });
});
