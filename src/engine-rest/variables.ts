import type { VariableType, VariableTypes } from '../engine/runtime/variable-changes.js';
import { invalidRequest } from './camunda-error.js';
import { camundaDate } from './format.js';

/** A variable as Camunda's REST API carries it. */
export interface TypedValue {
  value: unknown;
  type: string;
  valueInfo: Record<string, unknown>;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

function refuse(name: string, type: string, value: unknown, why?: string): never {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  throw invalidRequest(
    `Cannot convert value '${String(shown).slice(0, 200)}' of type '${type}' for variable '${name}'${why ? `: ${why}` : ''}`,
  );
}

function toNumber(name: string, type: string, value: unknown): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
  if (!Number.isFinite(n)) refuse(name, type, value, 'not a number');
  return n;
}

function integer(name: string, type: string, value: unknown, min: number, max: number): number {
  const n = toNumber(name, type, value);
  if (!Number.isInteger(n)) refuse(name, type, value, 'not an integer');
  if (n < min || n > max) refuse(name, type, value, `out of range for ${type}`);
  return n;
}

function parseJson(name: string, type: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return refuse(name, type, value, 'not valid JSON');
  }
}

/** One typed value as the plain value the engine stores (JSON). */
export function fromTypedValue(name: string, typed: unknown): unknown {
  if (typed === null || typeof typed !== 'object' || Array.isArray(typed)) {
    throw invalidRequest(`variable '${name}' must be an object {"value": …, "type": …}`);
  }
  const { value, type, valueInfo } = typed as { value?: unknown; type?: unknown; valueInfo?: unknown };
  if (type !== undefined && type !== null && typeof type !== 'string')
    throw invalidRequest(`variable '${name}': type must be a string`);
  if (valueInfo !== undefined && valueInfo !== null && (typeof valueInfo !== 'object' || Array.isArray(valueInfo)))
    throw invalidRequest(`variable '${name}': valueInfo must be an object`);
  const kind = (type ?? '').toLowerCase();
  if (kind === 'null') return null;
  // A typed null (e.g. {"value": null, "type": "String"}) is a null of that type.
  if (value === null || value === undefined) {
    if (kind && !KNOWN.has(kind)) throw unsupported(name, type as string);
    return null;
  }
  switch (kind) {
    case '': // untyped: taken as the JSON value it is
      return value;
    case 'string':
      if (typeof value === 'object') refuse(name, 'String', value, 'not a string');
      return String(value);
    case 'boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      return refuse(name, 'Boolean', value, 'not true or false');
    case 'short':
      return integer(name, 'Short', value, -32768, 32767);
    case 'integer':
      return integer(name, 'Integer', value, INT_MIN, INT_MAX);
    case 'long':
      return integer(name, 'Long', value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case 'double':
      return toNumber(name, 'Double', value);
    case 'date': {
      // Camunda's yyyy-MM-dd'T'HH:mm:ss.SSSZ or ISO 8601; stored as ISO 8601 text (JSON has no dates).
      const text = typeof value === 'string' ? value.trim() : '';
      const t = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
      if (!Number.isFinite(t)) refuse(name, 'Date', value, "not a date (expected yyyy-MM-dd'T'HH:mm:ss.SSSZ)");
      return new Date(t).toISOString();
    }
    case 'json':
      return parseJson(name, 'Json', value);
    case 'object': {
      const format = (valueInfo as Record<string, unknown> | undefined)?.serializationDataFormat;
      if (format !== undefined && format !== null && format !== 'application/json') {
        throw invalidRequest(
          `variable '${name}': only Object values serialized as application/json are supported, not ${String(format)}`,
        );
      }
      return parseJson(name, 'Object', value);
    }
    default:
      throw unsupported(name, type as string);
  }
}

const KNOWN = new Set(['string', 'boolean', 'short', 'integer', 'long', 'double', 'date', 'json', 'object', 'null']);
/** Camunda's spelling of each type name, as clients send them in any case. */
const NAMES: Record<string, string> = {
  string: 'String',
  boolean: 'Boolean',
  short: 'Short',
  integer: 'Integer',
  long: 'Long',
  double: 'Double',
  date: 'Date',
  json: 'Json',
  object: 'Object',
  null: 'Null',
};

function unsupported(name: string, type: string): Error {
  const kind = type.toLowerCase();
  if (kind === 'bytes' || kind === 'file') {
    return invalidRequest(
      `variable '${name}': type '${type}' is refused: binary values are not stored as process variables; upload the file as evidence and keep its id in a String variable`,
    );
  }
  return invalidRequest(
    `variable '${name}': type '${type}' is not supported (String, Boolean, Short, Integer, Long, Double, Date, Json, Object as application/json, Null)`,
  );
}

/** The type tag to keep beside one typed value; untyped values have none (their type is read from the value). */
function typeTag(name: string, typed: unknown): VariableType | null {
  const { type, valueInfo } = typed as { type?: unknown; valueInfo?: Record<string, unknown> };
  if (typeof type !== 'string' || !type) return null;
  const canonical = NAMES[type.toLowerCase()];
  if (!canonical) throw unsupported(name, type);
  if (canonical !== 'Object') return { type: canonical };
  const objectTypeName = valueInfo?.objectTypeName;
  if (
    objectTypeName !== undefined &&
    objectTypeName !== null &&
    (typeof objectTypeName !== 'string' || objectTypeName.length > 255)
  ) {
    throw invalidRequest(`variable '${name}': valueInfo.objectTypeName must be a string of at most 255 characters`);
  }
  return {
    type: 'Object',
    valueInfo: { serializationDataFormat: 'application/json', ...(objectTypeName ? { objectTypeName } : {}) },
  };
}

/** Camunda's `{name: {value, type, valueInfo}}` as plain values and the type tags to keep beside them. */
export function readTyped(variables: unknown): { values: Record<string, unknown>; types: VariableTypes } {
  const values = fromTyped(variables);
  const types: VariableTypes = {};
  for (const name of Object.keys(values)) {
    const tag = typeTag(name, (variables as Record<string, unknown>)[name]);
    if (tag) types[name] = tag;
  }
  return { values, types };
}

/** Camunda's `{name: {value, type, valueInfo}}` as plain values; a bad type or value is a 400 naming the variable. */
export function fromTyped(variables: unknown): Record<string, unknown> {
  if (variables === undefined || variables === null) return {};
  if (typeof variables !== 'object' || Array.isArray(variables))
    throw invalidRequest('variables must be an object {name: {value, type}}');
  const out: Record<string, unknown> = {};
  for (const [name, typed] of Object.entries(variables as Record<string, unknown>)) {
    if (!name.trim()) throw invalidRequest('a variable name must not be empty');
    if (name === '__proto__' || name === 'constructor' || name === 'prototype')
      throw invalidRequest(`variable name '${name}' is not allowed`);
    out[name] = fromTypedValue(name, typed);
  }
  return out;
}

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

/** Whether a stored value still is what its type tag says (a step may have changed it since). */
function fits(value: unknown, type: string): boolean {
  if (value === null) return true;
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Short':
      return Number.isInteger(value) && (value as number) >= -32768 && (value as number) <= 32767;
    case 'Integer':
      return Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX;
    case 'Long':
      return Number.isSafeInteger(value);
    case 'Double':
      return typeof value === 'number';
    case 'Date':
      return typeof value === 'string' && DATE_TEXT.test(value) && !isNaN(Date.parse(value));
    case 'Json':
    case 'Object':
      return true;
    default:
      return false;
  }
}

