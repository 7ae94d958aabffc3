import { invalidRequest } from './camunda-error.js';
import { isUuid } from './format.js';

/** Builds a WHERE clause with numbered parameters; a filter left undefined adds nothing. */
export class SqlFilter {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds `sql($n)` when `value` is given. */
  when<T>(value: T | undefined | null, sql: (p: string) => string): this {
    if (value !== undefined && value !== null) this.conditions.push(sql(this.param(value)));
    return this;
  }

  /** Like `when` for a uuid column: a value that is no uuid matches nothing (rather than failing the cast). */
  uuid(value: string | undefined | null, sql: (p: string) => string): this {
    if (value === undefined || value === null) return this;
    if (!isUuid(value)) return this.flag(true, 'FALSE');
    return this.when(value, sql);
  }

  /** A list of uuids, for `= ANY(p::uuid[])`; values that are no uuid are dropped. */
  uuids(values: string[] | undefined | null, sql: (p: string) => string): this {
    if (values === undefined || values === null) return this;
    const ok = values.filter(isUuid);
    if (!ok.length) return this.flag(true, 'FALSE');
    return this.when(ok, sql);
  }

  /**
   * Camunda's tenant filters where no row has a tenant: `tenantIdIn` matches nothing unless rows without a
   * tenant are included; both it and `withoutTenantId` together are refused, as Camunda does.
   */
  tenants(q: { tenantIdIn?: string[]; withoutTenantId?: boolean }, includeWithoutTenant = false): this {
    if (q.tenantIdIn?.length && q.withoutTenantId)
      throw invalidRequest('Invalid query usage: cannot set both tenantIdIn and withoutTenantId filters');
    return this.flag(!!q.tenantIdIn?.length && !includeWithoutTenant, 'FALSE');
  }

  /** Adds a condition without a parameter when `on` is true. */
  flag(on: boolean | undefined, sql: string): this {
    if (on) this.conditions.push(sql);
    return this;
  }

  where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  page(firstResult?: number, maxResults?: number): string {
    let out = '';
    if (maxResults !== undefined) out += ` LIMIT ${this.param(maxResults)}`;
    if (firstResult) out += ` OFFSET ${this.param(firstResult)}`;
    return out;
  }
}

/** ORDER BY for a Camunda `sortBy`/`sortOrder` pair; an unknown sortBy is a 400 naming it. */
export function orderBy(
  sortBy: string | undefined,
  sortOrder: 'asc' | 'desc' | undefined,
  columns: Record<string, string>,
  fallback: string,
  tieBreak: string,
): string {
  if (!sortBy) return `ORDER BY ${fallback}, ${tieBreak}`;
  const column = Object.prototype.hasOwnProperty.call(columns, sortBy) ? columns[sortBy] : undefined;
  if (!column)
    throw invalidRequest(
      `Cannot set query parameter 'sortBy' to value '${sortBy}'; allowed: ${Object.keys(columns).join(', ')}`,
    );
  return `ORDER BY ${column} ${sortOrder === 'desc' ? 'DESC' : 'ASC'}, ${tieBreak}`;
}

/** `sorting: [{sortBy, sortOrder}]` of Camunda's POST queries. */
export function orderByList(
  sorting: { sortBy?: string; sortOrder?: string }[] | undefined,
  columns: Record<string, string>,
  fallback: string,
  tieBreak: string,
): string {
  if (!sorting?.length) return `ORDER BY ${fallback}, ${tieBreak}`;
  const parts = sorting.map((s) => {
    const column = s.sortBy && Object.prototype.hasOwnProperty.call(columns, s.sortBy) ? columns[s.sortBy] : undefined;
    if (!column)
      throw invalidRequest(
        `Cannot set query parameter 'sortBy' to value '${s.sortBy}'; allowed: ${Object.keys(columns).join(', ')}`,
      );
    if (s.sortOrder !== undefined && s.sortOrder !== 'asc' && s.sortOrder !== 'desc')
      throw invalidRequest(`Cannot set query parameter 'sortOrder' to value '${s.sortOrder}'`);
    return `${column} ${s.sortOrder === 'desc' ? 'DESC' : 'ASC'}`;
  });
  return `ORDER BY ${parts.join(', ')}, ${tieBreak}`;
}
