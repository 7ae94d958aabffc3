import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Engine } from 'bpmn-engine';
import fc from 'fast-check';
import { deserializeContext, serializeContext } from '../runtime/bpmn-runtime.js';
import { validateBpmn, type ValidatorOptions } from './bpmn-validator.js';
import { DeployError } from './deploy-error.js';

const require = createRequire(import.meta.url);
const camunda = require('camunda-bpmn-moddle/resources/camunda.json');

const NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
// The shipped processes: valid files to mutate, with the handlers they name registered.
const shipped = readdirSync('processes')
  .filter((n) => n.endsWith('.bpmn'))
  .map((n) => readFileSync(path.join('processes', n), 'utf8'));
const opts: ValidatorOptions = {
  maxBytes: 2 * 1024 * 1024,
  handlers: new Set([
    'issueNotice',
    ...shipped.flatMap((x) => [...x.matchAll(/environment\.services\.(\w+)/g)].map((m) => m[1])),
  ]),
  // As the service checks them: a day count written as a settings lookup (the ladder's rungs) counts as a number.
  // The overdue chase: overdue(workdays(N), every, times), each a number or a settings lookup.
  timerLiteral: (v) =>
    /^workdays\(-?(\d+|\$\{[\w.]+\}), ?(\$\{[\w.]+\}|\d{4}-\d{2}-\d{2})\)$|^workdays\(-?\d+\)$/.test(v) ||
    /^overdue\(workdays\(-?(\d+|\$\{[\w.]+\})(, ?(\$\{[\w.]+\}|\d{4}-\d{2}-\d{2}))?\), ?(\d+|\$\{[\w.]+\}), ?(\d+|\$\{[\w.]+\})\)$/.test(
      v,
    )
      ? null
      : 'not a working-day literal',
};
const small = `<?xml version="1.0" encoding="UTF-8"?><definitions ${NS} id="d" targetNamespace="t"><process id="p" isExecutable="true">
  <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="u"/>
  <userTask id="u" camunda:candidateGroups="HBJ"/><sequenceFlow id="f2" sourceRef="u" targetRef="g"/>
  <exclusiveGateway id="g" default="f4"/>
  <sequenceFlow id="f3" sourceRef="g" targetRef="svc"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.ok}</conditionExpression></sequenceFlow>
  <sequenceFlow id="f4" sourceRef="g" targetRef="e"/>
  <serviceTask id="svc" implementation="\${environment.services.issueNotice}"/><sequenceFlow id="f5" sourceRef="svc" targetRef="e"/>
  <boundaryEvent id="b" attachedToRef="u"><timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition></boundaryEvent>
  <endEvent id="e"/></process></definitions>`;
const valid = [small, ...shipped];

/**
 * What the validator must do with anything: accept it, or refuse it with a DeployError; never throw anything
 * else, never take long. What it accepts must store and load as the deploy and the runtime do it.
 */
async function holds(xml: string | Buffer): Promise<void> {
  const t0 = Date.now();
  let accepted: Awaited<ReturnType<typeof validateBpmn>> | null = null;
  try {
    accepted = await validateBpmn('fuzz.bpmn', xml, opts);
  } catch (err) {
    if (!(err instanceof DeployError))
      throw new Error(`not a DeployError: ${err instanceof Error ? err.stack : String(err)}`);
    expect(err.problems.length).toBeGreaterThan(0);
    for (const p of err.problems) expect(typeof p.reason).toBe('string');
  }
  expect(Date.now() - t0).toBeLessThan(3000);
  if (accepted) {
    expect(accepted.executableProcessIds.length).toBeGreaterThan(0);
    const sourceContext = deserializeContext(serializeContext(accepted.moddleContext));
    await new Engine({ sourceContext: sourceContext as any, moddleOptions: { camunda } }).getDefinitions();
  }
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const tag = fc.constantFrom(
  'process',
  'startEvent',
  'endEvent',
  'userTask',
  'serviceTask',
  'task',
  'sequenceFlow',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'subProcess',
  'boundaryEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'timerEventDefinition',
  'timeDuration',
  'timeCycle',
  'timeDate',
  'conditionExpression',
  'messageEventDefinition',
  'signalEventDefinition',
  'message',
  'signal',
  'documentation',
  'extensionElements',
  'camunda:properties',
  'camunda:property',
  'camunda:executionListener',
  'camunda:script',
  'camunda:inputOutput',
  'camunda:inputParameter',
  'multiInstanceLoopCharacteristics',
  'loopCardinality',
  'completionCondition',
  'callActivity',
  'scriptTask',
  'script',
  'laneSet',
  'lane',
  'collaboration',
  'participant',
  'messageFlow',
  'dataObject',
  'textAnnotation',
  'errorEventDefinition',
  'error',
  'escalation',
  'sendTask',
  'receiveTask',
  'eventBasedGateway',
  'foo',
  'x:y',
  'bpmn:task',
);
const ref = fc.constantFrom(
  's',
  'e',
  't',
  'u',
  'g',
  'f1',
  'p',
  'm',
  'sub',
  '__proto__',
  'constructor',
  'toString',
  '1x',
  '',
);
const attrName = fc.constantFrom(
  'id',
  'id',
  'name',
  'sourceRef',
  'targetRef',
  'attachedToRef',
  'isExecutable',
  'default',
  'cancelActivity',
  'camunda:assignee',
  'camunda:candidateGroups',
  'camunda:type',
  'camunda:topic',
  'implementation',
  'messageRef',
  'signalRef',
  'errorRef',
  'calledElement',
  'processRef',
  'xsi:type',
  'language',
  'isSequential',
  'camunda:collection',
  'camunda:elementVariable',
  'scriptFormat',
  'camunda:class',
  'camunda:expression',
  'camunda:dueDate',
  'event',
  'triggeredByEvent',
  'isInterrupting',
  'camunda:formKey',
);
const attrValue = fc.oneof(
  ref,
  fc.constantFrom(
    'true',
    'false',
    '${environment.variables.x}',
    '${environment.services.issueNotice}',
    '${environment.services.nope(1)}',
    '${environment.constructor}',
    '${environment.services.$step.tx}',
    '#{x}',
    'tFormalExpression',
    'javascript',
    'external',
    'P1D',
    'R3/PT1H',
    '0 0 * * * ?',
    'workdays(3)',
    '${a.b[0]}',
    'start',
    'end',
  ),
  fc.string({ maxLength: 12 }),
);
const text = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.constantFrom('${environment.variables.ok}', 'P1D', 'next(null, true)', '${x.__proto__}', '&lt;'),
);

