import type { AddressInfo } from 'node:net';
import { bpmn, startTestApp, type TestApp } from './support/test-app.js';

const lookupXml = bpmn(
  `
  <error id="errInvalid" name="invalid address" errorCode="INVALID_ADDRESS"/>
  <process id="lookup" name="地址核验" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="check"/>
    <serviceTask id="check" name="核验地址" camunda:type="external" camunda:topic="address-lookup"/>
    <boundaryEvent id="invalid" attachedToRef="check"><errorEventDefinition errorRef="errInvalid"/></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="check" targetRef="confirm"/>
    <userTask id="confirm" name="确认"/>
    <sequenceFlow id="f3" sourceRef="confirm" targetRef="e"/><endEvent id="e"/>
    <sequenceFlow id="f4" sourceRef="invalid" targetRef="fix"/>
    <userTask id="fix" name="更正地址"/>
    <sequenceFlow id="f5" sourceRef="fix" targetRef="e2"/><endEvent id="e2"/>
  </process>`,
  'lookupDefs',
);

const billXml = bpmn(
  `
  <process id="bill" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="charge"/>
    <serviceTask id="charge" name="扣费" camunda:type="external" camunda:topic="billing"/>
    <sequenceFlow id="f2" sourceRef="charge" targetRef="done"/>
    <userTask id="done" name="完成"/>
    <sequenceFlow id="f3" sourceRef="done" targetRef="e"/><endEvent id="e"/>
  </process>`,
  'billDefs',
);

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('external tasks', () => {
  let t: TestApp;
  let baseUrl: string;

  const start = async (key: string, businessKey: string, variables: Record<string, unknown> = {}) =>
    (await t.http.post(`/engine-rest/process-definition/key/${key}/start`).send({ businessKey, variables }).expect(200))
      .body.id as string;
  const openTasks = async (instanceId: string) =>
    (await t.http.get('/engine-rest/task').query({ processInstanceId: instanceId }).expect(200)).body.map(
      (x: { taskDefinitionKey: string }) => x.taskDefinitionKey,
    );

  beforeAll(async () => {
    t = await startTestApp();
    await t.definitions.deploy('external', [
      { resource: 'lookup.bpmn', content: lookupXml },
      { resource: 'bill.bpmn', content: billXml },
    ]);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}/engine-rest`;
  });
  afterAll(() => t.close());

  describe('camunda-external-task-client-js as an outside worker', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let client: any;
    const seen: { id: string; street: string; businessKey: string; locked: string }[] = [];
    const errors: string[] = [];

    beforeAll(async () => {
      // The package has no type declarations; a computed specifier keeps TypeScript from looking for them.
      const pkg = 'camunda-external-task-client-js';
      const { Client, Variables, BasicAuthInterceptor } = await import(pkg);
      const office = await t.credentials('office');
      const interceptors = new BasicAuthInterceptor({ username: office.username, password: office.password });
      client = new Client({
        baseUrl,
        workerId: 'jest-worker',
        asyncResponseTimeout: 2000,
        interval: 100,
        lockDuration: 20_000,
        maxTasks: 5,
        interceptors,
      });
      for (const event of ['poll:error', 'complete:error', 'handleBpmnError:error', 'handler:error']) {
        client.on(event, (...args: unknown[]) =>
          errors.push(`${event}: ${args.map((a) => (a instanceof Error ? a.message : JSON.stringify(a))).join(' ')}`),
        );
      }
      client.subscribe('address-lookup', async ({ task, taskService }: any) => {
        const street = task.variables.get('street');
        seen.push({ id: task.id, street, businessKey: task.businessKey, locked: task.lockExpirationTime });
        if (street === 'nowhere') {
          await taskService.handleBpmnError(task, 'INVALID_ADDRESS', 'no such street');
          return;
        }
        const out = new Variables()
          .set('district', '朝阳区')
          .set('verified', true)
          .set('geo', { lat: 39.9, lng: 116.4 })
          .set('checks', 3);
        await taskService.complete(task, out);
      });
    });
    afterAll(async () => {
      client?.stop();
      // Lets the last long poll (asyncResponseTimeout 2 s) come back before the app closes.
      await new Promise((r) => setTimeout(r, 2200));
    });

    it('fetches, locks and completes with variables; the process moves on with them', async () => {
      const id = await start('lookup', 'A-1', { street: { value: '建国路 88 号', type: 'String' } });
      await until('the lookup to complete', async () => (await openTasks(id)).includes('confirm'));
      expect(errors).toEqual([]);
      const mine = seen.find((s) => s.businessKey === 'A-1');
      expect(mine).toMatchObject({ street: '建国路 88 号' });
      expect(mine!.locked).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
      const vars = (await t.http.get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
      expect(vars.district).toEqual({ type: 'String', value: '朝阳区', valueInfo: {} });
      expect(vars.verified).toMatchObject({ type: 'Boolean', value: true });
      expect(vars.checks).toMatchObject({ type: 'Integer', value: 3 });
      expect(JSON.parse(vars.geo.value)).toEqual({ lat: 39.9, lng: 116.4 });
      expect(
        (await t.http.get('/engine-rest/external-task').query({ processInstanceId: id }).expect(200)).body,
      ).toEqual([]);
      const acts = (
        await t.http
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: id, activityId: 'check' })
          .expect(200)
      ).body;
      expect(acts[0]).toMatchObject({ activityType: 'serviceTask', canceled: false });
      expect(acts[0].endTime).not.toBeNull();
    });

    it('reports a BPMN error that an error boundary event catches', async () => {
      const id = await start('lookup', 'A-2', { street: { value: 'nowhere', type: 'String' } });
      await until('the error boundary to take over', async () => (await openTasks(id)).includes('fix'));
      expect(errors).toEqual([]);
      expect(await openTasks(id)).toEqual(['fix']);
      const boundary = (
        await t.http
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: id, activityId: 'invalid' })
          .expect(200)
      ).body;
      expect(boundary).toHaveLength(1);
      expect(
        (await t.http.get('/engine-rest/external-task').query({ processInstanceId: id }).expect(200)).body,
      ).toEqual([]);
    });

    it('works through several instances started together', async () => {
      const ids = await Promise.all(
        [1, 2, 3, 4].map((n) => start('lookup', `A-BATCH-${n}`, { street: { value: `路 ${n}`, type: 'String' } })),
      );
      for (const id of ids) await until(`instance ${id}`, async () => (await openTasks(id)).includes('confirm'));
      expect(errors).toEqual([]);
      // Each task was handed out once.
      const handed = seen.filter((s) => s.businessKey.startsWith('A-BATCH-')).map((s) => s.id);
      expect(new Set(handed).size).toBe(handed.length);
      expect(handed).toHaveLength(4);
    });
  });

  describe('the protocol over REST', () => {
    const fetch = (workerId: string, extra: Record<string, unknown> = {}, topic: Record<string, unknown> = {}) =>
      t.http
        .post('/engine-rest/external-task/fetchAndLock')
        .send({ workerId, maxTasks: 10, topics: [{ topicName: 'billing', lockDuration: 60_000, ...topic }], ...extra });

    it('answers at once with nothing to fetch, and wakes a long poll when a task appears', async () => {
      expect((await fetch('w1').expect(200)).body).toEqual([]);
      const began = Date.now();
      const pending = fetch('w1', { asyncResponseTimeout: 10_000 }).then((r) => r);
      await new Promise((r) => setTimeout(r, 150));
      const id = await start('bill', 'B-LONG', { amount: { value: 30, type: 'Integer' } });
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toHaveLength(1);
      expect(Date.now() - began).toBeLessThan(5_000);
      expect(res.body[0]).toMatchObject({
        processInstanceId: id,
        topicName: 'billing',
        workerId: 'w1',
        activityId: 'charge',
        businessKey: 'B-LONG',
        processDefinitionKey: 'bill',
        tenantId: null,
      });
      expect(res.body[0].variables.amount).toEqual({ type: 'Integer', value: 30, valueInfo: {} });
      await t.http.post(`/engine-rest/external-task/${res.body[0].id}/complete`).send({ workerId: 'w1' }).expect(204);
      expect(await openTasks(id)).toEqual(['done']);
    });

    it('ends a long poll empty after asyncResponseTimeout', async () => {
      const began = Date.now();
      expect((await fetch('w1', { asyncResponseTimeout: 1200 }).expect(200)).body).toEqual([]);
      expect(Date.now() - began).toBeGreaterThanOrEqual(1100);
    });

    it('locks per worker: refuses other workers, extends, unlocks; filters variables', async () => {
      const id = await start('bill', 'B-LOCK', {
        amount: { value: 5, type: 'Integer' },
        note: { value: 'x', type: 'String' },
      });
      const [task] = (await fetch('w1', {}, { variables: ['amount'] }).expect(200)).body;
      expect(Object.keys(task.variables)).toEqual(['amount']);
      expect((await fetch('w2').expect(200)).body).toEqual([]);
      const listed = (
        await t.http.get('/engine-rest/external-task').query({ topicName: 'billing', locked: true }).expect(200)
      ).body;
      expect(listed).toEqual([
        expect.objectContaining({
          id: task.id,
          workerId: 'w1',
          topicName: 'billing',
          processInstanceId: id,
          retries: null,
        }),
      ]);
      expect(
        (
          await t.http
            .get('/engine-rest/external-task/count')
            .query({ topicName: 'billing', notLocked: true })
            .expect(200)
        ).body,
      ).toEqual({ count: 0 });
      const topics = async (query: Record<string, boolean>) =>
        (await t.http.get('/engine-rest/external-task/topic-names').query(query).expect(200)).body;
      expect(await topics({ withLockedTasks: true })).toContain('billing');
      expect(await topics({ withUnlockedTasks: true })).not.toContain('billing');
      expect(await topics({ withRetriesLeft: true })).toContain('billing');

      const wrong = await t.http
        .post(`/engine-rest/external-task/${task.id}/complete`)
        .send({ workerId: 'w2' })
        .expect(400);
      expect(wrong.body.type).toBe('BadUserRequestException');
      expect(wrong.body.message).toContain("'w1'");
      await t.http
        .post('/engine-rest/external-task/00000000-0000-0000-0000-000000000000/complete')
        .send({ workerId: 'w1' })
        .expect(404);
      await t.http.post(`/engine-rest/external-task/${task.id}/complete`).send({}).expect(400);

      const before = (await t.http.get(`/engine-rest/external-task/${task.id}`).expect(200)).body.lockExpirationTime;
      t.clock.add(1000);
      await t.http
        .post(`/engine-rest/external-task/${task.id}/extendLock`)
        .send({ workerId: 'w1', newDuration: 120_000 })
        .expect(204);
      const after = (await t.http.get(`/engine-rest/external-task/${task.id}`).expect(200)).body.lockExpirationTime;
      expect(Date.parse(after.replace('+0000', 'Z'))).toBeGreaterThan(Date.parse(before.replace('+0000', 'Z')));
      await t.http
        .post(`/engine-rest/external-task/${task.id}/extendLock`)
        .send({ workerId: 'w2', newDuration: 1000 })
        .expect(400);

      await t.http.post(`/engine-rest/external-task/${task.id}/unlock`).expect(204);
      const [again] = (await fetch('w2').expect(200)).body;
      expect(again.id).toBe(task.id);
      expect(again.variables.note).toMatchObject({ type: 'String', value: 'x' });
      await t.http
        .post(`/engine-rest/external-task/${task.id}/complete`)
        .send({ workerId: 'w2', variables: { charged: { value: true, type: 'Boolean' } } })
        .expect(204);
      expect(await openTasks(id)).toEqual(['done']);
    });

    it('a lock that expired can be fetched by another worker', async () => {
      await start('bill', 'B-EXPIRE');
      const [task] = (await fetch('w1', {}, { lockDuration: 5_000 }).expect(200)).body;
      expect((await fetch('w2').expect(200)).body).toEqual([]);
      t.clock.add(6_000);
      const [taken] = (await fetch('w2').expect(200)).body;
      expect(taken.id).toBe(task.id);
      await t.http.post(`/engine-rest/external-task/${task.id}/complete`).send({ workerId: 'w1' }).expect(400);
      await t.http.post(`/engine-rest/external-task/${task.id}/complete`).send({ workerId: 'w2' }).expect(204);
    });

    it('a failure with retries left comes back after retryTimeout; at 0 retries it becomes an incident', async () => {
      const id = await start('bill', 'B-FAIL');
      const [task] = (await fetch('w1').expect(200)).body;
      await t.http
        .post(`/engine-rest/external-task/${task.id}/failure`)
        .send({ workerId: 'w1', errorMessage: 'bank down', errorDetails: 'stack…', retries: 1, retryTimeout: 10_000 })
        .expect(204);
      expect((await fetch('w1').expect(200)).body).toEqual([]);
      t.clock.add(11_000);
      const [retry] = (await fetch('w1').expect(200)).body;
      expect(retry).toMatchObject({ id: task.id, retries: 1, errorMessage: 'bank down', errorDetails: 'stack…' });

      await t.http
        .post(`/engine-rest/external-task/${task.id}/failure`)
        .send({ workerId: 'w1', errorMessage: 'bank still down', retries: 0 })
        .expect(204);
      const incidents = (await t.http.get('/engine-rest/incident').query({ processInstanceId: id }).expect(200)).body;
      expect(incidents).toHaveLength(1);
      expect(incidents[0]).toMatchObject({
        incidentType: 'failedExternalTask',
        activityId: 'charge',
        incidentMessage: 'bank still down',
        configuration: task.id,
        processInstanceId: id,
      });
      const [row] = await t.db.query(`SELECT command FROM engine_incident WHERE id = $1`, [incidents[0].id]);
      expect(row.command).toEqual({ kind: 'wake', runServices: true });
      expect(
        (
          await t.http
            .get('/engine-rest/external-task')
            .query({ processInstanceId: id, noRetriesLeft: true })
            .expect(200)
        ).body,
      ).toHaveLength(1);
      t.clock.add(1_000);
      expect((await fetch('w1').expect(200)).body).toEqual([]);

      await t.http.put(`/engine-rest/external-task/${task.id}/retries`).send({ retries: 2 }).expect(204);
      expect((await t.http.get('/engine-rest/incident').query({ processInstanceId: id }).expect(200)).body).toEqual([]);
      const [back] = (await fetch('w1').expect(200)).body;
      expect(back.id).toBe(task.id);
      await t.http.post(`/engine-rest/external-task/${task.id}/complete`).send({ workerId: 'w1' }).expect(204);
      expect(await openTasks(id)).toEqual(['done']);
    });

    it('refuses a bad request with a 400 in Camunda form', async () => {
      const res = await t.http
        .post('/engine-rest/external-task/fetchAndLock')
        .send({ workerId: 'w1', topics: [{ topicName: 'billing' }] })
        .expect(400);
      expect(res.body.type).toBe('InvalidRequestException');
      expect(res.body.message).toContain('lockDuration');
      await t.http.post('/engine-rest/external-task/fetchAndLock').send({ topics: [] }).expect(400);
      await t.http
        .post('/engine-rest/external-task/fetchAndLock')
        .send({ workerId: 'w1', topics: [], asyncResponseTimeout: 99_999_999 })
        .expect(400);
    });
  });
});
