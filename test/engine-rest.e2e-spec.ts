import { HandlerRegistry } from '../src/engine/handler-registry.js';
import { DAY, bpmn, startTestApp, type TestApp } from './support/test-app.js';

const approvalXml = bpmn(`
  <process id="approval" name="审批" isExecutable="true">
    <startEvent id="start" name="提交"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <userTask id="review" name="审核" camunda:candidateGroups="HBJ,SLJ" camunda:priority="60"
              camunda:dueDate="\${environment.variables.deadline}" camunda:formKey="review-form">
      <documentation>请审核</documentation>
    </userTask>
    <boundaryEvent id="late" name="超期" attachedToRef="review" cancelActivity="false">
      <timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="fl" sourceRef="late" targetRef="reminded"/><endEvent id="reminded"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="decide"/>
    <exclusiveGateway id="decide" name="通过?" default="toRejected"/>
    <sequenceFlow id="toApproved" sourceRef="decide" targetRef="archive">
      <conditionExpression xsi:type="tFormalExpression">\${environment.variables.approved}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="toRejected" sourceRef="decide" targetRef="rejected"/>
    <userTask id="archive" name="归档"/>
    <sequenceFlow id="f3" sourceRef="archive" targetRef="end"/>
    <endEvent id="end" name="完成"/>
    <endEvent id="rejected" name="驳回"/>
  </process>`);

const waitingXml = bpmn(
  `
  <message id="msgPaid" name="paid"/>
  <signal id="sigGo" name="go"/>
  <process id="waiting" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="waitPaid"/>
    <intermediateCatchEvent id="waitPaid"><messageEventDefinition messageRef="msgPaid"/></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="waitPaid" targetRef="waitGo"/>
    <intermediateCatchEvent id="waitGo"><signalEventDefinition signalRef="sigGo"/></intermediateCatchEvent>
    <sequenceFlow id="f3" sourceRef="waitGo" targetRef="ship"/>
    <userTask id="ship" name="发货"/>
    <sequenceFlow id="f4" sourceRef="ship" targetRef="e"/>
    <endEvent id="e"/>
  </process>`,
  'waitingDefs',
);

const flakyXml = bpmn(
  `
  <process id="flaky" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
    <serviceTask id="call" name="调用接口" implementation="\${environment.services.flaky}"/>
    <sequenceFlow id="f2" sourceRef="call" targetRef="after"/>
    <userTask id="after" name="后续"/>
    <sequenceFlow id="f3" sourceRef="after" targetRef="e"/><endEvent id="e"/>
  </process>`,
  'flakyDefs',
);

const CAMUNDA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const NOW = Date.parse('2026-03-02T08:00:00.000Z');

