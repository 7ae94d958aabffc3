/* The parsed definition's Camunda attributes, read from its serialized moddle context (bpmn-elements' shape). */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { JuelError, evaluateText, hasExpression, type JuelScope } from '../engine/runtime/juel.js';
import { invalidRequest } from './camunda-error.js';
import type { FieldConstraint } from './form-fields.js';
import { fromTypedValue, type TypedValue } from './variables.js';

export interface ProcessFacts {
  versionTag: string | null;
  historyTimeToLive: number | null;
  startableInTasklist: boolean;
}

export interface FormField {
  id: string;
  label: string | null;
  type: string;
  defaultValue: string | null;
  /** A `date` field's pattern (Camunda's dd/MM/yyyy when absent). */
  datePattern: string | null;
  /** `camunda:validation`'s constraints, checked on submit-form. */
  constraints: FieldConstraint[];
}

/** `camunda:versionTag`, `camunda:historyTimeToLive` (days) and `camunda:isStartableInTasklist` (true unless false). */
export function processFacts(context: any, key: string): ProcessFacts {
  const b = context?.getProcessById?.(key)?.behaviour ?? {};
  const ttl =
    b.historyTimeToLive === undefined || b.historyTimeToLive === null || b.historyTimeToLive === ''
      ? null
      : Number(b.historyTimeToLive);
  return {
    versionTag: typeof b.versionTag === 'string' && b.versionTag ? b.versionTag : null,
    historyTimeToLive: ttl !== null && Number.isInteger(ttl) && ttl >= 0 ? ttl : null,
    startableInTasklist: b.isStartableInTasklist !== false && b.isStartableInTasklist !== 'false',
  };
}

function fieldsOf(behaviour: any): FormField[] | null {
  const values: any[] = behaviour?.extensionElements?.values ?? [];
  const data = values.find((v) => v?.$type === 'camunda:FormData');
  if (!data) return null;
  return (data.fields ?? [])
    .filter((f: any) => typeof f?.id === 'string' && f.id)
    .map((f: any) => ({
      id: f.id,
      label: f.label ?? null,
      type: String(f.type ?? 'string'),
      defaultValue: f.defaultValue ?? null,
      datePattern: typeof f.datePattern === 'string' && f.datePattern ? f.datePattern : null,
      constraints: (f.validation?.constraints ?? [])
        .filter((c: any) => typeof c?.name === 'string')
        .map((c: any) => ({
          name: c.name,
          config: c.config === undefined || c.config === null ? null : String(c.config),
        })),
    }));
}

/** The generated form (`camunda:formData`) of a user task; null when it has none. */
export function taskFormFields(context: any, activityId: string): FormField[] | null {
  return fieldsOf(context?.getActivityById?.(activityId)?.behaviour);
}

/** The generated form of the process's plain start event; null when it has none. */
export function startFormFields(context: any, key: string): FormField[] | null {
  const flow: any[] = context?.getProcessById?.(key)?.behaviour?.flowElements ?? [];
  const start = flow.find((e) => e?.$type === 'bpmn:StartEvent' && !(e.eventDefinitions ?? []).length);
  return start ? fieldsOf(start) : null;
}

/**
 * A form field's type as Camunda's variable type (`long` → Long, `enum` → String…). A `date` field's form value
 * is its text in the field's pattern (10/01/2013), a String, as Camunda's form service gives it.
 */
export function formFieldType(type: string): string {
  switch (type.toLowerCase()) {
    case 'long':
      return 'Long';
    case 'boolean':
      return 'Boolean';
    default:
      return 'String';
  }
}

/**
 * A form field's default as a typed value. A default with an expression (`${reviewer}`) is evaluated against
 * the variables in `scope`, as Camunda does. A default that does not fit the field's type is shown as text.
 */
export function defaultValue(field: FormField, scope: JuelScope): TypedValue {
  const type = formFieldType(field.type);
  const text = field.defaultValue;
  if (text === null) return { type, value: null, valueInfo: {} };
  let raw: unknown = text;
  if (hasExpression(text)) {
    try {
      raw = evaluateText(text, scope);
    } catch (err) {
      if (err instanceof JuelError)
        throw invalidRequest(`表单字段 ${field.id} 的默认值 ${text} 无法求值：${err.message}`);
      throw err;
    }
    if (raw === null || raw === undefined) return { type, value: null, valueInfo: {} };
  }
  try {
    return { type, value: fromTypedValue(field.id, { value: raw, type }), valueInfo: {} };
  } catch {
    return { type: 'String', value: typeof raw === 'string' ? raw : JSON.stringify(raw), valueInfo: {} };
  }
}
