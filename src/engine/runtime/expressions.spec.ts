import { engineExpressions, isEngineLookup, multiInstanceLocals } from './expressions.js';

describe('engine expressions: lookups beside JUEL', () => {
  const env = (variables: Record<string, unknown>) => ({ environment: { variables, services: {} } });

  it('tells the engine lookups from JUEL', () => {
    expect(isEngineLookup('${environment.variables.approved}')).toBe(true);
    expect(isEngineLookup('${environment.services.notify()}')).toBe(true);
    expect(isEngineLookup('${approved}')).toBe(false);
    expect(isEngineLookup('#{environment.variables.x}')).toBe(false);
    expect(isEngineLookup('plain text')).toBe(false);
  });

  it('resolves both kinds, and JUEL written over several lines as the one expression inside', () => {
    const x = engineExpressions();
    expect(x.resolveExpression('${environment.variables.approved}', env({ approved: true }))).toBe(true);
    expect(x.resolveExpression('${approved}', env({ approved: true }))).toBe(true);
    expect(x.resolveExpression('\n   ${ input == 1 }\n  ', env({ input: 2 }))).toBe(false);
    expect(x.resolveExpression('calledProcess', env({}))).toBe('calledProcess');
  });

  it('gives a multi-instance iteration its counters', () => {
    expect(
      multiInstanceLocals({
        isMultiInstance: true,
        index: 1,
        loopCardinality: 4,
        isSequential: true,
        assignee: 'gonzo',
        id: 'miTasks',
      }),
    ).toEqual({
      assignee: 'gonzo',
      loopCounter: 1,
      nrOfInstances: 4,
      nrOfCompletedInstances: 1,
      nrOfActiveInstances: 1,
    });
    const completion = multiInstanceLocals({
      isMultiInstance: true,
      index: 2,
      loopCardinality: 5,
      loopOutput: [{}, undefined, {}, {}],
    });
    expect(completion).toMatchObject({
      loopCounter: 2,
      nrOfInstances: 5,
      nrOfCompletedInstances: 3,
      nrOfActiveInstances: 2,
    });
    expect(multiInstanceLocals({ index: 0 })).toBeUndefined();
  });
});
