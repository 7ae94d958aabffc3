import { bpmn, startTestApp, type TestApp } from './support/test-app.js';

/** Camunda's variable types kept through /engine-rest, its filters, and its refusal of what it does not implement. */
const reviewXml = bpmn(
  `
  <process id="typedReview" name="类型审核" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="review"/>
    <userTask id="review" name="审核" camunda:candidateGroups="HBJ" camunda:priority="70"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="decide"/>
    <exclusiveGateway id="decide" default="toEnd"/>
    <sequenceFlow id="toArchive" sourceRef="decide" targetRef="archive">
      <conditionExpression xsi:type="tFormalExpression">\${environment.variables.archive}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="toEnd" sourceRef="decide" targetRef="e"/>
    <userTask id="archive" name="归档"/>
    <sequenceFlow id="f3" sourceRef="archive" targetRef="e2"/><endEvent id="e2"/>
    <endEvent id="e"/>
  </process>`,
  'typedReviewDefs',
);

const workerXml = bpmn(
  `
  <error id="errBad" name="bad" errorCode="BAD"/>
  <process id="typedWorker" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="work"/>
    <serviceTask id="work" name="处理" camunda:type="external" camunda:topic="typed-work"/>
    <boundaryEvent id="bad" attachedToRef="work"><errorEventDefinition errorRef="errBad"/></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="work" targetRef="after"/>
    <userTask id="after" name="后续"/>
    <sequenceFlow id="f3" sourceRef="after" targetRef="e"/><endEvent id="e"/>
    <sequenceFlow id="f4" sourceRef="bad" targetRef="fix"/>
    <userTask id="fix" name="更正"/>
    <sequenceFlow id="f5" sourceRef="fix" targetRef="e2"/><endEvent id="e2"/>
  </process>`,
  'typedWorkerDefs',
);

const formedXml = bpmn(
  `
  <process id="formed" name="表单" isExecutable="true" camunda:versionTag="2026.1" camunda:historyTimeToLive="180" camunda:isStartableInTasklist="false">
    <startEvent id="s">
      <extensionElements><camunda:formData>
        <camunda:formField id="amount" label="金额" type="long" defaultValue="5"/>
        <camunda:formField id="note" label="备注" type="string"/>
      </camunda:formData></extensionElements>
    </startEvent>
    <sequenceFlow id="f1" sourceRef="s" targetRef="fill"/>
    <userTask id="fill" name="填写" camunda:assignee="zhang">
      <extensionElements><camunda:formData>
        <camunda:formField id="approved" label="同意" type="boolean" defaultValue="false"/>
        <camunda:formField id="amount" label="金额" type="long"/>
      </camunda:formData></extensionElements>
    </userTask>
    <sequenceFlow id="f2" sourceRef="fill" targetRef="e"/><endEvent id="e"/>
  </process>`,
  'formedDefs',
);

const TYPED = {
  when: { value: '2026-03-05T08:00:00.000+0800', type: 'Date' },
  small: { value: 5, type: 'Long' },
  whole: { value: 3, type: 'Double' },
  tiny: { value: 7, type: 'Short' },
  order: {
    value: '{"item":"滤网","qty":2}',
    type: 'Object',
    valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'com.example.Order' },
  },
  doc: { value: '{"a":[1,2]}', type: 'Json' },
  label: { value: '河道', type: 'String' },
  noText: { value: null, type: 'String' },
  nothing: { value: null, type: 'Null' },
};

