import { invalidRequest } from './camunda-error.js';
import type { SqlFilter } from './sql.js';

/** One condition of Camunda's variable filters (`processVariables`, `taskVariables`, `variables`). */
export interface VariableCondition {
  name: string;
  operator: Operator;
  value: unknown;
  /** The value came from a query string (`name_op_value`): text that may stand for a number, a boolean or a date. */
  text: boolean;
}

const OPERATORS = ['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like', 'notLike'] as const;
type Operator = (typeof OPERATORS)[number];
const SQL_OP: Record<Operator, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gteq: '>=',
  lt: '<',
  lteq: '<=',
  like: 'LIKE',
  notLike: 'NOT LIKE',
};
const MAX_CONDITIONS = 50;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function operator(op: unknown, param: string): Operator {
  if (typeof op === 'string' && (OPERATORS as readonly string[]).includes(op)) return op as Operator;
  throw invalidRequest(
    `Invalid variable comparator specified in '${param}': ${String(op)} (one of ${OPERATORS.join(', ')})`,
  );
}

/**
 * Camunda's variable filter in either form: the query string's `name_operator_value[,…]` or the body's
 * `[{name, operator, value}]`. Anything else is a 400 naming the parameter.
 */
export function parseVariableConditions(raw: unknown, param: string): VariableCondition[] {
  if (raw === undefined || raw === null || raw === '') return [];
  let out: VariableCondition[];
  if (typeof raw === 'string' || (Array.isArray(raw) && raw.every((x) => typeof x === 'string'))) {
    const expressions = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(','));
    out = expressions.map((expression) => {
      const triple = expression.split('_');
      if (triple.length !== 3 || !triple[0])
        throw invalidRequest(
          `variable query parameter '${param}' has to have format KEY_OPERATOR_VALUE: '${expression.slice(0, 200)}'`,
        );
      return { name: triple[0], operator: operator(triple[1], param), value: triple[2], text: true };
    });
  } else if (Array.isArray(raw)) {
    out = raw.map((c) => {
      if (!c || typeof c !== 'object' || Array.isArray(c))
        throw invalidRequest(`'${param}' must be a list of {name, operator, value}`);
      const { name, operator: op, value } = c as Record<string, unknown>;
      if (typeof name !== 'string' || !name) throw invalidRequest(`'${param}': every condition needs a variable name`);
      if (value !== null && typeof value === 'object')
        throw invalidRequest(`'${param}': the value for variable '${name}' must be a string, number, boolean or null`);
      return { name, operator: operator(op, param), value: value ?? null, text: false };
    });
  } else {
    throw invalidRequest(`'${param}' must be KEY_OPERATOR_VALUE text or a list of {name, operator, value}`);
  }
  if (out.length > MAX_CONDITIONS) throw invalidRequest(`'${param}': at most ${MAX_CONDITIONS} conditions`);
  return out;
}

/** A date given in Camunda's format compares with stored dates (ISO 8601 in UTC). */
function normalizedText(s: string): string {
  if (!DATE_LIKE.test(s)) return s;
  const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return isNaN(t) ? s : new Date(t).toISOString();
}

/** The SQL of one condition over a jsonb variable value `v` (its name already matched). */
function valueSql(f: SqlFilter, c: VariableCondition, param: string, ignoreCase: boolean): string {
  const op = SQL_OP[c.operator];
  const ordering = c.operator !== 'eq' && c.operator !== 'neq';
  const like = c.operator === 'like' || c.operator === 'notLike';
  const text = (sqlText: string) => (ignoreCase ? `lower(${sqlText})` : sqlText);
  const stringCond = (s: string) =>
    `(jsonb_typeof(v) = 'string' AND ${text(`(v #>> '{}')`)} ${op} ${text(f.param(like ? s : normalizedText(s)))})`;
  const v = c.value;
  if (v === null) {
    if (ordering)
      throw invalidRequest(`'${param}': variable '${c.name}' cannot be compared with null by ${c.operator}`);
    return c.operator === 'eq' ? `jsonb_typeof(v) = 'null'` : `jsonb_typeof(v) <> 'null'`;
  }
  if (typeof v === 'boolean') {
    if (ordering)
      throw invalidRequest(`'${param}': variable '${c.name}' cannot be compared with a boolean by ${c.operator}`);
    return `v ${op} ${f.param(JSON.stringify(v))}::jsonb`;
  }
  if (typeof v === 'number') {
    if (like)
      throw invalidRequest(`'${param}': ${c.operator} compares text, not the number given for variable '${c.name}'`);
    return `(jsonb_typeof(v) = 'number' AND (v)::numeric ${op} ${f.param(v)}::numeric)`;
  }
  const s = String(v);
  if (!c.text || like) return stringCond(s);
  // A query string carries text: it matches a string with that text, or a number or boolean written so.
  const alternatives = [stringCond(s)];
  if (NUMBER.test(s)) alternatives.push(`(jsonb_typeof(v) = 'number' AND (v)::numeric ${op} ${f.param(s)}::numeric)`);
  if ((s === 'true' || s === 'false') && !ordering) alternatives.push(`v ${op} ${f.param(s)}::jsonb`);
  return `(${alternatives.join(' OR ')})`;
}

/**
 * Adds each condition as `EXISTS` over the variables of `source` (a jsonb expression): the variable must exist and
 * its value satisfy the condition.
 */
export function variableConditions(
  f: SqlFilter,
  source: string,
  raw: unknown,
  param: string,
  opts: { namesIgnoreCase?: boolean; valuesIgnoreCase?: boolean } = {},
): SqlFilter {
  for (const c of parseVariableConditions(raw, param)) {
    const name = opts.namesIgnoreCase ? `lower(k) = lower(${f.param(c.name)})` : `k = ${f.param(c.name)}`;
    const value = valueSql(f, c, param, opts.valuesIgnoreCase === true);
    f.flag(
      true,
      `EXISTS (SELECT 1 FROM jsonb_each(coalesce(${source}, '{}'::jsonb)) AS e(k, v) WHERE ${name} AND ${value})`,
    );
  }
  return f;
}

/** One `eq` condition on a single jsonb value (`history/variable-instance`'s variableName + variableValue). */
export function valueEquals(f: SqlFilter, valueExpr: string, value: string, ignoreCase = false): SqlFilter {
  const c: VariableCondition = { name: '', operator: 'eq', value, text: true };
  return f.flag(
    true,
    `EXISTS (SELECT 1 FROM (SELECT ${valueExpr} AS v) AS s WHERE ${valueSql(f, c, 'variableValue', ignoreCase)})`,
  );
}
