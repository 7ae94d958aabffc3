/**
 * Variables set or removed from outside a step (an API that writes variables), and the type tags callers give
 * them. The engine stores plain JSON values; a tag (Camunda's `Long`, `Date`, `Object` with its objectTypeName…)
 * rides beside a value only while the value is the one the caller gave.
 */
export interface VariableType {
  type: string;
  valueInfo?: Record<string, unknown>;
}

export type VariableTypes = Record<string, VariableType>;

export interface VariableChanges {
  set?: Record<string, unknown>;
  remove?: string[];
  types?: VariableTypes;
}

const has = (o: object | null | undefined, k: string) => !!o && Object.prototype.hasOwnProperty.call(o, k);

/** JSON with object keys sorted: jsonb reorders keys, so plain JSON text cannot tell a changed value. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/**
 * The type tags after a step: those given now (for variables that still exist), and earlier ones whose value the
 * step left as it was. A value the process changed itself loses its tag (its type is read from the value again).
 */
export function nextVariableTypes(
  previous: VariableTypes | null | undefined,
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown>,
  given: VariableTypes | null | undefined,
): VariableTypes {
  const out: VariableTypes = {};
  for (const [name, t] of Object.entries(previous ?? {})) {
    if (!has(after, name) || has(given, name) || !has(before, name)) continue;
    if (canonicalJson(before?.[name]) !== canonicalJson(after[name])) continue;
    out[name] = t;
  }
  for (const [name, t] of Object.entries(given ?? {})) if (has(after, name)) out[name] = t;
  return out;
}

/**
 * A stored engine state with variables set and removed in the scopes the process reads them from (the
 * definition's and each running process's environment), before it is recovered.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withVariables(state: any, set: Record<string, unknown>, remove: readonly string[]): any {
  if (!state) return state;
  const copy = JSON.parse(JSON.stringify(state));
  const envs: { variables?: Record<string, unknown> }[] = [];
  for (const def of copy.definitions ?? []) {
    if (def.environment) envs.push(def.environment);
    for (const proc of def.execution?.processes ?? []) if (proc.environment) envs.push(proc.environment);
  }
  for (const env of envs) {
    env.variables ??= {};
    for (const name of remove) delete env.variables[name];
    Object.assign(env.variables, JSON.parse(JSON.stringify(set)));
  }
  return copy;
}
