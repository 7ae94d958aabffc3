import { invalidRequest } from './camunda-error.js';

/** A date as Camunda 7 writes it: `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, in UTC, e.g. 2026-03-02T08:00:00.000+0000. */
export function camundaDate(value: Date | string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const d = value instanceof Date ? value : new Date(value);
  if (isNaN(d.getTime())) return null;
  return d.toISOString().replace(/Z$/, '+0000');
}

/**
 * A date parameter in Camunda's format (`2026-03-02T08:00:00.000+0000`) or ISO 8601. A `+` a client forgot to
 * encode in a query string arrives as a space and is read back as `+`.
 */
export function parseCamundaDate(value: string, name: string): Date {
  const text = value.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const t = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (isNaN(t))
    throw invalidRequest(
      `Cannot set query parameter '${name}' to value '${value}': not a date (expected yyyy-MM-dd'T'HH:mm:ss.SSSZ)`,
    );
  return new Date(t);
}

export function optionalDate(value: string | undefined, name: string): Date | undefined {
  return value === undefined ? undefined : parseCamundaDate(value, name);
}

/** bpmn-moddle's type as Camunda's activityType: 'bpmn:UserTask' → 'userTask'. */
export function activityType(type: string): string {
  const local = type.includes(':') ? type.slice(type.indexOf(':') + 1) : type;
  return local.charAt(0).toLowerCase() + local.slice(1);
}

export function ms(from: Date | string | null, to: Date | string | null): number | null {
  if (!from || !to) return null;
  return new Date(to).getTime() - new Date(from).getTime();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}
