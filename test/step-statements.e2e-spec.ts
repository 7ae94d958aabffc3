import { StatementCounter } from '../bench/statement-counter.js';
import { approval, timerProcess } from '../bench/engine.bench.js';
import { DomainException } from '../src/common/domain-exception.js';
import { StepService } from '../src/engine/step.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The lean step: each common step (a start, a user task's completion, a timer firing) is at most four
 * statements, counted as PostgreSQL receives them: BEGIN, the read under the row lock (a start: its lookups),
 * the one write, COMMIT. Whatever the step leaves must be as a step of many statements left it.
 */
const LIMIT = 4;

describe('the lean step: statements per common step', () => {
  let t: TestApp;
  let counter: StatementCounter;
  beforeAll(async () => {
    t = await startTestApp();
    await t.definitions.deploy('lean', [
      { resource: 'bench.bpmn', content: approval },
      { resource: 'burst.bpmn', content: timerProcess },
    ]);
    counter = new StatementCounter(t.db);
    await t.engine.startProcess('bench', { businessKey: 'warm' });
  });
  afterAll(async () => {
    counter.close();
    await t.close();
  });

  const within = (name: string, m: { statements: number; sql: string[] }) => {
    if (m.statements > LIMIT)
      throw new Error(`${name}: ${m.statements} statements (at most ${LIMIT}):\n  ${m.sql.join('\n  ')}`);
  };

  it('starts an instance in at most 4 statements, inserted once with its task, history and trail', async () => {
    const start = await counter.measure(() =>
      t.engine.startProcess('bench', { businessKey: 'L-1', variables: { n: 1 } }),
    );
    within('start', start);
    expect(start.sql.filter((s) => /INSERT INTO engine_instance/.test(s))).toHaveLength(1);
    const inst = await t.engine.getInstance(start.value.id);
    expect(inst).toMatchObject({ status: 'active', version: 1, variables: { n: 1 }, business_key: 'L-1' });
    expect(start.value).toMatchObject({ id: inst.id, status: 'active', version: 1 });
    const [task] = await t.db.query(
      `SELECT id, execution_id, candidate_groups FROM engine_task WHERE instance_id = $1`,
      [inst.id],
    );
    expect(task.candidate_groups).toEqual(['office']);
    const history = await t.db.query(
      `SELECT activity_id, ended_at, task_id FROM engine_history WHERE instance_id = $1 ORDER BY started_at, activity_id`,
      [inst.id],
    );
    expect(history.find((h: { activity_id: string }) => h.activity_id === 't')).toMatchObject({
      ended_at: null,
      task_id: task.id,
    });
    const trail = await t.db.query(`SELECT action FROM audit_entry WHERE entity_id = $1`, [task.id]);
    expect(trail.map((r: { action: string }) => r.action)).toEqual(['task.created']);
  });

  it('completes a user task in at most 4 statements, answering the instance without reading it again', async () => {
    const inst = await t.engine.startProcess('bench', { businessKey: 'L-2' });
    const [task] = await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
    const complete = await counter.measure(() => t.engine.completeTask(task.id, { approved: true }));
    within('complete', complete);
    expect(complete.value).toMatchObject({ id: inst.id, status: 'completed', variables: { approved: true } });
    const stored = await t.engine.getInstance(inst.id);
    expect(stored).toMatchObject({ status: 'completed', version: 2, variables: { approved: true } });
    expect(stored.ended_at).not.toBeNull();
    expect(await t.db.query(`SELECT 1 FROM engine_task WHERE instance_id = $1`, [inst.id])).toHaveLength(0);
    const open = await t.db.query(`SELECT 1 FROM engine_history WHERE instance_id = $1 AND ended_at IS NULL`, [
      inst.id,
    ]);
    expect(open).toHaveLength(0);
    const trail = await t.db.query(`SELECT action FROM audit_entry WHERE details ->> 'instanceId' = $1 ORDER BY seq`, [
      inst.id,
    ]);
    expect(trail.map((r: { action: string }) => r.action)).toEqual(['task.created', 'task.ended', 'instance.ended']);
    // Completed: completing it again names the task as gone, never a 500.
    await expect(t.engine.completeTask(task.id, {})).rejects.toMatchObject({ status: 404 });
  });

  it('claims a task as it completes it in the same 4 statements: the history names who did it', async () => {
    const inst = await t.engine.startProcess('bench', { businessKey: 'L-5' });
    const [task] = await t.db.query(`SELECT id, execution_id FROM engine_task WHERE instance_id = $1`, [inst.id]);
    const complete = await counter.measure(() =>
      t.engine.completeTask(task.id, { approved: true }, undefined, { claimFor: 'unit-a' }),
    );
    within('complete and claim', complete);
    const [h] = await t.db.query(
      `SELECT assignee, ended_at FROM engine_history WHERE instance_id = $1 AND execution_id = $2`,
      [inst.id, task.execution_id],
    );
    expect(h.assignee).toBe('unit-a');
    expect(h.ended_at).not.toBeNull();
  });

  it('fires a due timer in at most 4 statements, and an early one not at all', async () => {
    const timed = await t.engine.startProcess('burst', {});
    const [timer] = await t.db.query(`SELECT id FROM engine_timer WHERE instance_id = $1`, [timed.id]);
    expect(await t.engine.fireTimer(timer.id, timed.id)).toBe('early');
    t.clock.add(2 * 3_600_000);
    const fire = await counter.measure(() => t.engine.fireTimer(timer.id, timed.id));
    within('timer', fire);
    expect(fire.value).toBe('fired');
    expect(await t.engine.getInstance(timed.id)).toMatchObject({ status: 'completed' });
    expect(await t.db.query(`SELECT 1 FROM engine_timer WHERE instance_id = $1`, [timed.id])).toHaveLength(0);
    expect(await t.engine.fireTimer(timer.id, timed.id)).toBe('gone');
  });

  it('completes a task twice at once: one completion, the other refused (404 or 409)', async () => {
    const inst = await t.engine.startProcess('bench', { businessKey: 'L-3' });
    const [task] = await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
    const both = await Promise.allSettled([
      t.engine.completeTask(task.id, { approved: true }),
      t.engine.completeTask(task.id, { approved: false }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(DomainException);
    // Gone by the time it was read (404), or completed while this one waited for the lock (409).
    expect([404, 409]).toContain(failed.reason.status);
    expect(await t.engine.getInstance(inst.id)).toMatchObject({ status: 'completed', version: 2 });
  });

  it("an HTTP completion's trail entry is written by the step's own transaction", async () => {
    const inst = await t.engine.startProcess('bench', { businessKey: 'L-4' });
    const [task] = await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
    const office = await t.as('office');
    const http = await counter.measureAll(() =>
      office.post(`/engine-rest/task/${task.id}/complete`).send({ variables: { approved: { value: true } } }),
    );
    expect(http.value.status).toBe(204);
    // No trail statement of its own after the step's COMMIT.
    const commit = http.sql.lastIndexOf('COMMIT');
    expect(http.sql.slice(commit + 1).filter((s) => /audit_pending/.test(s))).toEqual([]);
    const calls = await t.db.query(`SELECT action FROM audit_entry WHERE action = 'api.call' AND entity_id = $1`, [
      'POST /engine-rest/task/:id/complete',
    ]);
    expect(calls).toHaveLength(1);
    console.log(`HTTP completion: ${http.statements} statements\n  ${http.sql.join('\n  ')}`);
  });

  it("a listener's own statement sees the rows its step wrote, as a step of many statements left them", async () => {
    const seen: { version: number; tasks: number }[] = [];
    t.app.get(StepService).onStep(async (e, m, scope) => {
      if (e.type !== 'task.created' || scope.instance.business_key !== 'L-6') return;
      const rows = (await m.query(
        `SELECT i.version, (SELECT count(*)::int FROM engine_task k WHERE k.id = $1::uuid) AS tasks
         FROM engine_instance i WHERE i.id = $2::uuid`,
        [e.payload.taskId, e.instanceId],
      )) as { version: number; tasks: number }[];
      seen.push(...rows);
    });
    const inst = await t.engine.startProcess('bench', { businessKey: 'L-6' });
    expect(seen).toEqual([{ version: 1, tasks: 1 }]);
    expect(await t.engine.getInstance(inst.id)).toMatchObject({ status: 'active', version: 1 });
  });
});
