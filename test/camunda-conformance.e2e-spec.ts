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
    const type = typeof v === 'boolean' ? 'Boolean' : typeof v === 'number' ? (Number.isInteger(v) ? 'Integer' : 'Double') : typeof v === 'string' ? 'String' : v === null ? 'Null' : 'Json';
    out[k] = { value: type === 'Json' ? JSON.stringify(v) : v, type };
  }
  return out;
}

describe('Camunda conformance through /engine-rest', () => {
  let t: TestApp;
  const api = () => t.http;

  const deploy = async (name: string, ...files: string[]) => {
    let req = api().post('/engine-rest/deployment/create').field('deployment-name', name).field('deployment-source', 'Camunda Modeler');
    for (const f of files) req = req.attach(f, fixture(f), f);
    return req;
  };
  const deployOk = async (...files: string[]) => {
    const res = await deploy(files[0], ...files);
    if (res.status !== 200) throw new Error(`deploy of ${files.join(', ')} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const start = async (key: string, vars: Plain = {}, businessKey?: string) => {
    const res = await api().post(`/engine-rest/process-definition/key/${key}/start`).send({ variables: typed(vars), businessKey });
    if (res.status !== 200) throw new Error(`start of ${key} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const tasks = async (pi: string) => (await api().get('/engine-rest/task').query({ processInstanceId: pi }).expect(200)).body as any[];
  const taskKeys = async (pi: string) => (await tasks(pi)).map((x) => x.taskDefinitionKey).sort();
  const complete = async (pi: string, key: string, vars: Plain = {}) => {
    const task = (await tasks(pi)).find((x) => x.taskDefinitionKey === key);
    if (!task) throw new Error(`no open task ${key} in ${pi}: ${JSON.stringify(await taskKeys(pi))}`);
    await api().post(`/engine-rest/task/${task.id}/complete`).send({ variables: typed(vars) }).expect(204);
  };
  /** The activities the instance passed through (ended or open), in the order they started. */
  const activities = async (pi: string) =>
    ((await api().get('/engine-rest/history/activity-instance').query({ processInstanceId: pi, sortBy: 'startTime', sortOrder: 'asc' }).expect(200)).body as any[]).map(
      (a) => a.activityId,
    );
  const state = async (pi: string) => (await api().get(`/engine-rest/history/process-instance/${pi}`).expect(200)).body.state as string;
  const variables = async (pi: string) => (await api().get(`/engine-rest/process-instance/${pi}/variables`).expect(200)).body;

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
      expect(task).toMatchObject({ taskDefinitionKey: 'review', assignee: 'zhao', due: '2026-03-04T08:00:00.000+0000' });
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
      const res = await api().post('/engine-rest/message').send({ messageName: 'newInvoiceMessage', businessKey: 'INV-1', resultEnabled: true }).expect(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({ resultType: 'ProcessDefinition', processInstance: { businessKey: 'INV-1', ended: false } });
      const pi = res.body[0].processInstance.id;
      expect(await taskKeys(pi)).toEqual(['task']);
      // The next message with that business key starts another instance; none is stuck waiting for it.
      const again = await api().post('/engine-rest/message').send({ messageName: 'newInvoiceMessage', businessKey: 'INV-1', resultEnabled: true }).expect(200);
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
      const res = await api().post('/engine-rest/message').send({ messageName: 'newOrderMessage', resultEnabled: true }).expect(200);
      expect(await taskKeys(res.body[0].processInstance.id)).toEqual(['taskAfterMessageStart']);
    });

    it('a collaboration of two executable processes gives two definitions, each startable by its key alone', async () => {
      const body = await deployOk('collaboration-two-processes.bpmn');
      const keys = (Object.values(body.deployedProcessDefinitions) as any[]).map((d) => d.key).sort();
      expect(keys).toEqual(['customerProcess', 'shopProcess']);
      const listed = (await api().get('/engine-rest/process-definition').query({ keysIn: 'customerProcess,shopProcess' }).expect(200)).body;
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
      const shop = (await api().post('/engine-rest/message').send({ messageName: 'orderPlaced', resultEnabled: true }).expect(200)).body[0];
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
      expect((await api().get(`/engine-rest/deployment/${body.id}/resources/${form.id}`).expect(200)).body).toEqual(form);
      const data = await api().get(`/engine-rest/deployment/${body.id}/resources/${form.id}/data`).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(data.headers['content-disposition']).toBe(`attachment; filename="invoice.form"; filename*=UTF-8''invoice.form`);
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
        .attach('d', Buffer.from('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"/>'), 'evil.dmn')
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
      expect(res.body).toEqual({ type: 'InvalidRequestException', message: `Deployment resources for deployment id '${missing}' do not exist.` });
      await api().get('/engine-rest/deployment/not-a-uuid/resources').expect(404);
      const [dep] = (await api().get('/engine-rest/deployment').expect(200)).body;
      await api().get(`/engine-rest/deployment/${dep.id}/resources/${missing}`).expect(404);
      await api().get(`/engine-rest/deployment/${dep.id}/resources/${missing}/data`).expect(404);
    });
  });
  void DAY;
  void variables;
});
