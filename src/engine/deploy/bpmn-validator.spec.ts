import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Engine } from 'bpmn-engine';
import { validateBpmn, type ValidatorOptions } from './bpmn-validator.js';
import { DeployError } from './deploy-error.js';
import type { PendingLiteral } from './element-rules.js';

const require = createRequire(import.meta.url);
const camunda = require('camunda-bpmn-moddle/resources/camunda.json');

const NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const opts: ValidatorOptions = {
  maxBytes: 2 * 1024 * 1024,
  handlers: new Set(['issueNotice']),
  timerLiteral: (v) => (/^\d+ working days?$/.test(v) ? null : 'not a working-day literal'),
};

function doc(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><definitions ${NS} id="d" targetNamespace="t">${body}</definitions>`;
}

/** A process running start → `middle` → end, so each case states only what it is about. */
function proc(middle: string, extra = ''): string {
  return doc(`<process id="p" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="m"/>${middle}
    <sequenceFlow id="f2" sourceRef="m" targetRef="e"/><endEvent id="e"/>${extra}
  </process>`);
}

async function problems(xml: string | Buffer, o: ValidatorOptions = opts) {
  try {
    await validateBpmn('test.bpmn', xml, o);
  } catch (err) {
    if (err instanceof DeployError) return err.problems;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('validateBpmn', () => {
  it('accepts a valid process and lists its processes', async () => {
    const v = await validateBpmn(
      'ok.bpmn',
      proc(
        `<serviceTask id="m" implementation="\${environment.services.issueNotice}"/>
         <boundaryEvent id="b" attachedToRef="m"><timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition></boundaryEvent>
         <boundaryEvent id="b2" attachedToRef="m" cancelActivity="false"><timerEventDefinition><timeCycle>5 working days</timeCycle></timerEventDefinition></boundaryEvent>`,
        `<userTask id="u" camunda:candidateGroups="HBJ"><multiInstanceLoopCharacteristics camunda:collection="\${environment.variables.units}"/></userTask>
         <exclusiveGateway id="g"/><sequenceFlow id="f3" sourceRef="g" targetRef="u"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.approved}</conditionExpression></sequenceFlow>
         <serviceTask id="x" camunda:type="external" camunda:topic="notify"/>`,
      ),
      opts,
    );
    expect(v.executableProcessIds).toEqual(['p']);
    expect(v.processes).toEqual([{ id: 'p', isExecutable: true }]);
    await expect(
      new Engine({ moddleContext: v.moddleContext as any, moddleOptions: { camunda } }).getDefinitions(),
    ).resolves.toHaveLength(1);
  });

  it('refuses XXE before parsing', async () => {
    const p = await problems(
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><definitions ${NS} id="d">&e;</definitions>`,
    );
    expect(p.map((x) => x.reason).join('\n')).toMatch(/DOCTYPE is not allowed/);
    expect(p.some((x) => /entity references/.test(x.reason))).toBe(true);
  });

  it('refuses billion laughs', async () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const p = await problems(
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${lol}]><definitions ${NS}>&lol9;</definitions>`,
    );
    expect(p[0].reason).toMatch(/DOCTYPE is not allowed/);
  });

  it('refuses a file over the limit without parsing it', async () => {
    const p = await problems(doc(`<process id="p" isExecutable="true">${' '.repeat(3 * 1024 * 1024)}</process>`));
    expect(p).toEqual([{ reason: expect.stringMatching(/^file is \d+ bytes, over the limit of 2097152 bytes$/) }]);
  });

  it('refuses nesting 10,000 deep', async () => {
    const p = await problems(
      doc(
        `<process id="p" isExecutable="true">${'<documentation>'.repeat(10_000)}${'</documentation>'.repeat(10_000)}</process>`,
      ),
    );
    expect(p).toEqual([{ reason: expect.stringMatching(/nesting deeper than 200/) }]);
  });

  it('refuses processing instructions and non-UTF-8 bytes', async () => {
    expect((await problems(`<?xml version="1.0"?><?php system('id') ?>${doc('').slice(38)}`))[0].reason).toMatch(
      /processing instruction <\?php\?>/,
    );
    expect((await problems(Buffer.from([0x3c, 0x61, 0xff, 0x3e])))[0].reason).toMatch(/not valid UTF-8/);
  });

  it('refuses XML that is not well-formed, with line and column', async () => {
    const p = await problems(`<definitions ${NS}>\n<process id="p"></foobar></definitions>`);
    expect(p[0].reason).toMatch(/not well-formed at line 2, column \d+/);
  });

  it('refuses a document without the BPMN namespace', async () => {
    const p = await problems('<definitions id="d"><process id="p" isExecutable="true"/></definitions>');
    expect(p[0].reason).toMatch(/not a BPMN 2.0 document/);
  });

  it('refuses duplicate ids, naming the id', async () => {
    const p = await problems(doc('<process id="p" isExecutable="true"><task id="a"/><task id="a"/></process>'));
    expect(p).toContainEqual({ element: 'a', reason: expect.stringMatching(/duplicate ID/) });
  });

  it('refuses unknown elements, reserved ids and a process without id', async () => {
    const p = await problems(
      doc('<process id="p" isExecutable="true"><fooTask id="x"/></process><process isExecutable="true"/>'),
    );
    expect(p).toContainEqual({ element: 'fooTask', reason: expect.stringMatching(/unknown type <bpmn:FooTask>/) });
    expect(p).toContainEqual({ element: 'bpmn:process', reason: 'process without id' });
    expect(await problems(doc('<process id="p" isExecutable="true"><task id="__proto__"/></process>'))).toEqual([
      { element: 'task', reason: "id '__proto__' is reserved" },
    ]);
  });

  it('accepts the call mappings the engine runs and the built-in form constraints; refuses the rest, naming them', async () => {
    const call = (ext: string) =>
      proc(`<callActivity id="m" calledElement="x"><extensionElements>${ext}</extensionElements></callActivity>`);
    const field = (attrs: string, constraints = '') =>
      proc(
        `<userTask id="m"><extensionElements><camunda:formData><camunda:formField id="f" ${attrs}><camunda:validation>${constraints}</camunda:validation></camunda:formField></camunda:formData></extensionElements></userTask>`,
      );
    await validateBpmn(
      'ok.bpmn',
      call(
        '<camunda:in variables="all"/><camunda:in businessKey="#{execution.processBusinessKey}"/><camunda:out variables="all"/>',
      ),
      opts,
    );
    await validateBpmn(
      'ok.bpmn',
      field(
        'type="date" datePattern="yyyy-MM-dd" defaultValue="${start}"',
        '<camunda:constraint name="required"/><camunda:constraint name="max" config="10"/>',
      ),
      opts,
    );
    expect(await problems(call('<camunda:in source="a" target="b"/>'))).toEqual([
      { element: 'm', reason: expect.stringMatching(/^camunda:in 的变量映射不受支持/) },
    ]);
    expect(await problems(call('<camunda:out variables="all" local="true"/>'))).toEqual([
      { element: 'm', reason: expect.stringMatching(/^camunda:out 的变量映射不受支持/) },
    ]);
    expect(await problems(field('type="string"', '<camunda:constraint name="pattern" config="x"/>'))).toEqual([
      { element: 'f', reason: expect.stringMatching(/^表单校验 pattern 不受支持/) },
    ]);
    expect(await problems(field('type="string"', '<camunda:constraint name="minlength" config=""/>'))).toEqual([
      { element: 'f', reason: "表单校验 minlength 需要一个数字 config，而不是 ''" },
    ]);
    expect(await problems(field('type="date" datePattern="dd MMM yyyy"'))).toEqual([
      { element: 'f', reason: expect.stringMatching(/^表单字段 f：日期格式 dd MMM yyyy 含有不支持的字母 M/) },
    ]);
    expect(await problems(field('type="string" defaultValue="${user.getName()}"'))).toEqual([
      { element: 'f', reason: expect.stringMatching(/^表单字段 f 的 defaultValue \$\{user\.getName\(\)\} 无法求值/) },
    ]);
  });

  it('refuses a script task', async () => {
    const p = await problems(
      proc('<scriptTask id="m" scriptFormat="javascript"><script>require("child_process")</script></scriptTask>'),
    );
    expect(p).toContainEqual({
      element: 'm',
      reason: 'script tasks are not allowed: they would run code on the server',
    });
  });

  it('refuses a javascript condition, accepts JUEL it can evaluate, and names the JUEL it cannot', async () => {
    const cond = (id: string, body: string, lang = '') =>
      `<sequenceFlow id="${id}" sourceRef="m" targetRef="e"><conditionExpression xsi:type="tFormalExpression"${lang}>${body}</conditionExpression></sequenceFlow>`;
    const p = await problems(
      proc(
        '<exclusiveGateway id="m"/>',
        cond('js', 'next(null, process.exit())', ' language="javascript"') +
          cond('juel', '#{approved}') +
          cond('cmp', '${a &gt; 1 &amp;&amp; !empty b}') +
          cond('call', "${bean.run('x')}") +
          cond('text', 'approved'),
      ),
    );
    expect(p).toContainEqual({
      element: 'js',
      reason: expect.stringMatching(/language 'javascript'.*scripts are not allowed/),
    });
    expect(p.filter((x) => x.element === 'juel' || x.element === 'cmp')).toEqual([]);
    expect(p).toContainEqual({ element: 'call', reason: "条件表达式 ${bean.run('x')} 无法求值：不允许调用方法 run()" });
    expect(p).toContainEqual({ element: 'text', reason: expect.stringMatching(/条件 'approved' 不是表达式/) });
    expect(p.filter((x) => x.element === 'js')).toHaveLength(1);
  });

  it('names the task attribute and timer expressions it cannot evaluate', async () => {
    const p = await problems(
      proc(
        `<userTask id="m" camunda:assignee="\${users.pick()}" camunda:dueDate="\${dateTime().plusDays(2).toDate()}"/>` +
          `<intermediateCatchEvent id="w"><timerEventDefinition><timeDate>\${dateTime().plusDays(1).toDate()}</timeDate></timerEventDefinition></intermediateCatchEvent>` +
          `<intermediateCatchEvent id="x"><timerEventDefinition><timeDuration>\${System.exit(0)}</timeDuration></timerEventDefinition></intermediateCatchEvent>`,
      ),
    );
    expect(p).toContainEqual({
      element: 'm',
      reason: 'camunda:assignee ${users.pick()} 无法求值：不允许调用方法 pick()',
    });
    expect(p).toContainEqual({
      element: 'x',
      reason: expect.stringMatching(/^定时器 timeDuration 表达式 \$\{System.exit\(0\)\} 无法求值/),
    });
    expect(p.filter((x) => x.element === 'w')).toEqual([]);
    expect(p.filter((x) => x.element === 'm')).toHaveLength(1);
  });

  it('refuses expressions that reach into constructors', async () => {
    const p = await problems(
      proc('<userTask id="m" camunda:assignee="${environment.constructor.constructor(\'return process\')}"/>'),
    );
    expect(p).toContainEqual({ element: 'm', reason: expect.stringMatching(/reaches into 'constructor'/) });
  });

  it("refuses expressions that reach into the runtime's step context, wherever they are", async () => {
    const timer = (path: string) =>
      `<intermediateCatchEvent id="m"><timerEventDefinition><timeDuration>\${${path}}</timeDuration></timerEventDefinition></intermediateCatchEvent>`;
    expect(await problems(proc(timer('environment.services.$step.tx.connection.options.url')))).toContainEqual({
      element: 'm',
      reason: expect.stringMatching(/reaches into '\$step'/),
    });
    expect(await problems(proc(timer('environment.options.services.$step.instance.id')))).toContainEqual({
      element: 'm',
      reason: expect.stringMatching(/reaches into '\$step'/),
    });
    const cond = proc(
      '<exclusiveGateway id="m"/>',
      '<sequenceFlow id="c" sourceRef="m" targetRef="e"><conditionExpression xsi:type="tFormalExpression">${environment.services.$step.tx}</conditionExpression></sequenceFlow>',
    );
    expect(await problems(cond)).toContainEqual({
      element: 'c',
      reason: expect.stringMatching(/reaches into '\$step'/),
    });
    await expect(validateBpmn('ok.bpmn', proc(timer('environment.variables.due')), opts)).resolves.toBeDefined();
  });

  it('refuses expressions that call something not registered', async () => {
    const cond = (body: string) =>
      `<sequenceFlow id="c" sourceRef="m" targetRef="e"><conditionExpression xsi:type="tFormalExpression">${body}</conditionExpression></sequenceFlow>`;
    const p = await problems(proc('<exclusiveGateway id="m"/>', cond("${environment.services.exec('touch x')}")));
    expect(p).toContainEqual({
      element: 'c',
      reason: "unknown handler exec in '${environment.services.exec('touch x')}'",
    });
    const timer = await problems(
      proc(
        '<intermediateCatchEvent id="m"><timerEventDefinition><timeDuration>${environment.services.spawn(\'sh\')}</timeDuration></timerEventDefinition></intermediateCatchEvent>',
      ),
    );
    expect(timer).toContainEqual({ element: 'm', reason: expect.stringMatching(/^unknown handler spawn/) });
    const mi = await problems(
      proc(
        '<userTask id="m"><multiInstanceLoopCharacteristics isSequential="true" camunda:collection="${environment.services.list()}"/></userTask>',
      ),
    );
    expect(mi).toContainEqual({ element: 'm', reason: expect.stringMatching(/^unknown handler list/) });
  });

  it('refuses unknown handlers and service tasks that run code or name nothing', async () => {
    const p = await problems(
      proc(
        '<serviceTask id="m" implementation="${environment.services.nope}"/>',
        `<serviceTask id="ws" implementation="webService"/><serviceTask id="java" camunda:class="com.acme.Run"/>
         <sendTask id="none"/><serviceTask id="ext" camunda:type="external"/>
         <userTask id="l"><extensionElements><camunda:taskListener event="create" delegateExpression="\${bean}"/></extensionElements></userTask>`,
      ),
    );
    expect(p).toContainEqual({ element: 'm', reason: 'unknown handler nope' });
    expect(p).toContainEqual({ element: 'ws', reason: expect.stringMatching(/web service/) });
    expect(p).toContainEqual({ element: 'java', reason: expect.stringMatching(/camunda:class .*run code/) });
    expect(p).toContainEqual({ element: 'none', reason: expect.stringMatching(/send task names no handler/) });
    expect(p).toContainEqual({ element: 'ext', reason: 'external task without camunda:topic' });
    expect(p).toContainEqual({
      element: 'l',
      reason: expect.stringMatching(/taskListener with camunda:delegateExpression/),
    });
  });

  it('refuses a cron timer and an empty timer, accepts ISO and expressions', async () => {
    const timer = (id: string, def: string) =>
      `<intermediateCatchEvent id="${id}"><timerEventDefinition>${def}</timerEventDefinition></intermediateCatchEvent>`;
    const p = await problems(
      proc(
        timer('m', '<timeCycle>0/5 0/1 * 1/1 * ?</timeCycle>'),
        timer('empty', '') +
          timer('iso', '<timeDate>2026-05-01T09:00:00+08:00</timeDate>') +
          timer('expr', '<timeDuration>${environment.variables.due}</timeDuration>'),
      ),
    );
    expect(p).toContainEqual({
      element: 'm',
      reason: expect.stringMatching(/^timer '0\/5 0\/1 \* 1\/1 \* \?' is not an ISO 8601 cycle/),
    });
    expect(p).toContainEqual({ element: 'empty', reason: expect.stringMatching(/timer without/) });
    expect(p.map((x) => x.element)).not.toContain('iso');
    expect(p.map((x) => x.element)).not.toContain('expr');
  });

  const wait = (id: string, kind: string, value: string) =>
    `<intermediateCatchEvent id="${id}"><timerEventDefinition><${kind}>${value}</${kind}></timerEventDefinition>` +
    '</intermediateCatchEvent>';

  it('refuses timer values that would never finish or break the limits, naming the element', async () => {
    const p = await problems(
      proc(
        wait('m', 'timeCycle', 'R/PT0S'),
        wait('zero', 'timeDuration', 'PT0S') +
          wait('neg', 'timeDuration', 'PT-1H') +
          wait('tiny', 'timeDuration', 'PT1S') +
          wait('many', 'timeCycle', 'R100000/PT1H') +
          wait('endless', 'timeCycle', 'R/PT1H'),
      ),
    );
    const refused = (element: string, reason: RegExp) =>
      expect(p).toContainEqual({ element, reason: expect.stringMatching(reason) });
    refused('m', /^timer 'R\/PT0S' has a period of zero/);
    refused('zero', /^timer 'PT0S' has a period of zero/);
    refused('neg', /^timer 'PT-1H' is negative/);
    refused('tiny', /^timer 'PT1S' has a period of PT1S, shorter than PT1M/);
    refused('many', /^timer 'R100000\/PT1H' repeats 100000 times, more than the 1000 allowed/);
    expect(p.map((x) => x.element)).not.toContain('endless');
    // The limits are the caller's.
    const lax = { ...opts, timerLimits: { minPeriodMs: 1000, maxRepeat: 200_000 } };
    const relaxed = proc(
      wait('m', 'timeDuration', 'PT1S'),
      wait('many', 'timeCycle', 'R100000/PT1H') + wait('z', 'timeDuration', 'PT0S'),
    );
    expect((await problems(relaxed, lax)).map((x) => x.element)).toEqual(['z']);
  });

  it('leaves values that are not ISO 8601 to the caller when asked, refusing the ISO ones that break the limits', async () => {
    const pendingLiterals: PendingLiteral[] = [];
    await validateBpmn('ok.bpmn', proc(wait('m', 'timeDate', 'workdays(5)')), { ...opts, pendingLiterals });
    const notIso = expect.stringMatching(/^timer 'workdays\(5\)' is not an ISO 8601 date-time/);
    expect(pendingLiterals).toEqual([{ element: 'm', value: 'workdays(5)', reason: notIso }]);
    const later: PendingLiteral[] = [];
    const both = proc(wait('m', 'timeDate', 'workdays(5)'), wait('z', 'timeDuration', 'PT0S'));
    const zero = { element: 'z', reason: expect.stringMatching(/period of zero/) };
    expect(await problems(both, { ...opts, pendingLiterals: later })).toEqual([zero]);
    expect(later.map((x) => x.element)).toEqual(['m']);
  });

  it('counts the elements before parsing: more than the limit is refused, the diagram counted apart', async () => {
    const tasks = (n: number) => Array.from({ length: n }, (_, i) => `<task id="t${i}"/>`).join('');
    const at = (n: number) => doc(`<process id="p" isExecutable="true">${tasks(n)}</process>`);
    const small = { ...opts, maxElements: 50 };
    // definitions + process + the tasks
    await expect(validateBpmn('ok.bpmn', at(48), small)).resolves.toBeDefined();
    expect(await problems(at(49), small)).toEqual([
      { reason: 'the file holds more than 50 elements, its diagram aside (DUBAN_MAX_BPMN_ELEMENTS); split it' },
    ]);
    const DI =
      'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"';
    const shape = (i: number) =>
      `<bpmndi:BPMNShape id="s${i}" bpmnElement="t0"><dc:Bounds x="0" y="0" width="1" height="1"/></bpmndi:BPMNShape>`;
    const shapes = (n: number) => Array.from({ length: n }, (_, i) => shape(i)).join('');
    const plane = (n: number) =>
      `<bpmndi:BPMNDiagram id="dg"><bpmndi:BPMNPlane id="pl" bpmnElement="p">${shapes(n)}</bpmndi:BPMNPlane>` +
      '</bpmndi:BPMNDiagram>';
    const drawn = (n: number) =>
      at(10)
        .replace('<definitions ', `<definitions ${DI} `)
        .replace('</definitions>', `${plane(n)}</definitions>`);
    await expect(validateBpmn('ok.bpmn', drawn(200), small)).resolves.toBeDefined();
    const tooMany = 'the diagram holds more than 500 elements (10 per DUBAN_MAX_BPMN_ELEMENTS)';
    expect(await problems(drawn(300), small)).toEqual([{ reason: tooMany }]);
  });

  it('refuses constructs that crash bpmn-engine', async () => {
    const p = await problems(
      doc(`<collaboration id="c"><participant id="pool" processRef="p"/><participant id="blackbox"/>
          <messageFlow id="mf" sourceRef="m" targetRef="blackbox"/><messageFlow id="mf2" sourceRef="inner" targetRef="blackbox"/></collaboration>
        <process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow sourceRef="s" targetRef="m"/>
          <userTask id="m"><potentialOwner><resourceRef>r</resourceRef></potentialOwner></userTask>
          <subProcess id="sub"><task id="inner"/></subProcess>
          <subProcess id="mi"><multiInstanceLoopCharacteristics/></subProcess>
          <complexGateway id="cg"/></process>
        <resource id="r"/><globalUserTask id="gt"/>`),
    );
    // A sequence flow without id is named at deploy and runs, as in Camunda (see the conformance suite).
    expect(p.filter((x) => /sequence flow without id/.test(x.reason))).toEqual([]);
    expect(p).toContainEqual({
      element: 'm',
      reason: expect.stringMatching(/potentialOwner without resourceAssignmentExpression/),
    });
    expect(p).toContainEqual({ element: 'mf', reason: expect.stringMatching(/black-box pool/) });
    expect(p).toContainEqual({ element: 'mf2', reason: expect.stringMatching(/not a top-level element/) });
    expect(p).toContainEqual({ element: 'mi', reason: expect.stringMatching(/parallel multi-instance needs/) });
    expect(p).toContainEqual({ element: 'cg', reason: 'unsupported element type bpmn:ComplexGateway' });
    expect(p).toContainEqual({ element: 'gt', reason: expect.stringMatching(/bpmn:GlobalUserTask at the top level/) });
    expect(p).toContainEqual({ element: 'r', reason: expect.stringMatching(/bpmn:Resource at the top level/) });
  });

  it('refuses a file without an executable process', async () => {
    expect(await problems(doc('<process id="p"><task id="t"/></process>'))).toEqual([
      { reason: expect.stringMatching(/no executable process/) },
    ]);
  });

  it('accepts ISO-8859-1 declared on a pure ASCII file only', async () => {
    const latin = (name: string) =>
      `<?xml version="1.0" encoding="ISO-8859-1"?>${doc(`<process id="p" name="${name}" isExecutable="true"><task id="t"/></process>`).slice(38)}`;
    await expect(validateBpmn('a.bpmn', latin('plain'), opts)).resolves.toMatchObject({ executableProcessIds: ['p'] });
    expect((await problems(latin('Café')))[0].reason).toMatch(/declares encoding ISO-8859-1 but holds non-ASCII/);
  });
});

// The public conformance corpus lives outside the project; DUBAN_CORPORA_DIR points at it.
const corporaDir = process.env.DUBAN_CORPORA_DIR ?? path.resolve(process.cwd(), '../shared/corpora');

describe('validateBpmn on the conformance corpus', () => {
  it('never crashes, and whatever it accepts loads in bpmn-engine', async () => {
    if (!existsSync(corporaDir)) {
      console.warn(`corpus test skipped: ${corporaDir} not found (set DUBAN_CORPORA_DIR)`);
      return;
    }
    const files = (readdirSync(corporaDir, { recursive: true }) as string[])
      .filter((f) => /\.bpmn$|\.bpmn20\.xml$/.test(f))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    const rows: { file: string; result: string }[] = [];
    for (const file of files) {
      const xml = readFileSync(path.join(corporaDir, file));
      try {
        const v = await validateBpmn(path.basename(file), xml, opts);
        await new Engine({ moddleContext: v.moddleContext as any, moddleOptions: { camunda } }).getDefinitions();
        rows.push({ file, result: 'deployed' });
      } catch (err) {
        if (!(err instanceof DeployError))
          throw new Error(`${file}: ${err instanceof Error ? err.stack : String(err)}`);
        const first = err.problems[0];
        rows.push({
          file,
          result: `refused: ${first.element ? `${first.element}: ` : ''}${first.reason}`.slice(0, 160),
        });
      }
    }
    const deployed = rows.filter((r) => r.result === 'deployed').length;
    const width = Math.max(...rows.map((r) => r.file.length));
    console.log(
      [
        `corpus: ${deployed} deployed, ${rows.length - deployed} refused of ${rows.length}`,
        ...rows.map((r) => `${r.file.padEnd(width)}  ${r.result}`),
      ].join('\n'),
    );
  });
});
