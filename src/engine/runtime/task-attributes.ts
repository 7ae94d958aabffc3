import { isEngineLookup, resolveJuel } from './expressions.js';
import type { JuelScope } from './juel.js';
import type { TimerLiteralResolver } from './step-context.js';

/** A waiting user task as the service stores it, with its Camunda attributes resolved once, on arrival. */
export interface DerivedTask {
  activityId: string;
  executionId: string;
  name: string | null;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  dueAt: number | null;
  dueSpec: string | null;
  followUpAt: number | null;
  priority: number;
  formKey: string | null;
  documentation: string | null;
  properties: Record<string, string>;
  input: Record<string, unknown>;
}

/** Task attributes Camunda evaluates as expressions (resolved once, when the task arrives). */
export const TASK_EXPRESSION_ATTRIBUTES = [
  'name',
  'assignee',
  'candidateUsers',
  'candidateGroups',
  'dueDate',
  'followUpDate',
  'priority',
  'formKey',
] as const;

const EXPR = /\$\{([^}]+)\}/g;

/** Resolve `${…}` lookups against variables and the multi-instance item; nothing is evaluated as code. */
export function resolveTemplate(value: unknown, scope: Record<string, unknown>, juel?: JuelScope): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value);
  if (juel && /[$#]\{/.test(text) && !isEngineLookup(text)) {
    const v = resolveJuel(text, juel);
    return v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  const whole = /^\$\{([^}]+)\}$/.exec(text.trim());
  if (whole) {
    const v = lookup(scope, whole[1].trim());
    return v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return text.replace(EXPR, (_, path: string) => {
    const v = lookup(scope, path.trim());
    return v === undefined || v === null ? '' : String(v);
  });
}

function lookup(scope: Record<string, unknown>, path: string): unknown {
  const normalized = path.replace(/\[(\w+)\]/g, '.$1');
  const parts = normalized.split('.');
  // Both `${environment.variables.x}` (bpmn-engine) and `${x}` (Camunda) address a variable.
  if (parts[0] === 'environment' && parts[1] === 'variables') parts.splice(0, 2);
  else if (parts[0] === 'variables') parts.splice(0, 1);
  let cur: unknown = scope;
  for (const p of parts) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function list(value: string | null): string[] {
  if (!value) return [];
  let items: unknown = value;
  if (value.startsWith('[')) {
    try {
      items = JSON.parse(value);
    } catch {
      items = value;
    }
  }
  const arr = Array.isArray(items) ? items.map(String) : String(items).split(/[,，、]/);
  return arr.map((s) => s.trim()).filter(Boolean);
}

export function parseDate(value: string | null, now: number, timerLiteral: TimerLiteralResolver | null): number | null {
  if (!value) return null;
  const literal = timerLiteral?.(value, now);
  if (literal) return literal.expireAt;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T23:59:59+08:00`);
  const t = Date.parse(value);
  if (!isNaN(t)) return t;
  throw new Error(`"${value}" is not a date`);
}

export function deriveTask(
  api: any,
  variables: Record<string, unknown>,
  now: number,
  timerLiteral: TimerLiteralResolver | null,
): DerivedTask {
  const b = api.owner?.behaviour ?? {};
  const content = api.content ?? {};
  const loop = b.loopCharacteristics?.behaviour ?? b.loopCharacteristics ?? {};
  const elementVariable: string | undefined = loop.elementVariable;
  const item = elementVariable ? content[elementVariable] : content.item;
  const scope: Record<string, unknown> = { ...variables, content, item, loopCounter: content.index };
  if (elementVariable) scope[elementVariable] = item;
  const local: Record<string, unknown> = {};
  if (content.isMultiInstance && content.index !== undefined) {
    local.loopCounter = content.index;
    if (content.loopCardinality !== undefined) local.nrOfInstances = content.loopCardinality;
    if (elementVariable) local[elementVariable] = item;
  }
  const juel: JuelScope = {
    variables,
    local,
    now: () => now,
    execution: { activityId: api.id, executionId: api.executionId },
  };
  const resolve = (v: unknown) => resolveTemplate(v, scope, juel);
  const props: Record<string, string> = {};
  for (const ext of b.extensionElements?.values ?? []) {
    if (ext.$type === 'camunda:Properties')
      for (const p of ext.values ?? []) if (p.name) props[p.name] = resolve(p.value) ?? '';
  }
  const dueSpec = resolve(b.dueDate);
  const priority = Number(resolve(b.priority) ?? 50);
  const input = content.input && typeof content.input === 'object' ? content.input : {};
  return {
    activityId: api.id,
    executionId: api.executionId,
    name: resolve(api.name ?? b.name ?? null),
    assignee: resolve(b.assignee),
    candidateUsers: list(resolve(b.candidateUsers)),
    candidateGroups: list(resolve(b.candidateGroups)),
    dueAt: parseDate(dueSpec, now, timerLiteral),
    dueSpec,
    followUpAt: parseDate(resolve(b.followUpDate), now, timerLiteral),
    priority: Number.isFinite(priority) ? priority : 50,
    formKey: resolve(b.formKey),
    documentation:
      (b.documentation ?? [])
        .map((d: any) => d.text)
        .filter(Boolean)
        .join('\n') || null,
    properties: props,
    input: { ...(item !== undefined ? { [elementVariable ?? 'item']: item } : {}), ...local, ...input },
  };
}
