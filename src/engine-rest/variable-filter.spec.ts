import { CamundaError } from './camunda-error.js';
import { SqlFilter } from './sql.js';
import { parseVariableConditions, variableConditions } from './variable-filter.js';

describe("Camunda's variable filters", () => {
  it('reads the query-string form and the body form', () => {
    expect(parseVariableConditions('river_eq_清河,km_gteq_3', 'processVariables')).toEqual([
      { name: 'river', operator: 'eq', value: '清河', text: true },
      { name: 'km', operator: 'gteq', value: '3', text: true },
    ]);
    expect(parseVariableConditions([{ name: 'ok', operator: 'eq', value: true }], 'variables')).toEqual([
      { name: 'ok', operator: 'eq', value: true, text: false },
    ]);
    expect(parseVariableConditions(undefined, 'variables')).toEqual([]);
  });

  it.each([
    ['river_is_清河'],
    ['river_eq'],
    ['a_b_c_d'],
    [[{ name: 'x', operator: 'eq', value: { nested: 1 } }]],
    [[{ operator: 'eq', value: 1 }]],
    [42],
  ])('refuses %j with a 400', (raw) => {
    expect(() => parseVariableConditions(raw, 'processVariables')).toThrow(CamundaError);
  });

  it('builds parameterized conditions, a comparison with null or a boolean only by eq/neq', () => {
    const f = variableConditions(new SqlFilter(), 'i.variables', "name_eq_' OR 1=1 --", 'variables');
    expect(f.where()).not.toContain('OR 1=1');
    expect(f.params).toContain("' OR 1=1 --");
    expect(() =>
      variableConditions(new SqlFilter(), 'i.variables', [{ name: 'x', operator: 'gt', value: null }], 'variables'),
    ).toThrow(CamundaError);
    expect(() =>
      variableConditions(new SqlFilter(), 'i.variables', [{ name: 'x', operator: 'lt', value: true }], 'variables'),
    ).toThrow(CamundaError);
    expect(() =>
      variableConditions(new SqlFilter(), 'i.variables', [{ name: 'x', operator: 'like', value: 3 }], 'variables'),
    ).toThrow(CamundaError);
    expect(() =>
      variableConditions(
        new SqlFilter(),
        'i.variables',
        Array.from({ length: 51 }, () => ({ name: 'x', operator: 'eq', value: 1 })),
        'variables',
      ),
    ).toThrow(/at most 50/);
  });
});
