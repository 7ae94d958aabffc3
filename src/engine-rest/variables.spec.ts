import { CamundaError } from './camunda-error.js';
import { fromTyped, readTyped, toTyped, toTypedValue } from './variables.js';

describe('Camunda typed variables', () => {
  it('reads every supported type, its name in any case as the JS client sends it', () => {
    expect(
      fromTyped({
        s: { value: '河道', type: 'String' },
        n: { value: 7, type: 'string' },
        b: { value: 'false', type: 'Boolean' },
        i: { value: '42', type: 'Integer' },
        sh: { value: -5, type: 'Short' },
        l: { value: 2 ** 40, type: 'Long' },
        d: { value: '0.25', type: 'double' },
        dt: { value: '2026-03-02T08:00:00.000+0800', type: 'Date' },
        j: { value: '{"a":[1,2]}', type: 'json' },
        jo: { value: { a: 1 }, type: 'Json' },
        o: {
          value: '[1]',
          type: 'Object',
          valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'java.util.ArrayList' },
        },
        nul: { value: null, type: 'Null' },
        typedNull: { value: null, type: 'Integer' },
        untyped: { value: { x: true } },
      }),
    ).toEqual({
      s: '河道',
      n: '7',
      b: false,
      i: 42,
      sh: -5,
      l: 2 ** 40,
      d: 0.25,
      dt: '2026-03-02T00:00:00.000Z',
      j: { a: [1, 2] },
      jo: { a: 1 },
      o: [1],
      nul: null,
      typedNull: null,
      untyped: { x: true },
    });
  });

  it.each([
    ['amount', { value: 'abc', type: 'Integer' }],
    ['amount', { value: 2 ** 31, type: 'Integer' }],
    ['amount', { value: 1.5, type: 'Long' }],
    ['flag', { value: 'yes', type: 'Boolean' }],
    ['when', { value: 'tomorrow', type: 'Date' }],
    ['doc', { value: '{', type: 'Json' }],
    ['obj', { value: '<a/>', type: 'Object', valueInfo: { serializationDataFormat: 'application/xml' } }],
    ['file', { value: 'x', type: 'File' }],
    ['text', { value: { a: 1 }, type: 'String' }],
    ['plain', 'not typed'],
  ])('refuses %s = %j with a 400 naming it', (name, typed) => {
    let err: unknown;
    try {
      fromTyped({ [name]: typed });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CamundaError);
    expect((err as CamundaError).status).toBe(400);
    expect((err as CamundaError).message).toContain(`'${name}'`);
  });

  it('refuses variables that are not a map', () => {
    expect(() => fromTyped([1])).toThrow(CamundaError);
    expect(() => fromTyped('x')).toThrow(CamundaError);
    expect(fromTyped(undefined)).toEqual({});
  });

  it('writes stored values as Camunda types', () => {
    expect(toTypedValue('a')).toEqual({ type: 'String', value: 'a', valueInfo: {} });
    expect(toTypedValue(1)).toEqual({ type: 'Integer', value: 1, valueInfo: {} });
    expect(toTypedValue(2 ** 33)).toEqual({ type: 'Long', value: 2 ** 33, valueInfo: {} });
    expect(toTypedValue(0.5)).toEqual({ type: 'Double', value: 0.5, valueInfo: {} });
    expect(toTypedValue(true)).toEqual({ type: 'Boolean', value: true, valueInfo: {} });
    expect(toTypedValue(null)).toEqual({ type: 'Null', value: null, valueInfo: {} });
    expect(toTypedValue({ a: [1] })).toEqual({ type: 'Json', value: '{"a":[1]}', valueInfo: {} });
    expect(toTyped({ a: 1, b: 2 }, ['b', 'missing'])).toEqual({ b: { type: 'Integer', value: 2, valueInfo: {} } });
  });

  it('keeps the type a caller gave while the value fits it', () => {
    const { values, types } = readTyped({
      l: { value: 5, type: 'long' },
      d: { value: 3, type: 'Double' },
      t: { value: '2026-03-02T08:00:00.000+0800', type: 'Date' },
      o: {
        value: '{"a":1}',
        type: 'Object',
        valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' },
      },
      u: { value: 1 },
    });
    expect(types).toEqual({
      l: { type: 'Long' },
      d: { type: 'Double' },
      t: { type: 'Date' },
      o: {
        type: 'Object',
        valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'java.util.HashMap' },
      },
    });
    expect(toTyped(values, null, types)).toEqual({
      l: { type: 'Long', value: 5, valueInfo: {} },
      d: { type: 'Double', value: 3, valueInfo: {} },
      t: { type: 'Date', value: '2026-03-02T00:00:00.000+0000', valueInfo: {} },
      o: {
        type: 'Object',
        value: '{"a":1}',
        valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'java.util.HashMap' },
      },
      u: { type: 'Integer', value: 1, valueInfo: {} },
    });
    // A value changed since no longer fits its tag: typed by the value again.
    expect(toTypedValue('soon', { type: 'Date' })).toEqual({ type: 'String', value: 'soon', valueInfo: {} });
    expect(toTypedValue(2 ** 40, { type: 'Integer' })).toEqual({ type: 'Long', value: 2 ** 40, valueInfo: {} });
    expect(() => readTyped({ b: { value: 'AA==', type: 'Bytes' } })).toThrow(/binary/);
  });
});
