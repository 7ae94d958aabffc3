import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DomainException } from '../src/common/domain-exception.js';
import { bpmn, startTestApp, type TestApp } from './support/test-app.js';
import { corpusFiles } from './support/corpus.js';

const hostile: Record<string, string> = {
  xxe: `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>${bpmn('<process id="p" isExecutable="true"><startEvent id="s" name="&e;"/></process>').replace(/^<\?xml[^>]*\?>\n?/, '')}`,
  billionLaughs: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`,
  scriptTask: bpmn(
    '<process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="evil"/><scriptTask id="evil" scriptFormat="javascript"><script>process.exit(1)</script></scriptTask></process>',
  ),
  scriptCondition: bpmn(
    `<process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"><conditionExpression xsi:type="tFormalExpression" language="javascript">next(null, process.exit(1))</conditionExpression></sequenceFlow><endEvent id="e"/></process>`,
  ),
  unknownHandler: bpmn(
    '<process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="svc"/><serviceTask id="svc" implementation="${environment.services.rmRf}"/></process>',
  ),
  cronTimer: bpmn(
    '<process id="p" isExecutable="true"><startEvent id="s"><timerEventDefinition><timeCycle>0/5 0/1 * 1/1 * ?</timeCycle></timerEventDefinition></startEvent></process>',
  ),
  noExecutable: bpmn('<process id="p" isExecutable="false"><startEvent id="s"/></process>'),
  malformed: '<definitions><process id="p"',
  unsupported: bpmn(
    '<process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="g"/><complexGateway id="g"/></process>',
  ),
  deepNesting: `<?xml version="1.0"?>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`,
  tooLarge: bpmn(
    `<process id="p" isExecutable="true"><documentation>${'x'.repeat(3 * 1024 * 1024)}</documentation><startEvent id="s"/></process>`,
  ),
};

describe('deploy is hardened', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const stored = async () => (await t.db.query(`SELECT count(*)::int AS n FROM engine_definition`))[0].n;

  it.each(Object.keys(hostile))('refuses %s with a 400 naming the reason, storing nothing', async (name) => {
    const before = await stored();
    const err = await t.definitions
      .deploy('hostile', [{ resource: `${name}.bpmn`, content: hostile[name] }])
      .catch((e) => e);
    expect(err).toBeInstanceOf(DomainException);
    expect(err.status).toBe(400);
    expect(err.details.problems.length).toBeGreaterThan(0);
    expect(err.message).toContain(`${name}.bpmn`);
    expect(await stored()).toBe(before);
  });

  it('names the element of a script task', async () => {
    const err = await t.definitions
      .deploy('hostile', [{ resource: 's.bpmn', content: hostile.scriptTask }])
      .catch((e) => e);
    expect(err.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ element: 'evil' })]));
  });

  const files = corpusFiles();
  (files.length ? it : it.skip)(
    `deploys or refuses every corpus file (${files.length}) and stays healthy`,
    async () => {
      const outcome: Record<string, string> = {};
      for (const f of files) {
        try {
          await t.definitions.deploy('corpus', [{ resource: path.basename(f), content: readFileSync(f) }]);
          outcome[path.basename(f)] = 'deployed';
        } catch (e) {
          expect(e).toBeInstanceOf(DomainException);
          expect((e as DomainException).status).toBe(400);
          outcome[path.basename(f)] = 'refused';
        }
      }
      const deployed = Object.values(outcome).filter((o) => o === 'deployed').length;
      expect(deployed).toBeGreaterThan(5);
      expect(Object.keys(outcome)).toHaveLength(files.length);
      await t.http.get('/health').expect(200);
    },
  );

  it('a redeploy of unchanged content is a no-op and changed content a new version', async () => {
    const v1 = bpmn(
      '<process id="versioned" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="t"/><userTask id="t"/></process>',
    );
    const a = await t.definitions.deploy('v', [{ resource: 'v.bpmn', content: v1 }]);
    const inst = await t.engine.startProcess('versioned');
    const b = await t.definitions.deploy('v', [{ resource: 'v.bpmn', content: v1 }]);
    expect(b.resources[0].created).toBe(false);
    expect(b.resources[0].definition.id).toBe(a.resources[0].definition.id);
    const c = await t.definitions.deploy('v', [
      { resource: 'v.bpmn', content: v1.replace('<userTask id="t"/>', '<userTask id="t" name="v2"/>') },
    ]);
    expect(c.resources[0].definition.version).toBe(2);
    expect((await t.engine.getInstance(inst.id)).definition_id).toBe(a.resources[0].definition.id);
  });
});
