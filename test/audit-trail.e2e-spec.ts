import { readFileSync } from 'node:fs';
import { runCli } from '../src/cli/commands.js';
import { AuditService } from '../src/audit/audit.service.js';
import { bpmn, emptyDir, freshDatabaseEnv, realServers, startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z');
const HOUR = 3_600_000;

const approval = bpmn(
  `
  <process id="approval" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="approve"/>
    <userTask id="approve" name="审批" camunda:candidateGroups="office"/>
    <sequenceFlow id="f2" sourceRef="approve" targetRef="e"/>
    <endEvent id="e"/>
  </process>`,
  'approvalDefs',
);

const reminder = bpmn(
  `
  <process id="reminder" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="wait"/>
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="remind"/>
    <userTask id="remind" name="催办"/>
  </process>`,
  'reminderDefs',
);

interface Entry {
  seq: number;
  id: string;
  actor: string;
  actorName: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  problemId: string | null;
  details: any;
  after: any;
}

describe('the audit trail', () => {
  let t: TestApp;
  // A database the CLI can open too once the service is closed: a directory, or a database on the real server.
  let db: Awaited<ReturnType<typeof freshDatabaseEnv>>;

  const trail = async (query: Record<string, string>): Promise<Entry[]> =>
    (
      await t.http
        .get('/api/audit')
        .query({ pageSize: '500', ...query })
        .expect(200)
    ).body.items;
  const verify = () => t.app.get(AuditService).verify();

  beforeAll(async () => {
    db = realServers ? await freshDatabaseEnv() : { env: { DUBAN_DATA_DIR: emptyDir() }, drop: async () => undefined };
    t = await startTestApp(db.env, db);
    t.clock.pin(MONDAY);
    await t.definitions.deploy('audit-test', [
      { resource: 'approval.bpmn', content: approval },
      { resource: 'reminder.bpmn', content: reminder },
    ]);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('records a sign-in and a failed one', async () => {
    const office = await t.credentials('office');
    await t.anon.post('/api/auth/login').send({ username: office.username, password: office.password }).expect(200);
    await t.anon.post('/api/auth/login').send({ username: office.username, password: 'not the password' }).expect(401);
    const [ok] = await trail({ action: 'auth.login' });
    expect(ok).toMatchObject({
      actor: office.id,
      actorName: office.username,
      entityType: 'account',
      entityId: office.id,
    });
    const [failed] = await trail({ action: 'auth.login_failed' });
    expect(failed).toMatchObject({
      actor: 'anonymous',
      details: { username: office.username, reason: 'wrong password' },
    });
  });

  it('records a refused call with who, what and why', async () => {
    await t.anon.get('/api/problems').expect(401);
    const leader = await t.as('leader');
    await leader.post('/api/units').send({ code: 'X', name: 'x' }).expect(403);
    const refused = await trail({ action: 'access.refused' });
    expect(refused[1]).toMatchObject({
      actor: 'anonymous',
      entityId: 'GET /api/problems',
      details: { method: 'GET', path: '/api/problems', status: 401, reason: 'no credentials' },
    });
    expect(refused[0]).toMatchObject({
      actor: (await t.credentials('leader')).id,
      details: { status: 403, reason: expect.stringContaining('leader') },
    });
  });

  it('records the tasks of a process, who completed one, and its end', async () => {
    const office = await t.as('office');
    const officeId = (await t.credentials('office')).id;
    const started = await t.http
      .post('/engine-rest/process-definition/key/approval/start')
      .send({ businessKey: 'AP-1' })
      .expect(200);
    const [task] = (await t.http.get('/engine-rest/task').query({ processInstanceId: started.body.id }).expect(200))
      .body;
    await office
      .post(`/engine-rest/task/${task.id}/complete`)
      .send({ variables: { ok: { value: true, type: 'Boolean' } } })
      .expect(204);

    const entries = (await trail({ entityType: 'task', entityId: task.id })).reverse();
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['task.created', 'system'],
      ['task.ended', officeId],
    ]);
    expect(entries[0].details).toMatchObject({
      activityId: 'approve',
      instanceId: started.body.id,
      businessKey: 'AP-1',
      definitionKey: 'approval',
    });
    const [ended] = await trail({ entityType: 'process_instance', entityId: started.body.id });
    expect(ended).toMatchObject({ action: 'instance.ended', actor: 'system', details: { causedBy: officeId } });
  });

  it('names the timer as the actor of what a timer did', async () => {
    const started = await t.http
      .post('/engine-rest/process-definition/key/reminder/start')
      .send({ businessKey: 'RM-1' })
      .expect(200);
    await t.http.post('/api/admin/clock/add').send({ offsetMilli: HOUR }).expect(200);
    const created = (await trail({ action: 'task.created' })).filter((e) => e.details.instanceId === started.body.id);
    expect(created.map((e) => [e.details.activityId, e.actor])).toEqual([['remind', 'timer']]);
    const [moved] = await trail({ action: 'clock.moved' });
    expect(moved).toMatchObject({
      actor: (await t.credentials('admin')).id,
      details: { request: { offsetMilli: HOUR }, timersFired: 1 },
    });
  });

  it('gives each imported problem a timeline that starts with its 交办, and records calendar changes', async () => {
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
    ]);
    await seedUnits(t);
    const imported = await importFile(t, await problemSheet([problemRow(1, { 编号: 'AU-1' })]));
    const problemId = imported.created[0].id;
    const timeline: Entry[] = (await t.http.get(`/api/audit/problems/${problemId}`).expect(200)).body;
    expect(timeline.map((e) => [e.action, e.entityType])).toEqual([
      ['task.created', 'task'],
      ['problem.imported', 'problem'],
    ]);
    expect(timeline[1]).toMatchObject({ after: { code: 'AU-1' }, details: { importId: imported.jobId } });
    expect((await t.http.get('/api/audit/problems/AU-1').expect(200)).body).toEqual(timeline);

    const year = { holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [], note: '2027 first notice' };
    await t.http.put('/api/calendar/years/2027').send(year).expect(200);
    const [change] = await trail({ action: 'calendar.year_replaced' });
    expect(change).toMatchObject({
      entityType: 'calendar_year',
      entityId: '2027',
      after: year,
      details: { year: 2027 },
    });
  });

  it('chains what a transaction recorded when it commits: nothing of a rolled-back one or savepoint', async () => {
    const audit = t.app.get(AuditService);
    const mark = `tx-${Date.now()}`;
    await t.db.transaction(async (m) => {
      await audit.record({ actor: 'system', action: `${mark}.kept-a` }, m);
      await m
        .transaction(async (inner) => {
          await audit.record({ actor: 'system', action: `${mark}.savepoint` }, inner);
          throw new Error('undo the savepoint');
        })
        .catch(() => undefined);
      await audit.record({ actor: 'system', action: `${mark}.kept-c` }, m);
    });
    await t.db
      .transaction(async (m) => {
        await audit.record({ actor: 'system', action: `${mark}.rolled-back` }, m);
        throw new Error('undo all');
      })
      .catch(() => undefined);
    const actions = (await trail({})).map((e) => e.action).filter((a) => a.startsWith(mark));
    expect(actions.sort()).toEqual([`${mark}.kept-a`, `${mark}.kept-c`]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  (realServers ? it : it.skip)(
    'does not hold the chain while a transaction that recorded an entry goes on working',
    async () => {
      const audit = t.app.get(AuditService);
      let release!: () => void;
      const holding = new Promise<void>((r) => (release = r));
      let recorded!: () => void;
      const inLong = new Promise<void>((r) => (recorded = r));
      const long = t.db.transaction(async (m) => {
        await audit.record({ actor: 'system', action: 'long-running.first' }, m);
        recorded();
        await holding;
      });
      await inLong;
      const meanwhile = audit.record({ actor: 'system', action: 'meanwhile' }).then(() => 'recorded');
      const outcome = await Promise.race([
        meanwhile,
        new Promise((r) => setTimeout(() => r('blocked by the open transaction'), 15_000)),
      ]);
      release();
      await long;
      await meanwhile;
      expect(outcome).toBe('recorded');
      const actions = (await trail({})).map((e) => e.action);
      expect(actions.indexOf('meanwhile')).toBeGreaterThanOrEqual(0);
      expect(await verify()).toMatchObject({ ok: true });
    },
  );

  it('is append-only: UPDATE and DELETE are refused by the database', async () => {
    await expect(t.db.query(`UPDATE audit_entry SET actor = 'someone else' WHERE seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query(`DELETE FROM audit_entry WHERE seq = 1`)).rejects.toThrow(/append-only/);
  });

  it('names the entry an attacker altered, and the one removed', async () => {
    const before = await verify();
    expect(before).toEqual({
      ok: true,
      count: expect.any(Number),
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
      key: { fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), algorithm: 'HMAC-SHA256', fromSeq: 1 },
    });
    expect((await t.http.get('/api/audit/verify').expect(200)).body).toEqual(before);
    const [victim] = await trail({ action: 'auth.login' });

    // An attacker with database rights switches the trigger off first.
    await t.db.query(`ALTER TABLE audit_entry DISABLE TRIGGER ALL`);
    await t.db.query(`UPDATE audit_entry SET actor_name = 'someone else' WHERE id = $1`, [victim.id]);
    const altered = await verify();
    expect(altered).toMatchObject({ ok: false, broken: { seq: victim.seq, id: victim.id, kind: 'altered' } });
    const res = await t.http.get('/api/audit/verify').expect(200);
    expect(res.body.broken.message).toContain(`seq ${victim.seq} (${victim.id}) was altered`);

    await t.db.query(`UPDATE audit_entry SET actor_name = $2 WHERE id = $1`, [victim.id, victim.actorName]);
    expect((await verify()).ok).toBe(true);
    await t.db.query(`DELETE FROM audit_entry WHERE seq = $1`, [victim.seq + 1]);
    await t.db.query(`ALTER TABLE audit_entry ENABLE TRIGGER ALL`);
    expect(await verify()).toMatchObject({
      ok: false,
      count: victim.seq,
      broken: { seq: victim.seq + 1, kind: 'removed' },
    });
  });

  it('is checked by the CLI on the same database: exit 1 naming the gap', async () => {
    const [victim] = await trail({ action: 'auth.login' });
    await t.close();
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['audit:verify'],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      { NODE_ENV: 'test', ...db.env },
    );
    expect(code).toBe(1);
    expect(err.join('\n')).toContain(`seq ${victim.seq + 1} removed`);
    expect(err.join('\n')).toContain(`first broken entry: seq ${victim.seq + 1}`);
    t = await startTestApp(db.env, db); // for afterAll
  });
});