describe('Camunda 7 REST subset at /engine-rest', () => {
  let t: TestApp;
  const api = () => t.http;
  const deploy = (name: string, files: Record<string, string | Buffer>) => {
    let req = api()
      .post('/engine-rest/deployment/create')
      .field('deployment-name', name)
      .field('deployment-source', 'Camunda Modeler')
      .field('deploy-changed-only', 'true')
      .field('enable-duplicate-filtering', 'true');
    for (const [file, content] of Object.entries(files)) req = req.attach(file, Buffer.from(content), file);
    return req;
  };
  const start = (key: string, body: Record<string, unknown>) =>
    api().post(`/engine-rest/process-definition/key/${key}/start`).send(body);
  const tasksOf = async (instanceId: string) =>
    (await api().get('/engine-rest/task').query({ processInstanceId: instanceId }).expect(200)).body;

  let upstreamDown = true;
  beforeAll(async () => {
    t = await startTestApp({ DUBAN_MAX_BPMN_BYTES: '20000' });
    t.app.get(HandlerRegistry).register('flaky', () => {
      if (upstreamDown) throw new Error('upstream down');
      return { fetched: 1 };
    });
    t.clock.pin(NOW);
  });
  afterAll(() => t.close());

  describe('deployment', () => {
    it('deploys a BPMN file sent as Camunda Modeler sends it', async () => {
      const res = await deploy('审批流程', { 'approval.bpmn': approvalXml }).expect(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toMatchObject({
        name: '审批流程',
        source: 'Camunda Modeler',
        tenantId: null,
        deploymentTime: '2026-03-02T08:00:00.000+0000',
      });
      const defs = Object.values(res.body.deployedProcessDefinitions) as any[];
      expect(defs).toHaveLength(1);
      expect(defs[0]).toMatchObject({
        key: 'approval',
        name: '审批',
        version: 1,
        resource: 'approval.bpmn',
        deploymentId: res.body.id,
        suspended: false,
        tenantId: null,
      });
      expect(Object.keys(res.body.deployedProcessDefinitions)).toEqual([defs[0].id]);
      await deploy('waiting', { 'waiting.bpmn': waitingXml }).expect(200);
    });

    it('deploys an unchanged file again without a new version', async () => {
      const res = await deploy('审批流程', { 'approval.bpmn': approvalXml }).expect(200);
      expect(res.body.deployedProcessDefinitions).toBeNull();
      const list = await api().get('/engine-rest/process-definition').query({ key: 'approval' }).expect(200);
      expect(list.body).toHaveLength(1);
      expect(res.body.id).toBe(list.body[0].deploymentId);
    });

    it('refuses a hostile file (DOCTYPE) with a ParseException, storing nothing', async () => {
      const deployments = (await api().get('/engine-rest/deployment/count').expect(200)).body.count;
      const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>${bpmn('<process id="evil" isExecutable="true"><startEvent id="s" name="&e;"/></process>').replace(/^<\?xml[^>]*\?>\n?/, '')}`;
      const res = await deploy('evil', {
        'evil.bpmn': xxe,
        'fine.bpmn': bpmn('<process id="fine" isExecutable="true"><startEvent id="s"/></process>', 'fineDefs'),
      }).expect(400);
      expect(res.body.type).toBe('ParseException');
      expect(res.body.message).toContain('evil.bpmn');
      expect(res.body.details['evil.bpmn'].errors.length).toBeGreaterThan(0);
      expect(
        (await api().get('/engine-rest/process-definition').query({ keysIn: 'evil,fine' }).expect(200)).body,
      ).toEqual([]);
      expect((await api().get('/engine-rest/deployment/count').expect(200)).body.count).toBe(deployments);
    });

    it('names the refused element', async () => {
      const script = bpmn(
        '<process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="evil"/><scriptTask id="evil" scriptFormat="javascript"><script>1</script></scriptTask></process>',
      );
      const res = await deploy('script', { 'script.bpmn': script }).expect(400);
      const errors = res.body.details['script.bpmn'].errors;
      // Camunda's ProblemDto: mainElementId and elementIds (no elementId).
      expect(errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ mainElementId: 'evil', elementIds: ['evil'] })]),
      );
      expect(errors[0]).not.toHaveProperty('elementId');
    });

    it('refuses a file over DUBAN_MAX_BPMN_BYTES with a 400 naming the limit', async () => {
      const big = bpmn(
        `<process id="big" isExecutable="true"><documentation>${'x'.repeat(30_000)}</documentation><startEvent id="s"/></process>`,
      );
      const res = await deploy('big', { 'big.bpmn': big }).expect(400);
      expect(res.body).toMatchObject({ type: 'InvalidRequestException' });
      expect(res.body.message).toContain('20000 bytes');
    });

    it('refuses a form without files', async () => {
      const res = await api().post('/engine-rest/deployment/create').field('deployment-name', 'x').expect(400);
      expect(res.body.type).toBe('InvalidRequestException');
    });
  });

  describe('process definitions', () => {
    it('lists, counts and finds by key', async () => {
      const list = await api()
        .get('/engine-rest/process-definition')
        .query({ latestVersion: true, sortBy: 'key', sortOrder: 'asc' })
        .expect(200);
      expect(list.body.map((d: any) => d.key)).toEqual(['approval', 'waiting']);
      expect(
        (await api().get('/engine-rest/process-definition/count').query({ keyLike: 'appr%' }).expect(200)).body,
      ).toEqual({ count: 1 });
      const byKey = await api().get('/engine-rest/process-definition/key/approval').expect(200);
      expect(byKey.body).toMatchObject({ key: 'approval', version: 1 });
      const byId = await api()
        .get(`/engine-rest/process-definition/${encodeURIComponent(byKey.body.id)}`)
        .expect(200);
      expect(byId.body.id).toBe(byKey.body.id);
      await api().get('/engine-rest/process-definition').query({ sortBy: 'nonsense', sortOrder: 'asc' }).expect(400);
    });

    it('returns the XML by key and by id', async () => {
      const byKey = await api().get('/engine-rest/process-definition/key/approval/xml').expect(200);
      expect(byKey.body.bpmn20Xml).toBe(approvalXml);
      const byId = await api()
        .get(`/engine-rest/process-definition/${encodeURIComponent(byKey.body.id)}/xml`)
        .expect(200);
      expect(byId.body).toEqual(byKey.body);
    });

    it('answers 404 for an unknown key', async () => {
      const res = await api().get('/engine-rest/process-definition/key/nope').expect(404);
      expect(res.body.type).toBe('InvalidRequestException');
      await start('nope', {}).expect(404);
    });
  });

  describe('start, tasks and the gateway', () => {
    let instanceId: string;

    it('starts with typed variables and a business key', async () => {
      const res = await start('approval', {
        businessKey: 'P-100',
        withVariablesInReturn: true,
        variables: {
          title: { value: '河道整改', type: 'String' },
          amount: { value: 1200, type: 'Integer' },
          big: { value: '9007199254740991', type: 'Long' },
          ratio: { value: 0.5, type: 'Double' },
          urgent: { value: 'true', type: 'Boolean' },
          deadline: { value: '2026-03-05T08:00:00.000+0000', type: 'Date' },
          detail: { value: '{"river":"清河","km":[1,2]}', type: 'Json' },
          extra: {
            value: '{"a":1}',
            type: 'Object',
            valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'java.util.HashMap' },
          },
          nothing: { value: null, type: 'Null' },
        },
      }).expect(200);
      instanceId = res.body.id;
      expect(res.body).toMatchObject({
        businessKey: 'P-100',
        ended: false,
        suspended: false,
        tenantId: null,
        links: [],
      });
      expect(res.body.definitionId).toMatch(/^approval:1:/);
      expect(res.body.variables.amount).toEqual({ type: 'Integer', value: 1200, valueInfo: {} });

      const vars = (await api().get(`/engine-rest/process-instance/${instanceId}/variables`).expect(200)).body;
      expect(vars.title).toEqual({ type: 'String', value: '河道整改', valueInfo: {} });
      expect(vars.big).toMatchObject({ type: 'Long', value: 9007199254740991 });
      expect(vars.ratio).toMatchObject({ type: 'Double', value: 0.5 });
      expect(vars.urgent).toMatchObject({ type: 'Boolean', value: true });
      expect(vars.deadline).toMatchObject({ type: 'Date', value: '2026-03-05T08:00:00.000+0000' });
      expect(vars.detail.type).toBe('Json');
      expect(JSON.parse(vars.detail.value)).toEqual({ river: '清河', km: [1, 2] });
      expect(JSON.parse(vars.extra.value)).toEqual({ a: 1 });
      expect(vars.nothing).toEqual({ type: 'Null', value: null, valueInfo: {} });
      const one = (await api().get(`/engine-rest/process-instance/${instanceId}/variables/amount`).expect(200)).body;
      expect(one).toMatchObject({ type: 'Integer', value: 1200 });
    });

    it('refuses a bad typed value with a 400 naming the variable', async () => {
      const bad = await start('approval', { variables: { amount: { value: 'abc', type: 'Integer' } } }).expect(400);
      expect(bad.body.type).toBe('InvalidRequestException');
      expect(bad.body.message).toContain("'amount'");
      const badType = await start('approval', { variables: { file: { value: 'x', type: 'File' } } }).expect(400);
      expect(badType.body.message).toContain("'file'");
      const badJson = await start('approval', { variables: { j: { value: '{nope', type: 'Json' } } }).expect(400);
      expect(badJson.body.message).toContain("'j'");
      const badBody = await start('approval', { businessKey: 42 }).expect(400);
      expect(badBody.body).toMatchObject({ type: 'InvalidRequestException' });
      expect(badBody.body.message).toContain('businessKey');
    });

    it('lists the running instance and filters', async () => {
      const list = await api().get('/engine-rest/process-instance').query({ businessKey: 'P-100' }).expect(200);
      expect(list.body.map((i: any) => i.id)).toEqual([instanceId]);
      const byIds = await api()
        .get('/engine-rest/process-instance')
        .query({ processInstanceIds: `${instanceId},not-a-uuid`, processDefinitionKey: 'approval' })
        .expect(200);
      expect(byIds.body).toHaveLength(1);
      expect(
        (await api().get('/engine-rest/process-instance/count').query({ processDefinitionKey: 'approval' }).expect(200))
          .body.count,
      ).toBe(1);
      expect((await api().get(`/engine-rest/process-instance/${instanceId}`).expect(200)).body.id).toBe(instanceId);
      await api().get('/engine-rest/process-instance/not-a-uuid').expect(404);
    });

    it('shows the task as Camunda does and filters tasks', async () => {
      const [task] = await tasksOf(instanceId);
      expect(task).toMatchObject({
        name: '审核',
        assignee: null,
        priority: 60,
        processInstanceId: instanceId,
        taskDefinitionKey: 'review',
        formKey: 'review-form',
        description: '请审核',
        due: '2026-03-05T08:00:00.000+0000',
        created: '2026-03-02T08:00:00.000+0000',
        tenantId: null,
        suspended: false,
      });
      expect(task.created).toMatch(CAMUNDA_DATE);
      expect((await api().get(`/engine-rest/task/${task.id}`).expect(200)).body).toEqual(task);

      const q = async (query: Record<string, string>) =>
        (await api().get('/engine-rest/task').query(query).expect(200)).body.map((x: any) => x.id);
      expect(await q({ candidateGroup: 'HBJ' })).toContain(task.id);
      expect(await q({ candidateGroup: 'NOBODY' })).not.toContain(task.id);
      expect(await q({ processInstanceBusinessKey: 'P-100' })).toEqual([task.id]);
      expect(await q({ taskDefinitionKey: 'review', processDefinitionKey: 'approval' })).toContain(task.id);
      expect(await q({ dueBefore: '2026-03-06T00:00:00.000+0000', processInstanceId: instanceId })).toEqual([task.id]);
      expect(await q({ dueAfter: '2026-03-06T00:00:00.000+0000', processInstanceId: instanceId })).toEqual([]);
      expect(await q({ assignee: 'li' })).toEqual([]);
      await api().get('/engine-rest/task').query({ dueBefore: 'tomorrow' }).expect(400);
      expect(
        (await api().get('/engine-rest/task/count').query({ processInstanceId: instanceId }).expect(200)).body,
      ).toEqual({ count: 1 });
      const posted = await api()
        .post('/engine-rest/task')
        .send({ processInstanceBusinessKey: 'P-100', sorting: [{ sortBy: 'priority', sortOrder: 'desc' }] })
        .expect(200);
      expect(posted.body.map((x: any) => x.id)).toEqual([task.id]);
    });

    it('sorts and pages tasks', async () => {
      const a = (
        await start('approval', {
          businessKey: 'P-SORT-1',
          variables: { deadline: { value: '2026-04-01T00:00:00.000+0000', type: 'Date' } },
        }).expect(200)
      ).body.id;
      const b = (
        await start('approval', {
          businessKey: 'P-SORT-2',
          variables: { deadline: { value: '2026-03-10T00:00:00.000+0000', type: 'Date' } },
        }).expect(200)
      ).body.id;
      const sorted = await api()
        .get('/engine-rest/task')
        .query({ processInstanceBusinessKeyLike: 'P-SORT-%', sortBy: 'dueDate', sortOrder: 'asc' })
        .expect(200);
      expect(sorted.body.map((x: any) => x.processInstanceId)).toEqual([b, a]);
      const desc = await api()
        .get('/engine-rest/task')
        .query({
          processInstanceBusinessKeyLike: 'P-SORT-%',
          sortBy: 'due',
          sortOrder: 'desc',
          firstResult: 1,
          maxResults: 1,
        })
        .expect(200);
      expect(desc.body.map((x: any) => x.processInstanceId)).toEqual([b]);
      for (const id of [a, b]) await api().delete(`/engine-rest/process-instance/${id}`).expect(204);
    });

    it('claims, refuses a second claimant, unclaims and sets the assignee', async () => {
      const [task] = await tasksOf(instanceId);
      await api().post(`/engine-rest/task/${task.id}/claim`).send({ userId: 'li' }).expect(204);
      const taken = await api().post(`/engine-rest/task/${task.id}/claim`).send({ userId: 'wang' }).expect(409);
      expect(taken.body.type).toBe('TaskAlreadyClaimedException');
      const noUser = await api().post(`/engine-rest/task/${task.id}/claim`).send({}).expect(400);
      expect(noUser.body.type).toBe('InvalidRequestException');
      expect(
        (await api().get('/engine-rest/task').query({ assignee: 'li' }).expect(200)).body.map((x: any) => x.id),
      ).toEqual([task.id]);
      // Candidate queries leave out claimed tasks unless includeAssignedTasks, as Camunda's.
      expect(
        (
          await api()
            .get('/engine-rest/task')
            .query({ candidateGroup: 'HBJ', processInstanceId: instanceId })
            .expect(200)
        ).body,
      ).toEqual([]);
      expect(
        (
          await api()
            .get('/engine-rest/task')
            .query({ candidateGroup: 'HBJ', includeAssignedTasks: true, processInstanceId: instanceId })
            .expect(200)
        ).body,
      ).toHaveLength(1);
      await api().post(`/engine-rest/task/${task.id}/unclaim`).expect(204);
      expect((await api().get(`/engine-rest/task/${task.id}`).expect(200)).body.assignee).toBeNull();
      await api().post(`/engine-rest/task/${task.id}/assignee`).send({ userId: 'zhao' }).expect(204);
      expect((await api().get(`/engine-rest/task/${task.id}`).expect(200)).body.assignee).toBe('zhao');
      await api()
        .post('/engine-rest/task/00000000-0000-0000-0000-000000000000/claim')
        .send({ userId: 'li' })
        .expect(404);
      await api().post('/engine-rest/task/garbage/claim').send({ userId: 'li' }).expect(404);
    });

    it('shows the boundary timer as a job', async () => {
      const jobs = (await api().get('/engine-rest/job').query({ processInstanceId: instanceId }).expect(200)).body;
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        jobDefinitionId: 'late',
        processInstanceId: instanceId,
        processDefinitionKey: 'approval',
        dueDate: '2026-03-05T08:00:00.000+0000',
        retries: 3,
        exceptionMessage: null,
        suspended: false,
      });
      expect(
        (await api().get('/engine-rest/job/count').query({ processInstanceId: instanceId, timers: true }).expect(200))
          .body,
      ).toEqual({ count: 1 });
      expect((await api().get(`/engine-rest/job/${jobs[0].id}`).expect(200)).body.id).toBe(jobs[0].id);
      await api().put(`/engine-rest/job/${jobs[0].id}/retries`).send({ retries: 3 }).expect(204);
      expect(
        (await api().get('/engine-rest/incident').query({ processInstanceId: instanceId }).expect(200)).body,
      ).toEqual([]);
    });

    it('completes with variables; the gateway takes the path they choose; completing again is a 404', async () => {
      const [task] = await tasksOf(instanceId);
      const res = await api()
        .post(`/engine-rest/task/${task.id}/complete`)
        .send({
          variables: { approved: { value: true, type: 'Boolean' }, comment: { value: '同意' } },
          withVariablesInReturn: true,
        })
        .expect(200);
      expect(res.body.approved).toEqual({ type: 'Boolean', value: true, valueInfo: {} });
      expect(res.body.comment).toMatchObject({ type: 'String', value: '同意' });
      const again = await api().post(`/engine-rest/task/${task.id}/complete`).send({}).expect(404);
      expect(again.body.type).toBe('InvalidRequestException');
      const next = await tasksOf(instanceId);
      expect(next.map((x: any) => x.taskDefinitionKey)).toEqual(['archive']);
      // The boundary timer went with the task.
      expect((await api().get('/engine-rest/job').query({ processInstanceId: instanceId }).expect(200)).body).toEqual(
        [],
      );
    });

    it('takes the default flow when the variables say no', async () => {
      const id = (await start('approval', { businessKey: 'P-NO' }).expect(200)).body.id;
      const [task] = await tasksOf(id);
      await api()
        .post(`/engine-rest/task/${task.id}/complete`)
        .send({ variables: { approved: { value: false, type: 'Boolean' } } })
        .expect(204);
      await api().get(`/engine-rest/process-instance/${id}`).expect(404);
      const hist = (await api().get(`/engine-rest/history/process-instance/${id}`).expect(200)).body;
      expect(hist).toMatchObject({
        id,
        state: 'COMPLETED',
        businessKey: 'P-NO',
        processDefinitionKey: 'approval',
        startActivityId: 'start',
      });
      const acts = (
        await api()
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: id, sortBy: 'startTime', sortOrder: 'asc' })
          .expect(200)
      ).body;
      expect(acts.map((a: any) => a.activityId)).toEqual(
        expect.arrayContaining(['start', 'review', 'decide', 'rejected']),
      );
      expect(acts.map((a: any) => a.activityId)).not.toContain('archive');
    });

    it('answers two concurrent completions with one 204 and one 4xx', async () => {
      const id = (await start('approval', { businessKey: 'P-RACE' }).expect(200)).body.id;
      const [task] = await tasksOf(id);
      const body = { variables: { approved: { value: false, type: 'Boolean' } } };
      const results = await Promise.all([
        api().post(`/engine-rest/task/${task.id}/complete`).send(body),
        api().post(`/engine-rest/task/${task.id}/complete`).send(body),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(204);
      expect([404, 409]).toContain(statuses[1]);
      expect((await api().get(`/engine-rest/history/process-instance/${id}`).expect(200)).body.state).toBe('COMPLETED');
    });

    it('records the activity instances in history', async () => {
      const acts = (
        await api()
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: instanceId, sortBy: 'startTime', sortOrder: 'asc' })
          .expect(200)
      ).body;
      const byId = Object.fromEntries(acts.map((a: any) => [a.activityId, a]));
      expect(Object.keys(byId)).toEqual(expect.arrayContaining(['start', 'review', 'decide', 'archive']));
      expect(byId.start).toMatchObject({
        activityType: 'startEvent',
        activityName: '提交',
        processInstanceId: instanceId,
        startTime: '2026-03-02T08:00:00.000+0000',
      });
      expect(byId.review).toMatchObject({
        activityType: 'userTask',
        activityName: '审核',
        assignee: 'zhao',
        canceled: false,
        durationInMillis: 0,
      });
      expect(byId.review.endTime).toMatch(CAMUNDA_DATE);
      expect(byId.decide.activityType).toBe('exclusiveGateway');
      expect(byId.archive).toMatchObject({ activityType: 'userTask', endTime: null, durationInMillis: null });
      const [open] = await tasksOf(instanceId);
      expect(byId.archive.taskId).toBe(open.id);
      const only = (
        await api()
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: instanceId, activityId: 'review' })
          .expect(200)
      ).body;
      expect(only).toHaveLength(1);
      expect(
        (
          await api()
            .get('/engine-rest/history/activity-instance/count')
            .query({ processInstanceId: instanceId, activityType: 'userTask' })
            .expect(200)
        ).body.count,
      ).toBe(2);
      const hist = (await api().get(`/engine-rest/history/process-instance/${instanceId}`).expect(200)).body;
      expect(hist).toMatchObject({
        state: 'ACTIVE',
        endTime: null,
        durationInMillis: null,
        startTime: '2026-03-02T08:00:00.000+0000',
      });
    });

    it('deletes a running instance: 204, then gone, history EXTERNALLY_TERMINATED', async () => {
      await api().delete(`/engine-rest/process-instance/${instanceId}`).expect(204);
      await api().get(`/engine-rest/process-instance/${instanceId}`).expect(404);
      await api().delete(`/engine-rest/process-instance/${instanceId}`).expect(404);
      expect(await tasksOf(instanceId)).toEqual([]);
      const hist = (await api().get(`/engine-rest/history/process-instance/${instanceId}`).expect(200)).body;
      expect(hist.state).toBe('EXTERNALLY_TERMINATED');
      const open = (
        await api()
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: instanceId, activityId: 'archive' })
          .expect(200)
      ).body;
      expect(open[0]).toMatchObject({ canceled: true });
      expect(open[0].endTime).toMatch(CAMUNDA_DATE);
    });
  });

  describe('timers over time', () => {
    it('fires the boundary timer when the clock passes its due date', async () => {
      const id = (await start('approval', { businessKey: 'P-LATE' }).expect(200)).body.id;
      const [job] = (await api().get('/engine-rest/job').query({ processInstanceId: id }).expect(200)).body;
      expect(job.dueDate).toBe(new Date(NOW + 3 * DAY).toISOString().replace('Z', '+0000'));
      await api()
        .post('/api/admin/clock/add')
        .send({ offsetMilli: 3 * DAY + 1000 })
        .expect(200);
      const reminded = (
        await api()
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: id, activityId: 'reminded' })
          .expect(200)
      ).body;
      expect(reminded).toHaveLength(1);
      await api().delete(`/engine-rest/process-instance/${id}`).expect(204);
      t.clock.pin(NOW);
    });
  });

  describe('messages and signals', () => {
    it('correlates a message by business key, then a signal moves it on', async () => {
      const a = (await start('waiting', { businessKey: 'W-1' }).expect(200)).body.id;
      const b = (await start('waiting', { businessKey: 'W-2' }).expect(200)).body.id;
      const none = await api()
        .post('/engine-rest/message')
        .send({ messageName: 'paid', businessKey: 'W-404' })
        .expect(400);
      expect(none.body.type).toBe('MismatchingMessageCorrelationException');
      await api().post('/engine-rest/message').send({ messageName: 'nobody-waits' }).expect(400);

      const res = await api()
        .post('/engine-rest/message')
        .send({
          messageName: 'paid',
          businessKey: 'W-2',
          processVariables: { paidBy: { value: 'wang', type: 'String' } },
          resultEnabled: true,
          variablesInResultEnabled: true,
        })
        .expect(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({
        resultType: 'Execution',
        execution: { processInstanceId: b, ended: false },
        processInstance: null,
      });
      expect(res.body[0].variables.paidBy).toMatchObject({ type: 'String', value: 'wang' });
      const waitingA = (
        await api()
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: a, activityId: 'waitPaid', unfinished: true })
          .expect(200)
      ).body;
      expect(waitingA).toHaveLength(1);

      await api().post('/engine-rest/message').send({ messageName: 'paid', businessKey: 'W-1' }).expect(204);
      await api()
        .post('/engine-rest/signal')
        .send({ name: 'go', variables: { goAt: { value: 'now', type: 'String' } } })
        .expect(204);
      for (const id of [a, b]) expect((await tasksOf(id)).map((x: any) => x.taskDefinitionKey)).toEqual(['ship']);
      await api().post('/engine-rest/signal').send({ name: 'nobody-listens' }).expect(204);
      const noName = await api().post('/engine-rest/signal').send({}).expect(400);
      expect(noName.body.type).toBe('InvalidRequestException');
    });
  });

  describe('incidents and job retries', () => {
    it('shows an open incident on the jobs of its instance; PUT /job/{id}/retries retries it', async () => {
      const id = (await start('approval', { businessKey: 'INC-1' }).expect(200)).body.id;
      // An incident on an instance waiting at a user task, as the engine records one for a failed step.
      const incidentId = '11111111-2222-4333-8444-555555555555';
      await t.db.query(
        `INSERT INTO engine_incident (id, instance_id, activity_id, incident_type, message, command, created_at) VALUES ($1,$2,'review','failedJob','upstream down',$3,$4)`,
        [incidentId, id, JSON.stringify({ kind: 'wake', runServices: true }), new Date(NOW)],
      );
      const [incident] = (await api().get('/engine-rest/incident').query({ processInstanceId: id }).expect(200)).body;
      expect(incident).toMatchObject({
        id: incidentId,
        processInstanceId: id,
        incidentType: 'failedJob',
        activityId: 'review',
        incidentMessage: 'upstream down',
        incidentTimestamp: '2026-03-02T08:00:00.000+0000',
        configuration: incidentId,
      });
      expect((await api().get(`/engine-rest/incident/${incidentId}`).expect(200)).body.id).toBe(incidentId);
      const jobs = (
        await api()
          .get('/engine-rest/job')
          .query({ processInstanceId: id, sortBy: 'jobDueDate', sortOrder: 'asc' })
          .expect(200)
      ).body;
      expect(jobs).toHaveLength(2);
      const timer = jobs.find((j: any) => j.jobDefinitionId === 'late');
      const failed = jobs.find((j: any) => j.id === incidentId);
      expect(timer).toMatchObject({ retries: 0, exceptionMessage: 'upstream down' });
      expect(failed).toMatchObject({
        jobDefinitionId: 'review',
        retries: 0,
        exceptionMessage: 'upstream down',
        failedActivityId: 'review',
        dueDate: null,
      });
      expect(
        (await api().get('/engine-rest/job/count').query({ processInstanceId: id, messages: true }).expect(200)).body
          .count,
      ).toBe(1);
      expect(
        (await api().get('/engine-rest/job/count').query({ processInstanceId: id, withRetriesLeft: true }).expect(200))
          .body.count,
      ).toBe(0);
      expect(
        (await api().get('/engine-rest/process-instance').query({ withIncident: true }).expect(200)).body.map(
          (i: any) => i.id,
        ),
      ).toEqual([id]);

      await api().put(`/engine-rest/job/${timer.id}/retries`).send({ retries: 0 }).expect(204);
      expect((await api().get('/engine-rest/incident').query({ processInstanceId: id }).expect(200)).body).toHaveLength(
        1,
      );
      await api().put(`/engine-rest/job/${timer.id}/retries`).send({ retries: 1 }).expect(204);
      expect((await api().get('/engine-rest/incident').query({ processInstanceId: id }).expect(200)).body).toEqual([]);
      const after = (await api().get('/engine-rest/job').query({ processInstanceId: id }).expect(200)).body;
      expect(after.map((j: any) => [j.jobDefinitionId, j.retries])).toEqual([['late', 3]]);
      expect((await tasksOf(id)).map((x: any) => x.taskDefinitionKey)).toEqual(['review']);
      await api().delete(`/engine-rest/process-instance/${id}`).expect(204);
    });
  });

  describe('a failed service step', () => {
    it('is an incident and a message job with no retries; PUT /job/{id}/retries runs it again', async () => {
      await deploy('flaky', { 'flaky.bpmn': flakyXml }).expect(200);
      const id = (await start('flaky', { businessKey: 'F-1' }).expect(200)).body.id;
      let incident: any;
      for (let i = 0; i < 200 && !incident; i++) {
        [incident] = (await api().get('/engine-rest/incident').query({ processInstanceId: id }).expect(200)).body;
        if (!incident) await new Promise((r) => setTimeout(r, 25));
      }
      expect(incident).toMatchObject({ processInstanceId: id, incidentType: 'failedJob', activityId: 'call' });
      expect(incident.incidentMessage).toContain('upstream down');
      const jobs = (await api().get('/engine-rest/job').query({ processInstanceId: id }).expect(200)).body;
      expect(jobs).toEqual([
        expect.objectContaining({
          id: incident.configuration,
          jobDefinitionId: 'call',
          retries: 0,
          failedActivityId: 'call',
        }),
      ]);
      expect(jobs[0].exceptionMessage).toContain('upstream down');

      // Still failing: accepted, and the incident stays with the new failure.
      await api().put(`/engine-rest/job/${jobs[0].id}/retries`).send({ retries: 1 }).expect(204);
      expect((await api().get('/engine-rest/incident').query({ processInstanceId: id }).expect(200)).body).toHaveLength(
        1,
      );

      upstreamDown = false;
      await api().put(`/engine-rest/job/${jobs[0].id}/retries`).send({ retries: 1 }).expect(204);
      expect((await api().get('/engine-rest/incident').query({ processInstanceId: id }).expect(200)).body).toEqual([]);
      expect((await api().get('/engine-rest/job').query({ processInstanceId: id }).expect(200)).body).toEqual([]);
      expect((await tasksOf(id)).map((x: any) => x.taskDefinitionKey)).toEqual(['after']);
      expect((await api().get(`/engine-rest/process-instance/${id}/variables/fetched`).expect(200)).body).toMatchObject(
        { type: 'Integer', value: 1 },
      );
    });
  });

  describe('Camunda Modeler', () => {
    it('answers the connection check and starts the version it just deployed by id', async () => {
      expect((await api().get('/engine-rest/version').expect(200)).body.version).toMatch(/^7\./);
      const changed = approvalXml.replace('name="审批"', 'name="审批 v2"');
      const dep = await deploy('审批流程', { 'approval.bpmn': changed }).expect(200);
      const [def] = Object.values(dep.body.deployedProcessDefinitions) as any[];
      expect(def).toMatchObject({ key: 'approval', version: 2, name: '审批 v2' });
      const started = await api()
        .post(`/engine-rest/process-definition/${encodeURIComponent(def.id)}/start`)
        .send({ businessKey: 'M-1' })
        .expect(200);
      expect(started.body.definitionId).toBe(def.id);
      const [v1] = (
        await api().get('/engine-rest/process-definition').query({ key: 'approval', version: 1 }).expect(200)
      ).body;
      const old = await api()
        .post(`/engine-rest/process-definition/${encodeURIComponent(v1.id)}/start`)
        .send({})
        .expect(200);
      expect(old.body.definitionId).toBe(v1.id);
      await api().delete(`/engine-rest/process-instance/${started.body.id}`).expect(204);
      await api().delete(`/engine-rest/process-instance/${old.body.id}`).expect(204);
    });
  });

  describe('errors', () => {
    it('answers unknown ids with 404 in Camunda form, never a 500', async () => {
      for (const path of [
        '/engine-rest/task/abc',
        '/engine-rest/process-instance/abc',
        '/engine-rest/history/process-instance/abc',
        '/engine-rest/job/abc',
        '/engine-rest/incident/abc',
        '/engine-rest/external-task/abc',
        '/engine-rest/deployment/abc',
        '/engine-rest/process-definition/abc',
      ]) {
        const res = await api().get(path).expect(404);
        expect(res.body.type).toBe('InvalidRequestException');
        expect(typeof res.body.message).toBe('string');
      }
      await api().post('/engine-rest/task/abc/complete').send({}).expect(404);
      await api().put('/engine-rest/job/abc/retries').send({ retries: 1 }).expect(404);
      await api().put('/engine-rest/job/abc/retries').send({ retries: -1 }).expect(400);
    });
  });
});