type Node = string | { name: string; attrs: [string, string][]; children: Node[] };
const { node } = fc.letrec<{ node: Node; element: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, tie('element'), tie('element')),
  element: fc.record({
    name: tag,
    attrs: fc.array(fc.tuple(attrName, attrValue), { maxLength: 4 }),
    children: fc.array(tie('node'), { maxLength: 4 }),
  }),
}));

function render(n: Node, raw: boolean): string {
  if (typeof n === 'string') return raw ? n : escape(n);
  const attrs = n.attrs.map(([k, v]) => ` ${k}="${raw ? v : escape(v)}"`).join('');
  return n.children.length
    ? `<${n.name}${attrs}>${n.children.map((c) => render(c, raw)).join('')}</${n.name}>`
    : `<${n.name}${attrs}/>`;
}

const DOCTYPES = [
  '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
  '<!DOCTYPE definitions SYSTEM "http://127.0.0.1:9/x.dtd">',
  '<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p"> %p;]>',
];
type Mutation = (s: string) => string;
const at = (s: string, f: number) => Math.floor(f * (s.length + 1));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...DOCTYPES).map(
    (d): Mutation =>
      (s) =>
        s.replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}${d}`),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), node).map(([f, n]): Mutation => (s) => {
    // After a '>' so the element lands between tags more often than inside one.
    const i = s.indexOf('>', at(s, f));
    return i < 0 ? s + render(n, false) : s.slice(0, i + 1) + render(n, false) + s.slice(i + 1);
  }),
  fc.double({ min: 0, max: 1, noNaN: true }).map(
    (f): Mutation =>
      (s) =>
        s.slice(0, at(s, f)),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(40), fc.string({ maxLength: 10 })).map(
    ([f, n, r]): Mutation =>
      (s) =>
        s.slice(0, at(s, f)) + r + s.slice(at(s, f) + n),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(200)).map(
    ([f, n]): Mutation =>
      (s) =>
        s.slice(0, at(s, f) + n) + s.slice(at(s, f)),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), attrName, attrValue).map(([f, k, v]): Mutation => (s) => {
    const i = s.indexOf(' id="', at(s, f));
    return i < 0 ? s : `${s.slice(0, i)} ${k}="${escape(v)}"${s.slice(i)}`;
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), tag).map(([f, t]): Mutation => (s) => {
    const i = s.indexOf('<', at(s, f));
    const m = i < 0 ? null : /^<\/?([\w:]+)/.exec(s.slice(i));
    return m ? s.slice(0, i) + s.slice(i).replace(m[1], t) : s;
  }),
);

describe('validateBpmn under fuzzing', () => {
  it('takes any string or bytes: accepted or refused with a DeployError, quickly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 })), holds),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), (b) => holds(Buffer.from(b))),
      { numRuns: 200 },
    );
  });

  it('takes XML-ish trees of BPMN elements, well-formed or not', async () => {
    const doc = fc
      .tuple(fc.array(node, { maxLength: 5 }), fc.boolean(), fc.boolean())
      .map(([nodes, inProcess, raw]) => {
        const body = nodes.map((n) => render(n, raw)).join('');
        return `<?xml version="1.0" encoding="UTF-8"?><definitions ${NS} id="d" targetNamespace="t">${inProcess ? `<process id="p" isExecutable="true">${body}</process>` : body}</definitions>`;
      });
    await fc.assert(fc.asyncProperty(doc, holds), { numRuns: 400 });
  });

  it('takes mutations of valid processes (DOCTYPEs, stray elements and attributes, truncation, renamed tags)', async () => {
    for (const xml of valid) await expect(validateBpmn('valid.bpmn', xml, opts)).resolves.toBeDefined();
    const mutated = fc
      .tuple(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 3 }))
      .map(([xml, ms]) => ms.reduce((s, m) => m(s), xml));
    await fc.assert(fc.asyncProperty(mutated, holds), { numRuns: 300 });
  });
});