describe('/engine-rest variable types, filters and refusals', () => {
  let t: TestApp;
  const api = () => t.http;
  const start = (key: string, body: Record<string, unknown>) =>
    api().post(`/engine-rest/process-definition/key/${key}/start`).send(body);
  const taskOf = async (instanceId: string) =>
    (await api().get('/engine-rest/task').query({ processInstanceId: instanceId }).expect(200)).body[0];

  beforeAll(async () => {
    t = await startTestApp();
    await t.definitions.deploy('typed', [
      { resource: 'review.bpmn', content: reviewXml },
      { resource: 'worker.bpmn', content: workerXml },
      { resource: 'formed.bpmn', content: formedXml },
    ]);
  });
  afterAll(() => t.close());

  describe('types', () => {
    let id: string;
    beforeAll(async () => {
      id = (await start('typedReview', { businessKey: 'T-1', variables: TYPED }).expect(200)).body.id;
    });

    it('a Date, a small Long, a whole Double, a Short and an Object come back with their types', async () => {
      const vars = (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
      expect(vars.when).toEqual({ type: 'Date', value: '2026-03-05T00:00:00.000+0000', valueInfo: {} });
      expect(vars.small).toEqual({ type: 'Long', value: 5, valueInfo: {} });
      expect(vars.whole).toEqual({ type: 'Double', value: 3, valueInfo: {} });
      expect(vars.tiny).toEqual({ type: 'Short', value: 7, valueInfo: {} });
      expect(vars.order.type).toBe('Object');
      expect(vars.order.valueInfo).toEqual({
        serializationDataFormat: 'application/json',
        objectTypeName: 'com.example.Order',
      });
      expect(JSON.parse(vars.order.value)).toEqual({ item: '滤网', qty: 2 });
      expect(vars.doc.type).toBe('Json');
      expect(JSON.parse(vars.doc.value)).toEqual({ a: [1, 2] });
      expect(vars.label).toEqual({ type: 'String', value: '河道', valueInfo: {} });
      expect(vars.noText).toEqual({ type: 'String', value: null, valueInfo: {} });
      expect(vars.nothing).toEqual({ type: 'Null', value: null, valueInfo: {} });
      const one = (await api().get(`/engine-rest/process-instance/${id}/variables/small`).expect(200)).body;
      expect(one).toEqual({ type: 'Long', value: 5, valueInfo: {} });
    });

    it('the task sees the same types, and a type given on complete is kept', async () => {
      const task = await taskOf(id);
      const vars = (await api().get(`/engine-rest/task/${task.id}/variables`).expect(200)).body;
      expect(vars.when.type).toBe('Date');
      expect(vars.order.valueInfo.objectTypeName).toBe('com.example.Order');
      const res = await api()
        .post(`/engine-rest/task/${task.id}/complete`)
        .send({
          variables: {
            archive: { value: true, type: 'Boolean' },
            checkedAt: { value: '2026-03-06T10:30:00.000+0000', type: 'Date' },
            count: { value: 2, type: 'Long' },
          },
          withVariablesInReturn: true,
        })
        .expect(200);
      expect(res.body.checkedAt).toEqual({ type: 'Date', value: '2026-03-06T10:30:00.000+0000', valueInfo: {} });
      expect(res.body.count).toEqual({ type: 'Long', value: 2, valueInfo: {} });
      expect(res.body.small).toEqual({ type: 'Long', value: 5, valueInfo: {} });
    });

    it('Bytes and File are refused with a 400 that says why', async () => {
      const res = await start('typedReview', { variables: { scan: { value: 'aGVsbG8=', type: 'Bytes' } } }).expect(400);
      expect(res.body).toMatchObject({ type: 'InvalidRequestException' });
      expect(res.body.message).toContain("'scan'");
      expect(res.body.message).toContain('binary');
    });
  });

  describe('filters', () => {
    let a: string;
    let b: string;
    beforeAll(async () => {
      a = (
        await start('typedReview', {
          businessKey: 'F-A',
          variables: {
            river: { value: '清河', type: 'String' },
            km: { value: 12, type: 'Integer' },
            urgent: { value: true, type: 'Boolean' },
          },
        }).expect(200)
      ).body.id;
      b = (
        await start('typedReview', {
          businessKey: 'F-B',
          variables: {
            river: { value: '凉水河', type: 'String' },
            km: { value: 3, type: 'Long' },
            urgent: { value: false, type: 'Boolean' },
          },
        }).expect(200)
      ).body.id;
    });
    const ids = (body: { processInstanceId?: string; id: string }[]) =>
      body.map((x) => x.processInstanceId ?? x.id).filter((x) => x === a || x === b);

    it('processVariables filters tasks, in the query string and in a POST body', async () => {
      expect(
        ids((await api().get('/engine-rest/task').query({ processVariables: 'river_eq_清河' }).expect(200)).body),
      ).toEqual([a]);
      expect(
        ids(
          (await api().get('/engine-rest/task').query({ processVariables: 'km_gt_5,urgent_eq_true' }).expect(200)).body,
        ),
      ).toEqual([a]);
      expect(
        ids(
          (await api().get('/engine-rest/task').query({ processVariables: 'river_like_%河' }).expect(200)).body,
        ).sort(),
      ).toEqual([a, b].sort());
      const posted = await api()
        .post('/engine-rest/task')
        .send({ processVariables: [{ name: 'km', operator: 'lteq', value: 3 }] })
        .expect(200);
      expect(ids(posted.body)).toEqual([b]);
      expect(
        (
          await api()
            .post('/engine-rest/task/count')
            .send({ processVariables: [{ name: 'river', operator: 'eq', value: '不存在' }] })
            .expect(200)
        ).body.count,
      ).toBe(0);
      expect(
        ids(
          (
            await api()
              .get('/engine-rest/task')
              .query({ processVariables: 'RIVER_eq_清河', variableNamesIgnoreCase: true })
              .expect(200)
          ).body,
        ),
      ).toEqual([a]);
      expect(
        ids((await api().get('/engine-rest/task').query({ taskVariables: 'river_eq_清河' }).expect(200)).body),
      ).toEqual([]);
      const bad = await api().get('/engine-rest/task').query({ processVariables: 'river_is_清河' }).expect(400);
      expect(bad.body).toMatchObject({ type: 'InvalidRequestException' });
      expect(bad.body.message).toContain('is');
    });

    it('variables filters process instances, running and in history', async () => {
      expect(
        ids((await api().get('/engine-rest/process-instance').query({ variables: 'km_lt_10' }).expect(200)).body),
      ).toEqual([b]);
      expect(
        ids(
          (
            await api()
              .post('/engine-rest/process-instance')
              .send({ variables: [{ name: 'urgent', operator: 'eq', value: true }] })
              .expect(200)
          ).body,
        ),
      ).toEqual([a]);
      expect(
        ids(
          (await api().get('/engine-rest/history/process-instance').query({ variables: 'river_neq_清河' }).expect(200))
            .body,
        ),
      ).toEqual([b]);
    });

    it('involvedUser, owner, priority and tenants filter instead of being ignored', async () => {
      const [taskA] = (await api().get('/engine-rest/task').query({ processInstanceId: a }).expect(200)).body;
      await api().post(`/engine-rest/task/${taskA.id}/claim`).send({ userId: 'li' }).expect(204);
      expect(ids((await api().get('/engine-rest/task').query({ involvedUser: 'li' }).expect(200)).body)).toEqual([a]);
      expect(ids((await api().get('/engine-rest/task').query({ owner: 'li' }).expect(200)).body)).toEqual([]);
      expect((await api().get('/engine-rest/task').query({ tenantIdIn: 'city' }).expect(200)).body).toEqual([]);
      expect(
        ids((await api().get('/engine-rest/task').query({ withoutTenantId: true }).expect(200)).body).sort(),
      ).toEqual([a, b].sort());
      expect(
        (await api().get('/engine-rest/process-definition').query({ tenantIdIn: 'city' }).expect(200)).body,
      ).toEqual([]);
      const withNone = await api()
        .get('/engine-rest/process-definition')
        .query({ tenantIdIn: 'city', includeProcessDefinitionsWithoutTenantId: true, key: 'typedReview' })
        .expect(200);
      expect(withNone.body).toHaveLength(1);
      expect(
        (await api().get('/engine-rest/external-task').query({ priorityHigherThanOrEquals: 1 }).expect(200)).body,
      ).toEqual([]);
    });

    it('a Camunda parameter that is not implemented is a 400 naming it, never a wider list', async () => {
      const res = await api().get('/engine-rest/task').query({ candidateGroupLike: 'HB%' }).expect(400);
      expect(res.body).toEqual({
        type: 'InvalidRequestException',
        message: expect.stringContaining("'candidateGroupLike'"),
      });
      const body = await api()
        .post('/engine-rest/task')
        .send({ caseInstanceVariables: [{ name: 'x', operator: 'eq', value: 1 }] })
        .expect(400);
      expect(body.body.message).toContain("'caseInstanceVariables'");
      const inst = await api().get('/engine-rest/process-instance').query({ activityIdIn: 'review' }).expect(400);
      expect(inst.body.message).toContain("'activityIdIn'");
      const fetch = await api()
        .post('/engine-rest/external-task/fetchAndLock')
        .send({
          workerId: 'w',
          maxTasks: 1,
          topics: [{ topicName: 'typed-work', lockDuration: 1000, processDefinitionVersionTag: 'v1' }],
        })
        .expect(400);
      expect(fetch.body.message).toContain('processDefinitionVersionTag');
    });
  });

  describe('external tasks', () => {
    const fetch = async (workerId: string) =>
      (
        await api()
          .post('/engine-rest/external-task/fetchAndLock')
          .send({ workerId, maxTasks: 5, topics: [{ topicName: 'typed-work', lockDuration: 60_000 }] })
          .expect(200)
      ).body;

    it('a worker fetches typed values, completes with typed and local variables; locals stay off the process', async () => {
      const id = (
        await start('typedWorker', { businessKey: 'W-1', variables: { due: TYPED.when, big: TYPED.small } }).expect(200)
      ).body.id;
      const [task] = (await fetch('w1')).filter((x: { processInstanceId: string }) => x.processInstanceId === id);
      expect(task.variables.due).toMatchObject({ type: 'Date', value: '2026-03-05T00:00:00.000+0000' });
      expect(task.variables.big).toMatchObject({ type: 'Long', value: 5 });
      await api()
        .post(`/engine-rest/external-task/${task.id}/complete`)
        .send({
          workerId: 'w1',
          variables: { score: { value: 4, type: 'Double' } },
          localVariables: { attempt: { value: 1, type: 'Long' } },
        })
        .expect(204);
      const vars = (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
      expect(vars.score).toEqual({ type: 'Double', value: 4, valueInfo: {} });
      expect(vars.attempt).toBeUndefined();
    });

    it('variables sent with a BPMN error and with a failure are set on the process', async () => {
      const id = (await start('typedWorker', { businessKey: 'W-2' }).expect(200)).body.id;
      let [task] = (await fetch('w2')).filter((x: { processInstanceId: string }) => x.processInstanceId === id);
      await api()
        .post(`/engine-rest/external-task/${task.id}/failure`)
        .send({
          workerId: 'w2',
          errorMessage: '超时',
          retries: 1,
          retryTimeout: 0,
          variables: { lastError: { value: 'timeout', type: 'String' } },
        })
        .expect(204);
      expect(
        (await api().get(`/engine-rest/process-instance/${id}/variables/lastError`).expect(200)).body,
      ).toMatchObject({ type: 'String', value: 'timeout' });
      [task] = (await fetch('w2')).filter((x: { processInstanceId: string }) => x.processInstanceId === id);
      await api()
        .post(`/engine-rest/external-task/${task.id}/bpmnError`)
        .send({
          workerId: 'w2',
          errorCode: 'BAD',
          errorMessage: '地址无效',
          variables: {
            reason: { value: 'no such street', type: 'String' },
            seen: { value: '2026-03-02T08:00:00.000+0000', type: 'Date' },
          },
        })
        .expect(204);
      expect((await taskOf(id)).taskDefinitionKey).toBe('fix');
      const vars = (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
      expect(vars.reason).toMatchObject({ type: 'String', value: 'no such street' });
      expect(vars.seen).toMatchObject({ type: 'Date', value: '2026-03-02T08:00:00.000+0000' });
    });
  });

  describe('endpoints', () => {
    const startReview = async (businessKey: string, variables: Record<string, unknown> = {}) =>
      (await start('typedReview', { businessKey, variables }).expect(200)).body.id as string;

    it('process definitions carry versionTag, historyTimeToLive and isStartableInTasklist, and their start form', async () => {
      const def = (await api().get('/engine-rest/process-definition/key/formed').expect(200)).body;
      expect(def).toMatchObject({ versionTag: '2026.1', historyTimeToLive: 180, startableInTasklist: false });
      expect((await api().get('/engine-rest/process-definition/key/typedReview').expect(200)).body).toMatchObject({
        versionTag: null,
        startableInTasklist: true,
      });
      const form = (
        await api()
          .get(`/engine-rest/process-definition/${encodeURIComponent(def.id)}/form-variables`)
          .expect(200)
      ).body;
      expect(form).toEqual({
        amount: { type: 'Long', value: 5, valueInfo: {} },
        note: { type: 'String', value: null, valueInfo: {} },
      });
      expect(
        (
          await api()
            .get('/engine-rest/process-definition/key/formed/form-variables')
            .query({ variableNames: 'note' })
            .expect(200)
        ).body,
      ).toEqual({ note: form.note });
    });

    it('a task form shows its fields with the current values or their defaults', async () => {
      const id = (await start('formed', { variables: { amount: { value: 7, type: 'Long' } } }).expect(200)).body.id;
      const task = await taskOf(id);
      const form = (await api().get(`/engine-rest/task/${task.id}/form-variables`).expect(200)).body;
      expect(form).toEqual({
        approved: { type: 'Boolean', value: false, valueInfo: {} },
        amount: { type: 'Long', value: 7, valueInfo: {} },
      });
      await api().get('/engine-rest/task/00000000-0000-0000-0000-000000000000/form-variables').expect(404);
    });

    it('process-instance variables: put, get, modify and delete, read by the process as it runs on', async () => {
      const id = await startReview('V-1');
      await api()
        .put(`/engine-rest/process-instance/${id}/variables/limit`)
        .send({ value: 9, type: 'Long' })
        .expect(204);
      expect((await api().get(`/engine-rest/process-instance/${id}/variables/limit`).expect(200)).body).toEqual({
        type: 'Long',
        value: 9,
        valueInfo: {},
      });
      await api()
        .post(`/engine-rest/process-instance/${id}/variables`)
        .send({
          modifications: {
            archive: { value: true, type: 'Boolean' },
            at: { value: '2026-03-09T00:00:00.000+0000', type: 'Date' },
          },
          deletions: ['limit'],
        })
        .expect(204);
      const vars = (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
      expect(vars.limit).toBeUndefined();
      expect(vars.at).toMatchObject({ type: 'Date', value: '2026-03-09T00:00:00.000+0000' });
      await api().delete(`/engine-rest/process-instance/${id}/variables/at`).expect(204);
      await api().get(`/engine-rest/process-instance/${id}/variables/at`).expect(404);
      const bad = await api()
        .put(`/engine-rest/process-instance/${id}/variables/n`)
        .send({ value: 'x', type: 'Integer' })
        .expect(400);
      expect(bad.body.message).toContain("'n'");
      await api()
        .put('/engine-rest/process-instance/00000000-0000-0000-0000-000000000000/variables/x')
        .send({ value: 1 })
        .expect(404);
      // The gateway after the task reads the variable set from outside.
      const task = await taskOf(id);
      await api().post(`/engine-rest/task/${task.id}/complete`).send({}).expect(204);
      expect((await taskOf(id)).taskDefinitionKey).toBe('archive');
    });

    it('task variables: a variable set through the task is the process one', async () => {
      const id = await startReview('V-2');
      const task = await taskOf(id);
      await api()
        .put(`/engine-rest/task/${task.id}/variables/checked`)
        .send({ value: '2026-03-02T08:00:00.000+0000', type: 'Date' })
        .expect(204);
      expect((await api().get(`/engine-rest/task/${task.id}/variables/checked`).expect(200)).body).toMatchObject({
        type: 'Date',
      });
      expect((await api().get(`/engine-rest/process-instance/${id}/variables/checked`).expect(200)).body).toMatchObject(
        { type: 'Date' },
      );
      await api()
        .post(`/engine-rest/task/${task.id}/variables`)
        .send({ deletions: ['checked'] })
        .expect(204);
      await api().get(`/engine-rest/task/${task.id}/variables/checked`).expect(404);
    });

    it('comments, identity links, delegate and resolve', async () => {
      const id = await startReview('C-1');
      const task = await taskOf(id);
      const created = await api()
        .post(`/engine-rest/task/${task.id}/comment/create`)
        .send({ message: '请补充材料' })
        .expect(200);
      expect(created.body).toMatchObject({ taskId: task.id, processInstanceId: id, message: '请补充材料' });
      expect(created.body.time).toMatch(/\+0000$/);
      expect((await api().get(`/engine-rest/task/${task.id}/comment`).expect(200)).body).toEqual([created.body]);
      await api().post(`/engine-rest/task/${task.id}/comment/create`).send({ message: '' }).expect(400);
      await api().get('/engine-rest/task/00000000-0000-0000-0000-000000000000/comment').expect(404);

      await api()
        .post(`/engine-rest/task/${task.id}/identity-links`)
        .send({ groupId: 'SLJ', type: 'candidate' })
        .expect(204);
      await api()
        .post(`/engine-rest/task/${task.id}/identity-links`)
        .send({ userId: 'wang', type: 'assignee' })
        .expect(204);
      let links = (await api().get(`/engine-rest/task/${task.id}/identity-links`).expect(200)).body;
      expect(links).toEqual(
        expect.arrayContaining([
          { userId: 'wang', groupId: null, type: 'assignee' },
          { userId: null, groupId: 'SLJ', type: 'candidate' },
        ]),
      );
      const candidates = (
        await api().get(`/engine-rest/task/${task.id}/identity-links`).query({ type: 'candidate' }).expect(200)
      ).body;
      expect(candidates).toEqual([
        { userId: null, groupId: 'HBJ', type: 'candidate' },
        { userId: null, groupId: 'SLJ', type: 'candidate' },
      ]);
      await api()
        .post(`/engine-rest/task/${task.id}/identity-links/delete`)
        .send({ groupId: 'SLJ', type: 'candidate' })
        .expect(204);
      links = (await api().get(`/engine-rest/task/${task.id}/identity-links`).expect(200)).body;
      expect(links).not.toContainEqual({ userId: null, groupId: 'SLJ', type: 'candidate' });
      await api()
        .post(`/engine-rest/task/${task.id}/identity-links`)
        .send({ userId: 'a', groupId: 'b', type: 'candidate' })
        .expect(400);

      await api().post(`/engine-rest/task/${task.id}/delegate`).send({ userId: 'zhao' }).expect(204);
      expect((await api().get(`/engine-rest/task/${task.id}`).expect(200)).body).toMatchObject({
        assignee: 'zhao',
        owner: 'wang',
        delegationState: 'PENDING',
      });
      expect(ids2((await api().get('/engine-rest/task').query({ owner: 'wang' }).expect(200)).body)).toEqual([task.id]);
      const refused = await api().post(`/engine-rest/task/${task.id}/complete`).send({}).expect(400);
      expect(refused.body.message).toContain('resolved');
      await api()
        .post(`/engine-rest/task/${task.id}/resolve`)
        .send({ variables: { advice: { value: '可以', type: 'String' } } })
        .expect(204);
      expect((await api().get(`/engine-rest/task/${task.id}`).expect(200)).body).toMatchObject({
        assignee: 'wang',
        owner: 'wang',
        delegationState: 'RESOLVED',
      });
      expect((await api().get(`/engine-rest/process-instance/${id}/variables/advice`).expect(200)).body.value).toBe(
        '可以',
      );
      await api().post(`/engine-rest/task/${task.id}/resolve`).send({}).expect(400);
    });
    const ids2 = (body: { id: string }[]) => body.map((x) => x.id);

    it('activity instances and statistics show where instances are', async () => {
      const id = await startReview('S-1');
      const tree = (await api().get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)).body;
      expect(tree).toMatchObject({
        id,
        parentActivityInstanceId: null,
        activityType: 'processDefinition',
        processInstanceId: id,
      });
      expect(tree.childActivityInstances).toEqual([
        expect.objectContaining({
          activityId: 'review',
          activityType: 'userTask',
          parentActivityInstanceId: id,
          activityName: '审核',
        }),
      ]);
      await api()
        .get('/engine-rest/process-instance/00000000-0000-0000-0000-000000000000/activity-instances')
        .expect(404);
      const defId = tree.processDefinitionId;
      const perActivity = (
        await api()
          .get(`/engine-rest/process-definition/${encodeURIComponent(defId)}/statistics`)
          .query({ incidents: true })
          .expect(200)
      ).body;
      const review = perActivity.find((a: { id: string }) => a.id === 'review');
      expect(review.instances).toBeGreaterThanOrEqual(1);
      expect(review).toMatchObject({ failedJobs: 0, incidents: [] });
      const perDef = (
        await api().get('/engine-rest/process-definition/statistics').query({ failedJobs: true }).expect(200)
      ).body;
      const mine = perDef.find((d: { id: string }) => d.id === defId);
      expect(mine.instances).toBe(
        (await api().get('/engine-rest/process-instance/count').query({ processDefinitionId: defId }).expect(200)).body
          .count,
      );
      expect(mine.definition).toMatchObject({ key: 'typedReview' });
    });

    it('DELETE /deployment/{id} needs cascade for instances, then removes the engine rows of the deployment', async () => {
      const xml = bpmn(
        `
        <process id="disposable" isExecutable="true">
          <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="wait"/>
          <userTask id="wait"/>
          <boundaryEvent id="late" attachedToRef="wait"><timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition></boundaryEvent>
          <sequenceFlow id="f2" sourceRef="wait" targetRef="e"/><endEvent id="e"/>
          <sequenceFlow id="f3" sourceRef="late" targetRef="e2"/><endEvent id="e2"/>
        </process>`,
        'disposableDefs',
      );
      const dep = (
        await api()
          .post('/engine-rest/deployment/create')
          .field('deployment-name', 'disposable')
          .attach('d.bpmn', Buffer.from(xml), 'd.bpmn')
          .expect(200)
      ).body;
      const inst = (await start('disposable', {}).expect(200)).body.id;
      const task = await taskOf(inst);
      await api().post(`/engine-rest/task/${task.id}/comment/create`).send({ message: '将被删除' }).expect(200);
      const refused = await api().delete(`/engine-rest/deployment/${dep.id}`).expect(409);
      expect(refused.body).toMatchObject({ type: 'ProcessEngineException' });
      expect(refused.body.message).toContain('cascade');
      await api().get(`/engine-rest/process-instance/${inst}`).expect(200);
      await api().delete(`/engine-rest/deployment/${dep.id}`).query({ cascade: true }).expect(204);
      await api().get(`/engine-rest/deployment/${dep.id}`).expect(404);
      await api().get('/engine-rest/process-definition/key/disposable').expect(404);
      await api().get(`/engine-rest/history/process-instance/${inst}`).expect(404);
      expect((await api().get('/engine-rest/job').query({ processInstanceId: inst }).expect(200)).body).toEqual([]);
      await api().delete(`/engine-rest/deployment/${dep.id}`).expect(404);
      await api().delete(`/engine-rest/process-instance/${inst}`).expect(404);
      await api().delete(`/engine-rest/process-instance/${inst}`).query({ failIfNotExists: false }).expect(204);
      const sorted = await api()
        .get('/engine-rest/process-definition')
        .query({ sortBy: 'versionTag', sortOrder: 'asc' })
        .expect(400);
      expect(sorted.body.message).toContain("'versionTag'");
      // The other deployments are untouched.
      expect((await api().get('/engine-rest/process-definition/key/typedReview').expect(200)).body.key).toBe(
        'typedReview',
      );
    });

    it('history: variables with their types (local ones by activity), tasks and incidents', async () => {
      const id = await startReview('H-1', { when: TYPED.when, big: TYPED.small });
      const vars = (
        await api().get('/engine-rest/history/variable-instance').query({ processInstanceId: id }).expect(200)
      ).body;
      expect(vars.find((v: { name: string }) => v.name === 'when')).toMatchObject({
        type: 'Date',
        value: '2026-03-05T00:00:00.000+0000',
        processInstanceId: id,
      });
      expect(vars.find((v: { name: string }) => v.name === 'big')).toMatchObject({ type: 'Long', value: 5 });
      expect(
        (
          await api()
            .get('/engine-rest/history/variable-instance')
            .query({ variableName: 'big', variableValue: '5', processInstanceId: id })
            .expect(200)
        ).body,
      ).toHaveLength(1);
      expect(
        (
          await api()
            .get('/engine-rest/history/variable-instance/count')
            .query({ variableName: 'big', variableValue: '6', processInstanceId: id })
            .expect(200)
        ).body.count,
      ).toBe(0);
      const local = (
        await api().get('/engine-rest/history/variable-instance').query({ variableName: 'attempt' }).expect(200)
      ).body;
      expect(local[0]).toMatchObject({ type: 'Long', value: 1 });
      expect(local[0].activityInstanceId).not.toBe(local[0].processInstanceId);

      const task = await taskOf(id);
      await api().post(`/engine-rest/task/${task.id}/complete`).send({}).expect(204);
      const hist = (
        await api().get('/engine-rest/history/task').query({ processInstanceId: id, finished: true }).expect(200)
      ).body;
      expect(hist).toEqual([
        expect.objectContaining({
          id: task.id,
          taskDefinitionKey: 'review',
          name: '审核',
          deleteReason: 'completed',
          processInstanceId: id,
        }),
      ]);
      expect(hist[0].endTime).toMatch(/\+0000$/);
      // The POST queries, as Cockpit sends them: filters in the body, paging in the query string.
      const posted = (
        await api()
          .post('/engine-rest/history/variable-instance')
          .query({ deserializeValues: false, maxResults: 1 })
          .send({
            processInstanceIdIn: [id],
            variableName: 'big',
            sorting: [{ sortBy: 'variableName', sortOrder: 'asc' }],
          })
          .expect(200)
      ).body;
      expect(posted).toEqual([expect.objectContaining({ name: 'big', type: 'Long', value: 5 })]);
      expect(
        (
          await api()
            .post('/engine-rest/history/variable-instance/count')
            .send({ processInstanceIdIn: [id], variableNameLike: 'b%' })
            .expect(200)
        ).body,
      ).toEqual({ count: 1 });
      const inBody = await api()
        .post('/engine-rest/history/variable-instance')
        .send({ processInstanceIdIn: [id], maxResults: 1 })
        .expect(400);
      expect(inBody.body.message).toContain("'maxResults'");
      const byVariable = (operator: string) =>
        api()
          .post('/engine-rest/history/task')
          .send({ processInstanceId: id, processVariables: [{ name: 'big', operator, value: 5 }] })
          .expect(200);
      expect((await byVariable('eq')).body.map((x: { id: string }) => x.id)).toEqual([task.id]);
      expect((await byVariable('gt')).body).toEqual([]);
      expect(
        (
          await api()
            .post('/engine-rest/history/task/count')
            .send({ processInstanceId: id, finished: true })
            .expect(200)
        ).body,
      ).toEqual({ count: 1 });

      const w = (await start('typedWorker', { businessKey: 'H-2' }).expect(200)).body.id;
      const [x] = (
        await api()
          .post('/engine-rest/external-task/fetchAndLock')
          .send({ workerId: 'h', maxTasks: 5, topics: [{ topicName: 'typed-work', lockDuration: 60_000 }] })
          .expect(200)
      ).body.filter((y: { processInstanceId: string }) => y.processInstanceId === w);
      await api()
        .post(`/engine-rest/external-task/${x.id}/failure`)
        .send({ workerId: 'h', errorMessage: '接口不可用', retries: 0 })
        .expect(204);
      let incidents = (await api().get('/engine-rest/history/incident').query({ processInstanceId: w }).expect(200))
        .body;
      expect(incidents).toEqual([
        expect.objectContaining({
          incidentType: 'failedExternalTask',
          activityId: 'work',
          incidentMessage: '接口不可用',
          open: true,
          resolved: false,
          endTime: null,
        }),
      ]);
      await api().put(`/engine-rest/external-task/${x.id}/retries`).send({ retries: 1 }).expect(204);
      incidents = (
        await api().get('/engine-rest/history/incident').query({ processInstanceId: w, resolved: true }).expect(200)
      ).body;
      expect(incidents).toEqual([expect.objectContaining({ open: false, resolved: true })]);
    });
  });
});
