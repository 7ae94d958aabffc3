/* The parsed definition's Camunda attributes, read from its serialized moddle context (bpmn-elements' shape). */
/* eslint-disable @typescript-eslint/no-explicit-any */
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

/** A form field's type as Camunda's variable type (`long` → Long, `enum` → String…). */
export function formFieldType(type: string): string {
  switch (type.toLowerCase()) {
    case 'long':
      return 'Long';
    case 'boolean':
      return 'Boolean';
    case 'date':
      return 'Date';
    default:
      return 'String';
  }
}

/** A form field's default as a typed value; a default that does not fit the field's type is shown as text. */
export function defaultValue(name: string, type: string, text: string | null): TypedValue {
  if (text === null) return { type, value: null, valueInfo: {} };
  try {
    const value = fromTypedValue(name, { value: text, type });
    return { type, value: type === 'Date' ? text : value, valueInfo: {} };
  } catch {
    return { type: 'String', value: text, valueInfo: {} };
  }
}
