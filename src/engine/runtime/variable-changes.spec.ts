import { BpmnModdle } from 'bpmn-moddle';
import { camundaModdle, deserializeContext, runStep, serializeContext, type StepCommand } from './bpmn-runtime.js';
import type { PendingResult } from './step-context.js';
import { canonicalJson, nextVariableTypes, withVariables } from './variable-changes.js';

const NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

async function load(body: string) {
  const xml = `<?xml version="1.0"?><definitions ${NS} id="d" targetNamespace="t">${body}</definitions>`;
  const ctx = await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml);
  return deserializeContext(serializeContext(ctx));
}

const external = `
  <error id="errBad" errorCode="BAD"/>
  <process id="p" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="work"/>
    <serviceTask id="work" camunda:type="external" camunda:topic="t"/>
    <boundaryEvent id="bad" attachedToRef="work"><errorEventDefinition errorRef="errBad"/></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="work" targetRef="ok"/><userTask id="ok"/>
    <sequenceFlow id="f3" sourceRef="bad" targetRef="g"/>
    <exclusiveGateway id="g" default="toPlain"/>
    <sequenceFlow id="toKnown" sourceRef="g" targetRef="known"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.known}</conditionExpression></sequenceFlow>
    <sequenceFlow id="toPlain" sourceRef="g" targetRef="plain"/>
    <userTask id="known"/><userTask id="plain"/>
  </process>`;

describe('variables set from outside a step', () => {
  it('are read by the process from the stored state, and those sent with a BPMN error by the catching path', async () => {
    const sourceContext = await load(external);
    let state: unknown = null;
    const step = async (command: StepCommand, results = new Map<string, PendingResult>()) => {
      const out = await runStep({
        instance: { id: 'i', businessKey: null, definitionKey: 'p' },
        definitionId: 'p:1',
        sourceContext,
        state,
        command,
        now: () => 0,
        handlers: new Map(),
        runServices: false,
        results,
      });
      expect(out.error).toBeNull();
      state = out.state;
      return out;
    };
    const started = await step({ kind: 'start', variables: {} });
    const exec = started.externalWaits[0].executionId;
    state = withVariables(withVariables(state, { gone: 1 }, []), { note: 'x' }, ['gone']);
    const caught = await step(
      { kind: 'wake' },
      new Map([[exec, { bpmnError: { errorCode: 'BAD', message: 'm' }, output: { known: true } }]]),
    );
    expect(caught.tasks.map((t) => t.activityId)).toEqual(['known']);
    expect(caught.variables).toMatchObject({ note: 'x', known: true });
    expect('gone' in caught.variables).toBe(false);
  });

  it('keep a type tag only while the value is the one given', () => {
    const prev = {
      a: { type: 'Long' },
      b: { type: 'Date' },
      o: { type: 'Object', valueInfo: { objectTypeName: 'X' } },
    };
    const before = { a: 1, b: '2026-01-01T00:00:00.000Z', o: { y: 1, x: 2 } };
    expect(
      nextVariableTypes(prev, before, { a: 1, b: 'changed', o: { x: 2, y: 1 } }, { c: { type: 'Short' } }),
    ).toEqual({ a: { type: 'Long' }, o: prev.o });
    expect(nextVariableTypes(prev, before, { a: 2, c: 3 }, { a: { type: 'Double' }, c: { type: 'Short' } })).toEqual({
      a: { type: 'Double' },
      c: { type: 'Short' },
    });
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});
