import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DAY, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Camunda conformance: processes modelled after Camunda 7's own engine tests (named beside each case), written
 * as our fixtures, each run through /engine-rest and checked against the path, variables and history the
 * Camunda test asserts.
 */
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'camunda');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const NOW = Date.parse('2026-03-02T08:00:00.000Z');

type Plain = Record<string, unknown>;

function typed(vars: Plain): Record<string, { value: unknown; type: string }> {
  const out: Record<string, { value: unknown; type: string }> = {};
  for (const [k, v] of Object.entries(vars)) {
    const type =
      typeof v === 'boolean'
        ? 'Boolean'
        : typeof v === 'number'
          ? Number.isInteger(v)
            ? 'Integer'
            : 'Double'
          : typeof v === 'string'
            ? 'String'
            : v === null
              ? 'Null'
              : 'Json';
    out[k] = { value: type === 'Json' ? JSON.stringify(v) : v, type };
  }
  return out;
}

describe('Camunda conformance through /engine-rest', () => {
  let t: TestApp;
  const api = () => t.http;

  const deploy = async (name: string, ...files: string[]) => {
    let req = api()
      .post('/engine-rest/deployment/create')
      .field('deployment-name', name)
      .field('deployment-source', 'Camunda Modeler');
    for (const f of files) req = req.attach(f, fixture(f), f);
    return req;
  };
  const deployOk = async (...files: string[]) => {
    const res = await deploy(files[0], ...files);
    if (res.status !== 200)
      throw new Error(`deploy of ${files.join(', ')} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const start = async (key: string, vars: Plain = {}, businessKey?: string) => {
    const res = await api()
      .post(`/engine-rest/process-definition/key/${key}/start`)
      .send({ variables: typed(vars), businessKey });
    if (res.status !== 200) throw new Error(`start of ${key} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const tasks = async (pi: string) =>
    (await api().get('/engine-rest/task').query({ processInstanceId: pi }).expect(200)).body as any[];
  const taskKeys = async (pi: string) => (await tasks(pi)).map((x) => x.taskDefinitionKey).sort();
  const complete = async (pi: string, key: string, vars: Plain = {}) => {
    const task = (await tasks(pi)).find((x) => x.taskDefinitionKey === key);
    if (!task) throw new Error(`no open task ${key} in ${pi}: ${JSON.stringify(await taskKeys(pi))}`);
    await api()
      .post(`/engine-rest/task/${task.id}/complete`)
      .send({ variables: typed(vars) })
      .expect(204);
  };
  /** The activities the instance passed through (ended or open), in the order they started. */
  const activities = async (pi: string) =>
    (
      (
        await api()
          .get('/engine-rest/history/activity-instance')
          .query({ processInstanceId: pi, sortBy: 'startTime', sortOrder: 'asc' })
          .expect(200)
      ).body as any[]
    ).map((a) => a.activityId);
  const state = async (pi: string) =>
    (await api().get(`/engine-rest/history/process-instance/${pi}`).expect(200)).body.state as string;
  const variables = async (pi: string) =>
    (await api().get(`/engine-rest/process-instance/${pi}/variables`).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(NOW);
  });
  afterAll(() => t.close());

  describe('expressions (JUEL)', () => {
    it('takes the approved path for ${approved} = true, and the default flow for false', async () => {
      await deployOk('exclusive-gateway-approved.bpmn');
      const yes = await start('juelApproval', { reviewer: 'zhao' });
      const [task] = await tasks(yes);
      expect(task).toMatchObject({
        taskDefinitionKey: 'review',
        assignee: 'zhao',
        due: '2026-03-04T08:00:00.000+0000',
      });
      await complete(yes, 'review', { approved: true });
      expect(await state(yes)).toBe('COMPLETED');
      expect(await activities(yes)).toContain('approvedEnd');
      expect(await activities(yes)).not.toContain('rejectedEnd');
      const no = await start('juelApproval', { reviewer: 'qian' });
      await complete(no, 'review', { approved: false });
      expect(await activities(no)).toContain('rejectedEnd');
    });

    it('ExclusiveGatewayTest.testDivergingExclusiveGateway: ${input == n} picks task n', async () => {
      await deployOk('exclusive-gateway-diverging.bpmn');
      for (const n of [1, 2, 3]) {
        const pi = await start('exclusiveGwDiverging', { input: n });
        expect(await taskKeys(pi)).toEqual([`theTask${n}`]);
      }
    });
  });
  describe('files Camunda accepts', () => {
    it('runs a file whose <definitions> has no id to its end', async () => {
      await deployOk('definitions-without-id.bpmn');
      const pi = await start('noDefinitionsId');
      await complete(pi, 'task');
      expect(await state(pi)).toBe('COMPLETED');
      expect(await activities(pi)).toEqual(['theStart', 'task', 'theEnd']);
    });

    it('ExclusiveGatewayTest.testNoIdOnSequenceFlow: sequence flows without id run', async () => {
      await deployOk('sequence-flow-without-id.bpmn');
      expect(await taskKeys(await start('noIdOnSequenceFlow', { input: 1 }))).toEqual(['theTask1']);
      const pi = await start('noIdOnSequenceFlow', { input: 3 });
      await complete(pi, 'theTask2');
      expect(await state(pi)).toBe('COMPLETED');
    });

    it('MessageStartEventTest.testSingleMessageStartEvent: an instance started by a message runs on', async () => {
      await deployOk('message-start.bpmn');
      const res = await api()
        .post('/engine-rest/message')
        .send({ messageName: 'newInvoiceMessage', businessKey: 'INV-1', resultEnabled: true })
        .expect(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({
        resultType: 'ProcessDefinition',
        processInstance: { businessKey: 'INV-1', ended: false },
      });
      const pi = res.body[0].processInstance.id;
      expect(await taskKeys(pi)).toEqual(['task']);
      // The next message with that business key starts another instance; none is stuck waiting for it.
      const again = await api()
        .post('/engine-rest/message')
        .send({ messageName: 'newInvoiceMessage', businessKey: 'INV-1', resultEnabled: true })
        .expect(200);
      expect(again.body[0].resultType).toBe('ProcessDefinition');
      expect(again.body[0].processInstance.id).not.toBe(pi);
      await complete(pi, 'task');
      expect(await state(pi)).toBe('COMPLETED');
      // Started by key, its single message start event starts it, as in Camunda.
      const byKey = await start('singleMessageStartEvent');
      expect(await taskKeys(byKey)).toEqual(['task']);
    });

    it('MessageStartEventTest.testMessageStartEventAndNoneStartEvent: by key the none start, by message the message start', async () => {
      await deployOk('message-and-none-start.bpmn');
      const byKey = await start('messageAndNoneStart');
      expect(await taskKeys(byKey)).toEqual(['taskAfterNoneStart']);
      const res = await api()
        .post('/engine-rest/message')
        .send({ messageName: 'newOrderMessage', resultEnabled: true })
        .expect(200);
      expect(await taskKeys(res.body[0].processInstance.id)).toEqual(['taskAfterMessageStart']);
    });

    it('a collaboration of two executable processes gives two definitions, each startable by its key alone', async () => {
      const body = await deployOk('collaboration-two-processes.bpmn');
      const keys = (Object.values(body.deployedProcessDefinitions) as any[]).map((d) => d.key).sort();
      expect(keys).toEqual(['customerProcess', 'shopProcess']);
      const listed = (
        await api().get('/engine-rest/process-definition').query({ keysIn: 'customerProcess,shopProcess' }).expect(200)
      ).body;
      expect(listed.map((d: any) => [d.key, d.name, d.resource])).toEqual(
        expect.arrayContaining([
          ['customerProcess', 'Customer', 'collaboration-two-processes.bpmn'],
          ['shopProcess', 'Shop', 'collaboration-two-processes.bpmn'],
        ]),
      );
      const customer = await start('customerProcess');
      expect(await taskKeys(customer)).toEqual(['placeOrder']);
      // The message flow is drawn, not run: completing the order starts no shop process inside this instance.
      await complete(customer, 'placeOrder');
      expect(await state(customer)).toBe('COMPLETED');
      expect(await activities(customer)).toEqual(['customerStart', 'placeOrder', 'customerEnd']);
      const shop = (
        await api().post('/engine-rest/message').send({ messageName: 'orderPlaced', resultEnabled: true }).expect(200)
      ).body[0];
      expect(shop.processInstance.definitionId).toMatch(/^shopProcess:/);
      expect(await taskKeys(shop.processInstance.id)).toEqual(['shipOrder']);
    });
  });
  describe('forms and DMN beside the BPMN', () => {
    it('keeps a .form and a .dmn as resources of the deployment, listed and downloadable', async () => {
      const body = await deployOk('invoice-with-form.bpmn', 'invoice.form', 'invoice.dmn');
      expect(Object.values(body.deployedProcessDefinitions).map((d: any) => d.key)).toEqual(['invoiceWithForm']);
      const listed = (await api().get(`/engine-rest/deployment/${body.id}/resources`).expect(200)).body as any[];
      expect(listed.map((r) => r.name).sort()).toEqual(['invoice-with-form.bpmn', 'invoice.dmn', 'invoice.form']);
      for (const r of listed) expect(r).toEqual({ id: expect.any(String), name: r.name, deploymentId: body.id });
      const form = listed.find((r) => r.name === 'invoice.form');
      expect((await api().get(`/engine-rest/deployment/${body.id}/resources/${form.id}`).expect(200)).body).toEqual(
        form,
      );
      const data = await api()
        .get(`/engine-rest/deployment/${body.id}/resources/${form.id}/data`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(data.headers['content-disposition']).toBe(
        `attachment; filename="invoice.form"; filename*=UTF-8''invoice.form`,
      );
      expect(Buffer.compare(data.body, fixture('invoice.form'))).toBe(0);
      const dmn = listed.find((r) => r.name === 'invoice.dmn');
      const xml = await api().get(`/engine-rest/deployment/${body.id}/resources/${dmn.id}/data`).expect(200);
      expect(xml.headers['content-type']).toMatch(/^application\/xml/);
      // The same files again: no new deployment, as with duplicate filtering.
      const again = await deployOk('invoice-with-form.bpmn', 'invoice.form', 'invoice.dmn');
      expect(again.id).toBe(body.id);
      expect(again.deployedProcessDefinitions).toBeNull();
      const pi = await start('invoiceWithForm');
      expect(await taskKeys(pi)).toEqual(['approve']);
    });

    it('refuses a .form that is not a Camunda form and a .dmn that is not safe DMN, saying why, storing nothing', async () => {
      const before = (await api().get('/engine-rest/deployment/count').expect(200)).body.count;
      const res = await api()
        .post('/engine-rest/deployment/create')
        .field('deployment-name', 'bad resources')
        .attach('a', fixture('invoice-with-form.bpmn'), 'invoice-with-form.bpmn')
        .attach('b', Buffer.from('{"components": [1, 2'), 'broken.form')
        .attach('c', Buffer.from('{"type": "default"}'), 'nocomponents.form')
        .attach(
          'd',
          Buffer.from(
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"/>',
          ),
          'evil.dmn',
        )
        .attach('e', Buffer.from('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>'), 'wrong.dmn')
        .expect(400);
      expect(res.body.type).toBe('ParseException');
      const messages = (name: string) => res.body.details[name].errors.map((e: any) => e.message).join(' | ');
      expect(messages('broken.form')).toMatch(/^表单文件不是有效的 JSON/);
      expect(messages('nocomponents.form')).toMatch(/缺少 components 数组/);
      expect(messages('evil.dmn')).toMatch(/DOCTYPE|entit/i);
      expect(messages('wrong.dmn')).toMatch(/不是 DMN 1.1–1.3 文件/);
      expect(JSON.stringify(res.body)).not.toMatch(/not well-formed/);
      expect((await api().get('/engine-rest/deployment/count').expect(200)).body.count).toBe(before);
    });

    it('answers 404 in Camunda form for resources of an unknown deployment or resource', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      const res = await api().get(`/engine-rest/deployment/${missing}/resources`).expect(404);
      expect(res.body).toEqual({
        type: 'InvalidRequestException',
        message: `Deployment resources for deployment id '${missing}' do not exist.`,
      });
      await api().get('/engine-rest/deployment/not-a-uuid/resources').expect(404);
      const [dep] = (await api().get('/engine-rest/deployment').expect(200)).body;
      await api().get(`/engine-rest/deployment/${dep.id}/resources/${missing}`).expect(404);
      await api().get(`/engine-rest/deployment/${dep.id}/resources/${missing}/data`).expect(404);
    });
  });
  /** Deploys, then runs the scenario; a deploy refused names what was refused. */
  const fetchLock = async (topicName: string) =>
    (
      await api()
        .post('/engine-rest/external-task/fetchAndLock')
        .send({ workerId: 'w1', maxTasks: 5, topics: [{ topicName, lockDuration: 60_000 }] })
        .expect(200)
    ).body as any[];
  const advance = (ms: number) => api().post('/api/admin/clock/add').send({ offsetMilli: ms }).expect(200);
  const refusal = async (file: string) => {
    const res = await deploy(file, file);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('ParseException');
    return (res.body.details[file].errors as any[]).map((e) => e.message);
  };

  describe('gateways', () => {
    it('ExclusiveGatewayTest.testDefaultSequenceFlow', async () => {
      await deployOk('exclusive-gateway-default.bpmn');
      expect(await taskKeys(await start('exclusiveGwDefaultSequenceFlow', { input: 2 }))).toEqual(['theTask2']);
      expect(await taskKeys(await start('exclusiveGwDefaultSequenceFlow', { input: 3 }))).toEqual(['theTask3']);
      expect(await taskKeys(await start('exclusiveGwDefaultSequenceFlow', { input: 5 }))).toEqual(['theTask1']);
    });

    it('ExclusiveGatewayTest.testNoSequenceFlowSelected: no flow can be taken, the start fails and nothing runs', async () => {
      await deployOk('exclusive-gateway-none-selected.bpmn');
      const res = await api()
        .post('/engine-rest/process-definition/key/exclusiveGwNoSeqFlowSelected/start')
        .send({ variables: typed({ input: 4 }) });
      expect(res.status).toBe(500);
      expect(res.body.type).toBe('ProcessEngineException');
      expect(res.body.message).toMatch(/exclusiveGw/);
      expect(
        (
          await api()
            .get('/engine-rest/process-instance')
            .query({ processDefinitionKey: 'exclusiveGwNoSeqFlowSelected' })
            .expect(200)
        ).body,
      ).toEqual([]);
    });

    it('ExclusiveGatewayTest.testWhitespaceInExpression', async () => {
      await deployOk('exclusive-gateway-whitespace.bpmn');
      expect(await taskKeys(await start('whiteSpaceInExpression', { input: 1 }))).toEqual(['theTask1']);
      expect(await taskKeys(await start('whiteSpaceInExpression', { input: 2 }))).toEqual(['theTask2']);
    });

    it('ParallelGatewayTest.testForkJoin', async () => {
      await deployOk('parallel-fork-join.bpmn');
      const pi = await start('forkJoin');
      expect(await taskKeys(pi)).toEqual(['receivePayment', 'shipOrder']);
      await complete(pi, 'receivePayment');
      expect(await taskKeys(pi)).toEqual(['shipOrder']);
      await complete(pi, 'shipOrder');
      expect(await taskKeys(pi)).toEqual(['archiveOrder']);
      await complete(pi, 'archiveOrder');
      expect(await state(pi)).toBe('COMPLETED');
    });

    it('ParallelGatewayTest.testUnbalancedForkJoin', async () => {
      await deployOk('parallel-unbalanced.bpmn');
      const pi = await start('UnbalancedForkJoin');
      expect(await taskKeys(pi)).toEqual(['task1', 'task2', 'task3']);
      await complete(pi, 'task1');
      await complete(pi, 'task2');
      expect(await taskKeys(pi)).toEqual(['task3', 'task4']);
      await complete(pi, 'task3');
      await complete(pi, 'task4');
      expect(await state(pi)).toBe('COMPLETED');
    });

    it('InclusiveGatewayTest.testDivergingInclusiveGateway', async () => {
      await deployOk('inclusive-diverging.bpmn');
      expect(await taskKeys(await start('inclusiveGwDiverging', { input: 1 }))).toEqual([
        'theTask1',
        'theTask2',
        'theTask3',
      ]);
      expect(await taskKeys(await start('inclusiveGwDiverging', { input: 2 }))).toEqual(['theTask2', 'theTask3']);
      expect(await taskKeys(await start('inclusiveGwDiverging', { input: 3 }))).toEqual(['theTask3']);
    });

    it('InclusiveGatewayTest.testDefaultSequenceFlow', async () => {
      await deployOk('inclusive-default.bpmn');
      expect(await taskKeys(await start('inclusiveGwDefaultSequenceFlow', { input: 1 }))).toEqual(['theTask1']);
      expect(await taskKeys(await start('inclusiveGwDefaultSequenceFlow', { input: 5 }))).toEqual(['theTask2']);
    });

    it('EventBasedGatewayTest.testCatchAlertAndTimer: the signal wins, the timer goes', async () => {
      await deployOk('event-gateway.bpmn');
      const pi = await start('catchSignal');
      expect((await api().get('/engine-rest/job').query({ processInstanceId: pi }).expect(200)).body).toHaveLength(1);
      await api().post('/engine-rest/signal').send({ name: 'alert' }).expect(204);
      expect(await taskKeys(pi)).toEqual(['afterSignal']);
      expect((await api().get('/engine-rest/job').query({ processInstanceId: pi }).expect(200)).body).toEqual([]);
    });
  });

  describe('JUEL in conditions and attributes', () => {
    it('and/or/not/empty, strings, ?:, properties of Json variables and execution.getVariable', async () => {
      await deployOk('juel-operators.bpmn');
      const vars = {
        amount: 7,
        urgent: false,
        note: '',
        region: 'north',
        level: 'low',
        customer: { name: 'zhao', vip: false, address: { city: 'xian' } },
      };
      const pi = await start('juelOperators', vars);
      expect(await taskKeys(pi)).toEqual(['and', 'execution', 'property', 'string', 'ternary']);
      expect((await tasks(pi)).find((x) => x.taskDefinitionKey === 'and').assignee).toBe('zhao');
      const other = await start('juelOperators', {
        ...vars,
        amount: 2000,
        urgent: true,
        region: 'south',
        level: 'high',
        customer: { name: 'qian', vip: true, address: { city: 'hz' } },
      });
      expect(await taskKeys(other)).toEqual(['execution', 'property', 'ternary', 'words']);
    });

    it('a condition on a variable that is not there stops with an incident-like error naming it, never the default flow', async () => {
      const res = await api()
        .post('/engine-rest/process-definition/key/exclusiveGwDiverging/start')
        .send({ variables: {} });
      expect(res.status).toBe(500);
      expect(res.body.message).toMatch(/变量 input 不存在/);
    });
  });

  describe('generated task forms', () => {
    const formVariables = async (pi: string) => {
      const [task] = await tasks(pi);
      return (await api().get(`/engine-rest/task/${task.id}/form-variables`).expect(200)).body;
    };
    const submit = async (pi: string, vars: Record<string, { value: unknown; type: string }>, status: number) => {
      const [task] = await tasks(pi);
      return api().post(`/engine-rest/task/${task.id}/submit-form`).send({ variables: vars }).expect(status);
    };

    it('FormDataTest.testGetFormFieldBuiltInTypes: each field shows its default with its type; a date is submitted as text', async () => {
      await deployOk('form-field-built-in-types.bpmn');
      const pi = await start('formFieldBuiltInTypes');
      expect(await formVariables(pi)).toEqual({
        stringField: { value: 'someString', type: 'String', valueInfo: {} },
        longField: { value: 1, type: 'Long', valueInfo: {} },
        booleanField: { value: true, type: 'Boolean', valueInfo: {} },
        // A date field's form value is its text in the field's pattern, dd/MM/yyyy.
        dateField: { value: '10/01/2013', type: 'String', valueInfo: {} },
        enumField: { value: 'a', type: 'String', valueInfo: {} },
      });
      const wrong = await submit(pi, { dateField: { value: '2013-01-10', type: 'String' } }, 400);
      expect(wrong.body.message).toContain('表单字段 dateField 的日期应写成 dd/MM/yyyy');
      await submit(pi, { dateField: { value: '10/01/2013', type: 'String' } }, 204);
      // The day in China time, as a Date (the instance has ended: its history keeps it).
      const [kept] = (
        await api()
          .get('/engine-rest/history/variable-instance')
          .query({ processInstanceId: pi, variableName: 'dateField' })
          .expect(200)
      ).body;
      expect(kept).toMatchObject({ value: '2013-01-09T16:00:00.000+0000', type: 'Date' });
    });

    it("FormServiceTest.testGetStartFormVariables: the start form's fields, all or those named", async () => {
      await deployOk('start-form-fields.bpmn');
      const def = (await api().get('/engine-rest/process-definition/key/startFormFields').expect(200)).body;
      const form = (query: Plain = {}) =>
        api().get(`/engine-rest/process-definition/${def.id}/form-variables`).query(query).expect(200);
      expect((await form()).body).toEqual({
        stringField: { value: 'someString', type: 'String', valueInfo: {} },
        longField: { value: 5, type: 'Long', valueInfo: {} },
        customField: { value: null, type: 'String', valueInfo: {} },
        dateField: { value: '10/01/2013', type: 'String', valueInfo: {} },
      });
      expect((await form({ variableNames: 'stringField' })).body).toEqual({
        stringField: { value: 'someString', type: 'String', valueInfo: {} },
      });
      expect((await form({ variableNames: 'non-existing!' })).body).toEqual({});
    });

    it("FormDataTest.testFormFieldSubmit: submit-form checks the fields' constraints; an expression default is evaluated", async () => {
      await deployOk('form-field-submit.bpmn');
      const ok = await start('formFieldSubmit', { initiator: 'kermit' });
      expect((await formVariables(ok)).initiatorField).toEqual({ value: 'kermit', type: 'String', valueInfo: {} });
      await submit(
        ok,
        {
          stringField: { value: '12345', type: 'String' },
          longField: { value: 9, type: 'Long' },
          customField: { value: 'validValue', type: 'String' },
        },
        204,
      );
      expect(await taskKeys(ok)).toEqual(['task2']);
      expect(await variables(ok)).toMatchObject({
        stringField: { value: '12345', type: 'String' },
        longField: { value: 9, type: 'Long' },
        customField: { value: 'validValue', type: 'String' },
      });

      const bad = await start('formFieldSubmit', { initiator: 'kermit' });
      const refused = async (vars: Record<string, { value: unknown; type: string }>) => {
        const res = await submit(bad, vars, 400);
        expect(res.body.type).toBe('InvalidRequestException');
        return res.body.message as string;
      };
      const valid = { longField: { value: 9, type: 'Long' }, customField: { value: 'v', type: 'String' } };
      expect(await refused({ ...valid, stringField: { value: '1234', type: 'String' } })).toContain(
        "Invalid value submitted for form field 'stringField': validation of minlength(5) failed（表单字段 stringField：至少 5 个字符，提交了 4 个）",
      );
      expect(await refused({ ...valid, longField: { value: 11, type: 'Long' } })).toContain(
        "form field 'longField': validation of max(10) failed",
      );
      expect(await refused({ longField: { value: 9, type: 'Long' } })).toContain(
        "form field 'customField': validation of required failed（表单字段 customField：必填）",
      );
      expect(await refused({ ...valid, initiatorField: { value: 'piggy', type: 'String' } })).toContain(
        "form field 'initiatorField': validation of readonly failed",
      );
      // Nothing moved: the task is still open, and complete (which Camunda does not validate) still works.
      expect(await taskKeys(bad)).toEqual(['usertask']);
      await complete(bad, 'usertask');
      expect(await taskKeys(bad)).toEqual(['task2']);
    });
  });

  describe('user tasks', () => {
    it('TaskAssignmentExtensionsTest / TaskCandidateTest: assignee, candidate groups and users', async () => {
      await deployOk('task-assignment.bpmn');
      const pi = await start('taskAssigneeExample', { reviewer: 'fozzie' });
      const [task] = await tasks(pi);
      expect(task).toMatchObject({ taskDefinitionKey: 'theTask', name: 'my task', assignee: 'kermit' });
      await complete(pi, 'theTask');
      const byGroup = (
        await api().get('/engine-rest/task').query({ processInstanceId: pi, candidateGroup: 'accountancy' }).expect(200)
      ).body;
      expect(byGroup.map((x: any) => x.taskDefinitionKey)).toEqual(['groupTask']);
      const byUser = (
        await api().get('/engine-rest/task').query({ processInstanceId: pi, candidateUser: 'fozzie' }).expect(200)
      ).body;
      expect(byUser).toHaveLength(1);
    });

    it('TaskDueDateExtensionsTest / TaskPriorityExtensionsTest: due, follow-up and priority from expressions', async () => {
      await deployOk('task-due-priority.bpmn');
      const pi = await start('dueDateExtension', { dateVariable: '2026-03-10T09:00:00.000Z', priority: 70 });
      const [task] = await tasks(pi);
      expect(task).toMatchObject({
        due: '2026-03-10T09:00:00.000+0000',
        followUp: '2026-03-02T12:00:00.000+0000',
        priority: 70,
      });
      await complete(pi, 'theTask');
      const [relative] = await tasks(pi);
      expect(relative).toMatchObject({
        taskDefinitionKey: 'relative',
        due: '2026-03-09T09:00:00.000+0000',
        priority: 90,
      });
    });
  });

  describe('timers', () => {
    it('BoundaryTimerEventTest: an interrupting timer on a user task fires when the clock passes it', async () => {
      await deployOk('boundary-timer.bpmn');
      const pi = await start('interruptingTimer');
      const [job] = (await api().get('/engine-rest/job').query({ processInstanceId: pi }).expect(200)).body;
      expect(job.dueDate).toBe('2026-03-02T09:00:00.000+0000');
      await advance(3_600_000 + 1000);
      expect(await taskKeys(pi)).toEqual(['escalated']);
      expect(await activities(pi)).toEqual(expect.arrayContaining(['task', 'timer', 'escalated']));
      t.clock.pin(NOW);
    });

    it('BoundaryTimerNonInterruptingEventTest: the task stays, a reminder is added (duration from a variable)', async () => {
      await deployOk('boundary-timer-non-interrupting.bpmn');
      const pi = await start('nonInterruptingTimer', { reminderAfter: 'PT2H' });
      await advance(2 * 3_600_000 + 1000);
      expect(await taskKeys(pi)).toEqual(['reminder', 'task']);
      await complete(pi, 'task');
      await complete(pi, 'reminder');
      expect(await state(pi)).toBe('COMPLETED');
      t.clock.pin(NOW);
    });

    it('IntermediateTimerEventTest: a duration, then a date computed with dateTime()', async () => {
      await deployOk('intermediate-timer.bpmn');
      const pi = await start('intermediateTimerEventExample');
      await advance(5 * 60_000 + 1000);
      const [job] = (await api().get('/engine-rest/job').query({ processInstanceId: pi }).expect(200)).body;
      expect(job.dueDate).toBe('2026-03-03T08:05:00.000+0000');
      await advance(DAY);
      expect(await state(pi)).toBe('COMPLETED');
      t.clock.pin(NOW);
    });
  });

  describe('messages and signals', () => {
    it('MessageIntermediateEventTest.testSingleIntermediateMessageEvent', async () => {
      await deployOk('message-intermediate.bpmn');
      const pi = await start('process', {}, 'MSG-1');
      expect(await taskKeys(pi)).toEqual([]);
      await api()
        .post('/engine-rest/message')
        .send({ messageName: 'newInvoiceMessage2', businessKey: 'MSG-1' })
        .expect(204);
      expect(await taskKeys(pi)).toEqual(['task']);
    });

    it('MessageBoundaryEventTest.testSingleBoundaryMessageEvent', async () => {
      await deployOk('message-boundary.bpmn');
      const pi = await start('messageBoundary', {}, 'MB-1');
      await api().post('/engine-rest/message').send({ messageName: 'messageName_1', businessKey: 'MB-1' }).expect(204);
      expect(await taskKeys(pi)).toEqual(['taskAfterMessage']);
      const other = await start('messageBoundary', {}, 'MB-2');
      await complete(other, 'task');
      expect(await taskKeys(other)).toEqual(['taskAfterTask']);
      const late = await api()
        .post('/engine-rest/message')
        .send({ messageName: 'messageName_1', businessKey: 'MB-2' })
        .expect(400);
      expect(late.body.type).toBe('MismatchingMessageCorrelationException');
    });

    it('ReceiveTaskTest: a receive task waits for its message', async () => {
      await deployOk('receive-task.bpmn');
      const pi = await start('receiveTask', {}, 'RT-1');
      expect(await state(pi)).toBe('ACTIVE');
      await api()
        .post('/engine-rest/message')
        .send({ messageName: 'newInvoiceMessage3', processInstanceId: pi })
        .expect(204);
      expect(await state(pi)).toBe('COMPLETED');
    });

    it('SignalEventTest.testSignalCatchIntermediate', async () => {
      await deployOk('signal-catch.bpmn');
      const pi = await start('catchSignal');
      await api().post('/engine-rest/signal').send({ name: 'alertSignal' }).expect(204);
      expect(await taskKeys(pi)).toEqual(['userTask']);
    });
  });

  describe('multi-instance', () => {
    it('MultiInstanceTest.testSequentialUserTasks: loopCardinality from a variable, loopCounter in the instances', async () => {
      await deployOk('mi-sequential.bpmn');
      const pi = await start('miSequentialUserTasks', { nrOfLoops: 3 });
      for (let i = 0; i < 3; i++) {
        const open = await tasks(pi);
        expect(open).toHaveLength(1);
        expect(open[0]).toMatchObject({ name: `My Task ${i}`, assignee: `kermit_${i}` });
        await complete(pi, 'miTasks');
      }
      expect(await state(pi)).toBe('COMPLETED');
    });

    it('MultiInstanceTest.testParallelUserTasksBasedOnCollection: one task per element, the element variable in each', async () => {
      await deployOk('mi-parallel-collection.bpmn');
      const pi = await start('miParallelUserTasksBasedOnCollection', {
        assigneeList: ['kermit', 'gonzo', 'mispiggy', 'fozzie', 'bubba'],
      });
      expect((await tasks(pi)).map((x) => x.assignee).sort()).toEqual([
        'bubba',
        'fozzie',
        'gonzo',
        'kermit',
        'mispiggy',
      ]);
      for (let i = 0; i < 5; i++) await complete(pi, 'miTasks');
      expect(await state(pi)).toBe('COMPLETED');
    });

    it('MultiInstanceTest: completion condition on nrOfCompletedInstances/nrOfInstances', async () => {
      await deployOk('mi-completion-condition.bpmn');
      const pi = await start('miParallelUserTasksCompletionCondition');
      expect(await tasks(pi)).toHaveLength(5);
      await complete(pi, 'miTasks');
      await complete(pi, 'miTasks');
      expect(await tasks(pi)).toHaveLength(3);
      await complete(pi, 'miTasks');
      expect(await taskKeys(pi)).toEqual(['afterMi']);
    });

    it('MultiInstanceTest: sequential completion condition on loopCounter', async () => {
      await deployOk('mi-sequential-completion.bpmn');
      const pi = await start('miSequentialUserTasksCompletionCondition');
      for (let i = 0; i < 3; i++) await complete(pi, 'miTasks');
      expect(await taskKeys(pi)).toEqual(['afterMi']);
    });
  });

  describe('call activities and sub-processes', () => {
    it('CallActivityTest.testCallSimpleSubProcess: the called process runs as its own instance, then the caller goes on', async () => {
      await deployOk('call-activity-sub.bpmn');
      await deployOk('call-activity-main.bpmn');
      const pi = await start('callSimpleSubProcess');
      const [child] = (await api().get('/engine-rest/process-instance').query({ superProcessInstance: pi }).expect(200))
        .body;
      expect(child.definitionId).toMatch(/^simpleSubProcess:/);
      await complete(child.id, 'task');
      expect(await state(child.id)).toBe('COMPLETED');
      expect(await taskKeys(pi)).toEqual(['taskAfterSubProcess']);
    });

    it('a call activity to a process of the same file runs it; starting the caller runs the caller only', async () => {
      await deployOk('call-activity-same-file.bpmn');
      const pi = await start('callerInFile');
      expect(await taskKeys(pi)).toEqual(['calleeTask']);
      await complete(pi, 'calleeTask');
      expect(await taskKeys(pi)).toEqual(['afterCall']);
    });

    it('CallActivityTest.testSubProcessAllDataInputOutput: variables="all" go in and come back, with the business key', async () => {
      await deployOk('call-activity-sub.bpmn');
      await deployOk('call-activity-all-data.bpmn');
      const pi = await start(
        'subProcessAllDataInputOutput',
        { superVariable: 'Hello from the super process.', testVariable: 'Only a test.' },
        'ALL-DATA-1',
      );
      await complete(pi, 'userTask1');
      const [child] = (await api().get('/engine-rest/process-instance').query({ superProcessInstance: pi }).expect(200))
        .body;
      expect(child.businessKey).toBe('ALL-DATA-1');
      expect(await variables(child.id)).toMatchObject({
        superVariable: { value: 'Hello from the super process.', type: 'String' },
        testVariable: { value: 'Only a test.', type: 'String' },
      });
      for (const [name, value] of [
        ['superVariable', 'Hello from sub process.'],
        ['testVariable', 'Variable changed in sub process.'],
      ])
        await api()
          .put(`/engine-rest/process-instance/${child.id}/variables/${name}`)
          .send({ value, type: 'String' })
          .expect(204);
      await complete(child.id, 'task');
      expect(await taskKeys(pi)).toEqual(['userTask2']);
      expect(await variables(pi)).toMatchObject({
        superVariable: { value: 'Hello from sub process.' },
        testVariable: { value: 'Variable changed in sub process.' },
      });
    });

    it('SubProcessTest.testSimpleSubProcess', async () => {
      await deployOk('subprocess-simple.bpmn');
      const pi = await start('simpleSubProcess2');
      expect(await taskKeys(pi)).toEqual(['subProcessTask']);
      await complete(pi, 'subProcessTask');
      expect(await taskKeys(pi)).toEqual(['taskAfterSubProcess']);
      expect(await activities(pi)).toEqual(expect.arrayContaining(['subProcess', 'subProcessStart', 'subProcessEnd']));
    });

    it('TerminateEndEventTest.testProcessTerminate: the other branch goes with it', async () => {
      await deployOk('terminate-end.bpmn');
      const pi = await start('terminateEndEventExample');
      await complete(pi, 'preTerminateTask');
      expect(await state(pi)).toBe('COMPLETED');
      expect(await taskKeys(pi)).toEqual([]);
    });

    it('CompensateEventTest: throwing compensation runs the handler of the completed activity', async () => {
      await deployOk('compensation.bpmn');
      const pi = await start('compensateProcess');
      await complete(pi, 'bookHotel');
      expect(await taskKeys(pi)).toEqual(['undoBookHotel']);
      await complete(pi, 'undoBookHotel');
      expect(await state(pi)).toBe('COMPLETED');
    });
  });

  describe('errors', () => {
    it('BoundaryErrorEventTest.testCatchErrorOnEmbeddedSubprocess', async () => {
      await deployOk('error-end-subprocess.bpmn');
      const failing = await start('boundaryErrorOnEmbeddedSubprocess');
      await complete(failing, 'subprocessTask', { failed: true });
      expect(await taskKeys(failing)).toEqual(['taskAfterErrorCatch']);
      const fine = await start('boundaryErrorOnEmbeddedSubprocess');
      await complete(fine, 'subprocessTask', { failed: false });
      expect(await taskKeys(fine)).toEqual(['taskAfterSubprocess']);
    });

    it('an error boundary without an errorRef catches any error end event', async () => {
      await deployOk('error-catch-all.bpmn');
      const pi = await start('catchAnyError');
      expect(await taskKeys(pi)).toEqual(['handled']);
    });
  });

  describe('external tasks', () => {
    it('ExternalTaskServiceTest: fetch and lock, complete with variables, the gateway reads them', async () => {
      await deployOk('external-task.bpmn');
      const pi = await start('oneExternalTaskProcess', { priority: 7 });
      const [task] = await fetchLock('topicName');
      expect(task).toMatchObject({
        topicName: 'topicName',
        processInstanceId: pi,
        activityId: 'externalTask',
        workerId: 'w1',
      });
      await api()
        .post(`/engine-rest/external-task/${task.id}/complete`)
        .send({ workerId: 'w1', variables: typed({ score: 80 }) })
        .expect(204);
      expect(await state(pi)).toBe('COMPLETED');
      expect(await activities(pi)).toContain('autoDone');
    });

    it('ExternalTaskServiceTest.testHandleBpmnError: the error boundary takes it', async () => {
      await deployOk('external-task-bpmn-error.bpmn');
      const pi = await start('externalTaskWithBoundaryEvent');
      const [task] = await fetchLock('errorTopic');
      await api()
        .post(`/engine-rest/external-task/${task.id}/bpmnError`)
        .send({ workerId: 'w1', errorCode: 'ERROR-OCCURED' })
        .expect(204);
      expect(await taskKeys(pi)).toEqual(['afterBpmnError']);
    });

    // Resumed before its error boundary, the task used to raise the error with no boundary listening (an incident).
    it('a BPMN error reported after another step of the instance is still caught by the error boundary', async () => {
      await deployOk('external-task-parallel-error.bpmn');
      const pi = await start('externalTaskErrorAfterStep');
      const [task] = await fetchLock('lateErrorTopic');
      await complete(pi, 'sideTask');
      const res = await api()
        .post(`/engine-rest/external-task/${task.id}/bpmnError`)
        .send({ workerId: 'w1', errorCode: 'LATE-ERROR' });
      expect([res.status, res.body]).toEqual([204, {}]);
      expect((await api().get('/engine-rest/incident').query({ processInstanceId: pi }).expect(200)).body).toEqual([]);
      expect(await taskKeys(pi)).toEqual(['afterBpmnError']);
    });
  });

  describe('refused by design, each with its message', () => {
    const cases: [string, RegExp][] = [
      ['refused-script-task.bpmn', /^theScriptTask: script tasks are not allowed/],
      ['refused-java-class.bpmn', /^javaService: camunda:class is not supported/],
      ['refused-delegate-expression.bpmn', /^delegate: camunda:delegateExpression is not supported/],
      ['refused-dmn-task.bpmn', /^ruleTask: DMN decisions \(camunda:decisionRef\) are not supported/],
      ['refused-bean-method.bpmn', /^toEnd2: 条件表达式 \$\{order\.isBasic\(\)\} 无法求值：不允许调用方法 isBasic\(\)/],
      ['refused-script-listener.bpmn', /^task: scripts are not allowed: camunda:script \(javascript\)/],
      ['refused-connector.bpmn', /^http: camunda connectors are not supported/],
      ['refused-script-condition.bpmn', /^toEnd2: condition in language 'groovy' is a script/],
      ['event-subprocess-message.bpmn', /^eventSubStart: 事件子流程 eventSub 由消息开始/],
      ['refused-input-output.bpmn', /^wait: camunda:inputOutput（输入\/输出参数映射）不受支持/],
      ['refused-call-mapping.bpmn', /^callSubProcess: camunda:in 的变量映射不受支持/],
      [
        'refused-retry-cycle.bpmn',
        /^failingServiceTask: camunda:failedJobRetryTimeCycle（失败重试周期 R5\/PT5M）不受支持/,
      ],
      [
        'refused-form-validator.bpmn',
        /^customField: 表单校验 validator（org\.camunda\.bpm\.engine\.test\.api\.form\.CustomValidator）不受支持/,
      ],
    ];
    it.each(cases)('%s', async (file, reason) => {
      expect(await refusal(file)).toEqual(expect.arrayContaining([expect.stringMatching(reason)]));
    });
  });
  describe("responses and routes as Camunda's OpenAPI spec has them", () => {
    type Prop = { type: string; format?: string; dto?: string; itemType?: string };
    type Operation = { query: string[]; codes: number[] };
    /** Extracted from Camunda's OpenAPI templates by scripts/camunda-openapi-extract.mjs. */
    const spec = JSON.parse(readFileSync(path.join(FIXTURES, 'openapi-models.json'), 'utf8')) as {
      models: Record<string, { props: Record<string, Prop>; extends?: string }>;
      paths: Record<string, Record<string, Operation>>;
    };
    const propsOf = (name: string): Record<string, Prop> => ({
      ...(spec.models[name].extends ? propsOf(spec.models[name].extends!) : {}),
      ...spec.models[name].props,
    });
    const CAMUNDA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;
    /**
     * Every property the model declares, of its type (null allowed, as Camunda sends it), nested models
     * checked the same way (`ref` one, `array` a list, `object` a map of them); nothing undeclared.
     */
    const problems = (model: string, value: unknown, ignore: string[] = [], where = model): string[] => {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${where} = ${JSON.stringify(value)} is not an object`];
      const props = propsOf(model);
      const out: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        if (ignore.includes(k)) continue;
        const p = props[k];
        if (!p) out.push(`${where}.${k} is not in ${model}`);
        else if (v !== null) out.push(...fits(p, v, `${where}.${k}`));
      }
      return out;
    };
    const fits = (p: Prop, v: unknown, where: string): string[] => {
      const nested = p.dto && p.dto !== 'AnyValue' ? p.dto : undefined;
      const wrong = [`${where} = ${JSON.stringify(v)} is not ${p.type}${p.format ? ` (${p.format})` : ''}`];
      switch (p.type) {
        case 'string':
          return typeof v === 'string' && (p.format !== 'date-time' || CAMUNDA_DATE.test(v)) ? [] : wrong;
        case 'integer':
          return Number.isInteger(v) ? [] : wrong;
        case 'number':
          return typeof v === 'number' ? [] : wrong;
        case 'boolean':
          return typeof v === 'boolean' ? [] : wrong;
        case 'array':
          if (!Array.isArray(v)) return wrong;
          return v.flatMap((x, i) =>
            nested
              ? problems(nested, x, [], `${where}[${i}]`)
              : p.itemType
                ? fits({ type: p.itemType }, x, `${where}[${i}]`)
                : [],
          );
        case 'ref':
          return nested ? problems(nested, v, [], where) : [];
        default:
          if (typeof v !== 'object' || Array.isArray(v)) return wrong;
          return nested ? Object.entries(v as Plain).flatMap(([k, x]) => problems(nested, x, [], `${where}.${k}`)) : [];
      }
    };
    /** A list (or a name → value map) of one model, not empty: an empty answer would check nothing. */
    const eachOf = (model: string, list: unknown): string[] => {
      const entries = Array.isArray(list)
        ? list.map((x, i) => [`[${i}]`, x] as const)
        : typeof list === 'object' && list !== null
          ? Object.entries(list).map(([k, x]) => [`.${k}`, x] as const)
          : undefined;
      if (!entries?.length) return [`${JSON.stringify(list)} is not a non-empty list of ${model}`];
      return entries.flatMap(([k, x]) => problems(model, x, [], `${model}${k}`));
    };
    const get = async (url: string, query: Plain = {}) =>
      (await api().get(`/engine-rest${url}`).query(query).expect(200)).body;

    it('deployment, definition, resource, instance, task, history, external task and error answers fit the models', async () => {
      const deployed = await deployOk('parallel-fork-join.bpmn', 'invoice.form');
      const {
        deployedProcessDefinitions,
        deployedCaseDefinitions,
        deployedDecisionDefinitions,
        deployedDecisionRequirementsDefinitions,
        ...deployment
      } = deployed;
      void [deployedCaseDefinitions, deployedDecisionDefinitions, deployedDecisionRequirementsDefinitions];
      const found: string[] = [...problems('DeploymentDto', deployment)];
      for (const d of Object.values(deployedProcessDefinitions ?? {}))
        found.push(...problems('ProcessDefinitionDto', d as any));
      for (const r of (await api().get(`/engine-rest/deployment/${deployed.id}/resources`).expect(200)).body)
        found.push(...problems('DeploymentResourceDto', r));
      for (const d of (await api().get('/engine-rest/process-definition').expect(200)).body)
        found.push(...problems('ProcessDefinitionDto', d));
      const pi = await start('forkJoin', {}, 'SHAPE-1');
      found.push(
        ...problems('ProcessInstanceDto', (await api().get(`/engine-rest/process-instance/${pi}`).expect(200)).body),
      );
      for (const task of await tasks(pi)) found.push(...problems('TaskDto', task));
      for (const a of (
        await api().get('/engine-rest/history/activity-instance').query({ processInstanceId: pi }).expect(200)
      ).body)
        found.push(...problems('HistoricActivityInstanceDto', a));
      found.push(
        ...problems(
          'HistoricProcessInstanceDto',
          (await api().get(`/engine-rest/history/process-instance/${pi}`).expect(200)).body,
        ),
      );
      await deployOk('external-task.bpmn');
      await start('oneExternalTaskProcess', { priority: 1 });
      for (const x of await fetchLock('topicName')) found.push(...problems('LockedExternalTaskDto', x));
      found.push(
        ...problems(
          'ExceptionDto',
          (await api().get('/engine-rest/task/00000000-0000-4000-8000-000000000000').expect(404)).body,
        ),
      );
      const refused = await deploy('refused-script-task.bpmn', 'refused-script-task.bpmn');
      expect(refused.status).toBe(400);
      found.push(...problems('ParseExceptionDto', refused.body));
      expect(found).toEqual([]);
    });

    it('variables, forms, comments, identity links, activity instances, statistics, jobs, incidents and history fit the models', async () => {
      // The check itself sees into nested models and their types.
      expect(
        problems('ActivityInstanceDto', {
          childActivityInstances: [{ activityId: 1, incidents: [{ id: 'i', nope: true }] }],
        }),
      ).toEqual([
        'ActivityInstanceDto.childActivityInstances[0].activityId = 1 is not string',
        'ActivityInstanceDto.childActivityInstances[0].incidents[0].nope is not in ActivityInstanceIncidentDto',
      ]);
      const found: string[] = [];
      await deployOk('boundary-timer.bpmn');
      const def = await get('/process-definition/key/interruptingTimer');
      const started = await api()
        .post(`/engine-rest/process-definition/${def.id}/start`)
        .send({ variables: typed({ n: 1, label: '核查' }), withVariablesInReturn: true })
        .expect(200);
      found.push(...problems('ProcessInstanceWithVariablesDto', started.body));
      const pi = started.body.id as string;
      await api()
        .post(`/engine-rest/process-instance/${pi}/variables`)
        .send({
          modifications: {
            at: { value: '2026-03-02T08:00:00.000+0000', type: 'Date' },
            big: { value: 5, type: 'Long' },
            order: {
              value: '{"lines":1}',
              type: 'Object',
              valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'com.example.Order' },
            },
          },
        })
        .expect(204);
      found.push(...eachOf('VariableValueDto', await get(`/process-instance/${pi}/variables`)));
      found.push(...problems('VariableValueDto', await get(`/process-instance/${pi}/variables/order`)));
      const [task] = await tasks(pi);
      found.push(...eachOf('VariableValueDto', await get(`/task/${task.id}/variables`)));
      await deployOk('form-field-built-in-types.bpmn');
      const [formTask] = await tasks(await start('formFieldBuiltInTypes'));
      found.push(...eachOf('VariableValueDto', await get(`/task/${formTask.id}/form-variables`)));
      await deployOk('start-form-fields.bpmn');
      const formDef = await get('/process-definition/key/startFormFields');
      found.push(...eachOf('VariableValueDto', await get(`/process-definition/${formDef.id}/form-variables`)));
      const comment = (
        await api().post(`/engine-rest/task/${task.id}/comment/create`).send({ message: '请核查' }).expect(200)
      ).body;
      found.push(...problems('CommentDto', comment));
      found.push(...eachOf('CommentDto', await get(`/task/${task.id}/comment`)));
      found.push(...problems('CommentDto', await get(`/task/${task.id}/comment/${comment.id}`)));
      await api()
        .post(`/engine-rest/task/${task.id}/identity-links`)
        .send({ groupId: 'SLJ', type: 'candidate' })
        .expect(204);
      found.push(...eachOf('IdentityLinkDto', await get(`/task/${task.id}/identity-links`)));
      found.push(...problems('ActivityInstanceDto', await get(`/process-instance/${pi}/activity-instances`)));
      const stats = { failedJobs: true, incidents: true };
      found.push(...eachOf('ProcessDefinitionStatisticsResultDto', await get('/process-definition/statistics', stats)));
      found.push(
        ...eachOf('ActivityStatisticsResultDto', await get(`/process-definition/${def.id}/statistics`, stats)),
      );
      const jobs = await get('/job', { processInstanceId: pi });
      expect(jobs).toHaveLength(1);
      found.push(...eachOf('JobDto', jobs));
      found.push(
        ...eachOf('HistoricVariableInstanceDto', await get('/history/variable-instance', { processInstanceId: pi })),
      );
      found.push(...eachOf('HistoricTaskInstanceDto', await get('/history/task', { processInstanceId: pi })));
      found.push(...problems('CountResultDto', await get('/history/task/count', { processInstanceId: pi })));

      await deployOk('external-task.bpmn');
      const xpi = await start('oneExternalTaskProcess', { priority: 1 });
      const locked = (await fetchLock('topicName')).find((x) => x.processInstanceId === xpi);
      found.push(...eachOf('ExternalTaskDto', await get('/external-task', { processInstanceId: xpi })));
      found.push(...problems('ExternalTaskDto', await get(`/external-task/${locked.id}`)));
      await api()
        .post(`/engine-rest/external-task/${locked.id}/failure`)
        .send({ workerId: 'w1', errorMessage: '接口超时', retries: 0, retryTimeout: 0 })
        .expect(204);
      const incidents = await get('/incident', { processInstanceId: xpi });
      expect(incidents).toHaveLength(1);
      found.push(...eachOf('IncidentDto', incidents));
      found.push(...eachOf('HistoricIncidentDto', await get('/history/incident', { processInstanceId: xpi })));
      found.push(...eachOf('DeploymentDto', await get('/deployment')));
      expect(found).toEqual([]);
    });

    it('serves only paths of the spec; where Camunda takes query parameters an unknown one is a 400; unknown ids, read or written, answer a code of the spec', async () => {
      /** Routes kept beside Camunda's for clients that call them so. */
      const ALIASES: string[] = ['post /external-task/{}/handleBpmnError'];
      const UNKNOWN = '00000000-0000-4000-8000-000000000000';
      const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
      const camunda = new Map(
        Object.entries(spec.paths).flatMap(([p, ops]) =>
          Object.entries(ops).map(([m, op]): [string, Operation] => [`${m} ${shape(p)}`, op]),
        ),
      );
      const doc = (await t.anon.get('/api/docs-json').expect(200)).body as { paths: Record<string, Plain> };
      const outside: string[] = [];
      const unguarded: string[] = [];
      const codes: string[] = [];
      let routes = 0;
      for (const [route, ops] of Object.entries(doc.paths)) {
        if (!route.startsWith('/engine-rest/')) continue;
        const camundaPath = route.slice('/engine-rest'.length);
        for (const method of Object.keys(ops) as ('get' | 'post' | 'put' | 'delete')[]) {
          const name = `${method} ${shape(camundaPath)}`;
          const op = camunda.get(name);
          routes++;
          if (!op) {
            if (!ALIASES.includes(name)) outside.push(name);
            continue;
          }
          const url = `/engine-rest${camundaPath.replace(/\{[^}]+\}/g, UNKNOWN)}`;
          if (op.query.length && (method === 'get' || method === 'delete')) {
            const res = await api()[method](url).query({ noSuchParameter: '1' });
            if (res.status !== 400 || !String(res.body.message).includes("'noSuchParameter'"))
              unguarded.push(`${name} answered ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
          }
          if (camundaPath.includes('{')) {
            // An unknown id is a 404 where Camunda's engine gives a 400 or a 500 for it; an empty body may be a 400.
            const res =
              method === 'post' || method === 'put' ? await api()[method](url).send({}) : await api()[method](url);
            const allowed = [...op.codes, 404, ...(method === 'post' || method === 'put' ? [400] : [])];
            if (!allowed.includes(res.status))
              codes.push(`${name} answered ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
          }
        }
      }
      expect(routes).toBeGreaterThan(80);
      expect({ outside, unguarded, codes }).toEqual({ outside: [], unguarded: [], codes: [] });
    });
  });
  void variables;
});
