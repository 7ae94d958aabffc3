import { bpmn, startTestApp, type TestApp } from './support/test-app.js';

/** Camunda's variable types kept through /engine-rest, its filters, and its refusal of what it does not implement. */
const reviewXml = bpmn(`
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
  </process>`, 'typedReviewDefs');

const workerXml = bpmn(`
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
  </process>`, 'typedWorkerDefs');

const TYPED = {
  when: { value: '2026-03-05T08:00:00.000+0800', type: 'Date' },
  small: { value: 5, type: 'Long' },
  whole: { value: 3, type: 'Double' },
  tiny: { value: 7, type: 'Short' },
  order: { value: '{"item":"滤网","qty":2}', type: 'Object', valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'com.example.Order' } },
  doc: { value: '{"a":[1,2]}', type: 'Json' },
  label: { value: '河道', type: 'String' },
  noText: { value: null, type: 'String' },
  nothing: { value: null, type: 'Null' },
};

describe('/engine-rest variable types, filters and refusals', () => {
  let t: TestApp;
  const api = () => t.http;
  const start = (key: string, body: Record<string, unknown>) => api().post(`/engine-rest/process-definition/key/${key}/start`).send(body);
  const taskOf = async (instanceId: string) => (await api().get('/engine-rest/task').query({ processInstanceId: instanceId }).expect(200)).body[0];

  beforeAll(async () => {
    t = await startTestApp();
    await t.definitions.deploy('typed', [
      { resource: 'review.bpmn', content: reviewXml },
      { resource: 'worker.bpmn', content: workerXml },
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
      expect(vars.order.valueInfo).toEqual({ serializationDataFormat: 'application/json', objectTypeName: 'com.example.Order' });
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
        .send({ variables: { archive: { value: true, type: 'Boolean' }, checkedAt: { value: '2026-03-06T10:30:00.000+0000', type: 'Date' }, count: { value: 2, type: 'Long' } }, withVariablesInReturn: true })
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
      a = (await start('typedReview', { businessKey: 'F-A', variables: { river: { value: '清河', type: 'String' }, km: { value: 12, type: 'Integer' }, urgent: { value: true, type: 'Boolean' } } }).expect(200)).body.id;
      b = (await start('typedReview', { businessKey: 'F-B', variables: { river: { value: '凉水河', type: 'String' }, km: { value: 3, type: 'Long' }, urgent: { value: false, type: 'Boolean' } } }).expect(200)).body.id;
    });
    const ids = (body: { processInstanceId?: string; id: string }[]) => body.map((x) => x.processInstanceId ?? x.id).filter((x) => x === a || x === b);

    it('processVariables filters tasks, in the query string and in a POST body', async () => {
      expect(ids((await api().get('/engine-rest/task').query({ processVariables: 'river_eq_清河' }).expect(200)).body)).toEqual([a]);
      expect(ids((await api().get('/engine-rest/task').query({ processVariables: 'km_gt_5,urgent_eq_true' }).expect(200)).body)).toEqual([a]);
      expect(ids((await api().get('/engine-rest/task').query({ processVariables: 'river_like_%河' }).expect(200)).body).sort()).toEqual([a, b].sort());
      const posted = await api().post('/engine-rest/task').send({ processVariables: [{ name: 'km', operator: 'lteq', value: 3 }] }).expect(200);
      expect(ids(posted.body)).toEqual([b]);
      expect((await api().post('/engine-rest/task/count').send({ processVariables: [{ name: 'river', operator: 'eq', value: '不存在' }] }).expect(200)).body.count).toBe(0);
      expect(ids((await api().get('/engine-rest/task').query({ processVariables: 'RIVER_eq_清河', variableNamesIgnoreCase: true }).expect(200)).body)).toEqual([a]);
      expect(ids((await api().get('/engine-rest/task').query({ taskVariables: 'river_eq_清河' }).expect(200)).body)).toEqual([]);
      const bad = await api().get('/engine-rest/task').query({ processVariables: 'river_is_清河' }).expect(400);
      expect(bad.body).toMatchObject({ type: 'InvalidRequestException' });
      expect(bad.body.message).toContain('is');
    });

    it('variables filters process instances, running and in history', async () => {
      expect(ids((await api().get('/engine-rest/process-instance').query({ variables: 'km_lt_10' }).expect(200)).body)).toEqual([b]);
      expect(ids((await api().post('/engine-rest/process-instance').send({ variables: [{ name: 'urgent', operator: 'eq', value: true }] }).expect(200)).body)).toEqual([a]);
      expect(ids((await api().get('/engine-rest/history/process-instance').query({ variables: 'river_neq_清河' }).expect(200)).body)).toEqual([b]);
    });

    it('involvedUser, owner, priority and tenants filter instead of being ignored', async () => {
      const [taskA] = (await api().get('/engine-rest/task').query({ processInstanceId: a }).expect(200)).body;
      await api().post(`/engine-rest/task/${taskA.id}/claim`).send({ userId: 'li' }).expect(204);
      expect(ids((await api().get('/engine-rest/task').query({ involvedUser: 'li' }).expect(200)).body)).toEqual([a]);
      expect(ids((await api().get('/engine-rest/task').query({ owner: 'li' }).expect(200)).body)).toEqual([]);
      expect((await api().get('/engine-rest/task').query({ tenantIdIn: 'city' }).expect(200)).body).toEqual([]);
      expect(ids((await api().get('/engine-rest/task').query({ withoutTenantId: true }).expect(200)).body).sort()).toEqual([a, b].sort());
      expect((await api().get('/engine-rest/process-definition').query({ tenantIdIn: 'city' }).expect(200)).body).toEqual([]);
      const withNone = await api().get('/engine-rest/process-definition').query({ tenantIdIn: 'city', includeProcessDefinitionsWithoutTenantId: true, key: 'typedReview' }).expect(200);
      expect(withNone.body).toHaveLength(1);
      expect((await api().get('/engine-rest/external-task').query({ priorityHigherThanOrEquals: 1 }).expect(200)).body).toEqual([]);
    });

    it('a Camunda parameter that is not implemented is a 400 naming it, never a wider list', async () => {
      const res = await api().get('/engine-rest/task').query({ candidateGroupLike: 'HB%' }).expect(400);
      expect(res.body).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining("'candidateGroupLike'") });
      const body = await api().post('/engine-rest/task').send({ caseInstanceVariables: [{ name: 'x', operator: 'eq', value: 1 }] }).expect(400);
      expect(body.body.message).toContain("'caseInstanceVariables'");
      const inst = await api().get('/engine-rest/process-instance').query({ activityIdIn: 'review' }).expect(400);
      expect(inst.body.message).toContain("'activityIdIn'");
      const fetch = await api().post('/engine-rest/external-task/fetchAndLock').send({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'typed-work', lockDuration: 1000, processDefinitionVersionTag: 'v1' }] }).expect(400);
      expect(fetch.body.message).toContain('processDefinitionVersionTag');
    });
  });

  describe('external tasks', () => {
    const fetch = async (workerId: string) =>
      (await api().post('/engine-rest/external-task/fetchAndLock').send({ workerId, maxTasks: 5, topics: [{ topicName: 'typed-work', lockDuration: 60_000 }] }).expect(200)).body;

    it('a worker fetches typed values, completes with typed and local variables; locals stay off the process', async () => {
      const id = (await start('typedWorker', { businessKey: 'W-1', variables: { due: TYPED.when, big: TYPED.small } }).expect(200)).body.id;
      const [task] = (await fetch('w1')).filter((x: { processInstanceId: string }) => x.processInstanceId === id);
      expect(task.variables.due).toMatchObject({ type: 'Date', value: '2026-03-05T00:00:00.000+0000' });
      expect(task.variables.big).toMatchObject({ type: 'Long', value: 5 });
      await api()
        .post(`/engine-rest/external-task/${task.id}/complete`)
        .send({ workerId: 'w1', variables: { score: { value: 4, type: 'Double' } }, localVariables: { attempt: { value: 1, type: 'Long' } } })
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
        .send({ workerId: 'w2', errorMessage: '超时', retries: 1, retryTimeout: 0, variables: { lastError: { value: 'timeout', type: 'String' } } })
        .expect(204);
      expect((await api().get(`/engine-rest/process-instance/${id}/variables/lastError`).expect(200)).body).toMatchObject({ type: 'String', value: 'timeout' });
      [task] = (await fetch('w2')).filter((x: { processInstanceId: string }) => x.processInstanceId === id);
      await api()
        .post(`/engine-rest/external-task/${task.id}/bpmnError`)
        .send({ workerId: 'w2', errorCode: 'BAD', errorMessage: '地址无效', variables: { reason: { value: 'no such street', type: 'String' }, seen: { value: '2026-03-02T08:00:00.000+0000', type: 'Date' } } })
        .expect(204);
      expect((await taskOf(id)).taskDefinitionKey).toBe('fix');
      const vars = (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
      expect(vars.reason).toMatchObject({ type: 'String', value: 'no such street' });
      expect(vars.seen).toMatchObject({ type: 'Date', value: '2026-03-02T08:00:00.000+0000' });
    });
  });
});
