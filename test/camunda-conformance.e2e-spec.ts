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
  void DAY;
  void variables;
});
