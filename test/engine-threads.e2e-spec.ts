import { readFileSync } from 'node:fs';
import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, upload, waitForImportJob } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const ROWS = 40;

/**
 * Engine threads (DUBAN_ENGINE_THREADS): the engine part of each step runs on a worker thread, an import's
 * next starts beside the current one's writes. What the office sees must be what it sees without them: every
 * problem with its own processes, due dates by the calendar, the ladder waiting for its reminder, a state a
 * thread wrote going on on the main thread (a timer's step runs its services there), and a failure on any
 * row leaving nothing of the file.
 */
describe('engine threads: a file of problems started beside its writes, then driven by the clock', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp({ DUBAN_ENGINE_THREADS: '2' });
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await seedUnits(t);
    d = supervisionDriver(t);
  });
  afterAll(() => t.close());

  it('imports a file of 40 problems: each bound to its own rectification and ladder, due dates by the calendar', async () => {
    const rows = Array.from({ length: ROWS }, (_, i) =>
      problemRow(i + 1, {
        编号: `TH-${String(i + 1).padStart(3, '0')}`,
        责任单位: null,
        整改时限: i % 2 ? '2026-03-20' : '2026-04-30',
      }),
    );
    const accepted = (await upload(t, await problemSheet(rows)).expect(202)).body;
    const job = await waitForImportJob(t, accepted.jobId);
    expect(job).toMatchObject({ status: 'done', rows: ROWS, done: ROWS });
    expect(job.problems).toHaveLength(ROWS);
    await d.settle();

    const bound: { code: string; deadline: string; key: string; definition_key: string }[] = await t.db.query(
      `SELECT p.code, p.deadline::text AS deadline, i.business_key AS key, i.definition_key
       FROM problem p JOIN engine_instance i ON i.id = p.process_instance_id ORDER BY p.code`,
    );
    expect(bound).toHaveLength(ROWS);
    for (const b of bound) expect(b).toMatchObject({ key: b.code, definition_key: 'rectification' });

    const signDue = d.endOf(d.addWorkdays('2026-03-02', 3));
    for (const b of bound) {
      const tasks = await d.tasks(b.code);
      expect(tasks.map((x) => [x.activity_id, x.candidate_groups, new Date(x.due_at!).getTime()])).toEqual([
        ['sign', ['HBJ'], signDue],
      ]);
      const timer = await d.ladderTimer(b.code);
      expect(timer).toMatchObject({ activity_id: 'tReminder', spec: `workdays(-5, ${b.deadline})` });
      expect(new Date(timer.expire_at).getTime()).toBe(d.endOf(d.addWorkdays(b.deadline, -5)));
    }
    expect(await count('engine_instance')).toBe(2 * ROWS);
    const trail = await t.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'problem.imported'`);
    expect(trail[0].n).toBe(ROWS);
  });

  it('goes on from what a thread stored: 签收 completed, then the reminder fired on the main thread', async () => {
    await d.complete('TH-002', 'sign', { signedBy: '张三' });
    expect((await d.tasks('TH-002')).map((x) => x.activity_id)).toEqual(['plan']);
    await d.at(d.endOf('2026-03-13') + 60_000);
    const actions = (await d.actions('TH-002')).map((a: { type: string }) => a.type);
    expect(actions).toContain('reminder');
    // The ladder of a problem due later still waits for its own day.
    expect((await d.ladderTimer('TH-001')).activity_id).toBe('tReminder');
  });

  it('stores nothing of a file whose 30th start fails, with the rows before it started on the threads', async () => {
    const broken = readFileSync('processes/rectification.bpmn', 'utf8').replace(
      /(id="sign"[^>]*camunda:dueDate=")[^"]*"/,
      '$1${title}"',
    );
    await t.definitions.deploy('rectification', [{ resource: 'rectification.bpmn', content: broken }]);
    const before = { problems: await count('problem'), instances: await count('engine_instance') };
    const rows = Array.from({ length: 40 }, (_, i) =>
      problemRow(100 + i, { 编号: `BR-${i + 1}`, 问题: i === 29 ? '不是日期' : '2026-09-30' }),
    );
    const accepted = (await upload(t, await problemSheet(rows)).expect(202)).body;
    const job = await waitForImportJob(t, accepted.jobId);
    expect(job).toMatchObject({ status: 'failed', message: expect.stringContaining('本文件未导入任何问题') });
    expect(job.errors).toEqual([{ row: 31, column: '', message: expect.stringContaining('不是日期') }]);
    expect({ problems: await count('problem'), instances: await count('engine_instance') }).toEqual(before);
  });
});