/** A plain stored value as Camunda's typed value: by its type tag when it has one that fits, else by the value. */
export function toTypedValue(value: unknown, tag?: VariableType | null): TypedValue {
  if (tag && fits(value, tag.type)) {
    const valueInfo = { ...(tag.valueInfo ?? {}) };
    if (value === null || value === undefined) return { type: tag.type, value: null, valueInfo };
    if (tag.type === 'Date') return { type: 'Date', value: camundaDate(value as string), valueInfo };
    if (tag.type === 'Json' || tag.type === 'Object')
      return { type: tag.type, value: JSON.stringify(value), valueInfo };
    return { type: tag.type, value, valueInfo };
  }
  return inferTypedValue(value);
}

function inferTypedValue(value: unknown): TypedValue {
  if (value === null || value === undefined) return { type: 'Null', value: null, valueInfo: {} };
  if (typeof value === 'boolean') return { type: 'Boolean', value, valueInfo: {} };
  if (typeof value === 'number') {
    if (Number.isInteger(value))
      return { type: value >= INT_MIN && value <= INT_MAX ? 'Integer' : 'Long', value, valueInfo: {} };
    return { type: 'Double', value, valueInfo: {} };
  }
  if (typeof value === 'string') return { type: 'String', value, valueInfo: {} };
  // Camunda's Json type carries the serialized text.
  return { type: 'Json', value: JSON.stringify(value), valueInfo: {} };
}

/** Plain variables as Camunda's typed map, optionally only the names asked for, typed by their tags. */
export function toTyped(
  variables: Record<string, unknown> | null | undefined,
  names?: readonly string[] | null,
  types?: VariableTypes | null,
): Record<string, TypedValue> {
  const out: Record<string, TypedValue> = {};
  const vars = variables ?? {};
  const wanted = names ?? Object.keys(vars);
  for (const name of wanted) {
    if (Object.prototype.hasOwnProperty.call(vars, name))
      out[name] = toTypedValue(
        vars[name],
        types && Object.prototype.hasOwnProperty.call(types, name) ? types[name] : null,
      );
  }
  return out;
}
