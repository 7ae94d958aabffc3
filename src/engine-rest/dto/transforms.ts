import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Min } from 'class-validator';

type Fn = (o: { value: unknown }) => unknown;

const boolFn: Fn = ({ value }) =>
  value === undefined || value === null || value === ''
    ? undefined
    : value === true || value === 'true'
      ? true
      : value === false || value === 'false'
        ? false
        : value;
const intFn: Fn = ({ value }) =>
  value === undefined || value === null || value === ''
    ? undefined
    : typeof value === 'string' && /^-?\d+$/.test(value)
      ? Number(value)
      : value;
const listFn: Fn = ({ value }) =>
  value === undefined || value === null || value === ''
    ? undefined
    : Array.isArray(value)
      ? value
          .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
          .map((v) => (typeof v === 'string' ? v.trim() : v))
          .filter((v) => v !== '')
      : typeof value === 'string'
        ? value
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : value;

/** 'true'/'false' from a query string, or a JSON boolean. */
export const ToBool = () => Transform(boolFn);
/** A decimal integer from a query string, or a JSON number. */
export const ToInt = () => Transform(intFn);
/** A comma-separated query value, or a JSON array. */
export const ToList = () => Transform(listFn);

/** `firstResult` and `maxResults`, as every Camunda list endpoint takes them. */
export class PagingQuery {
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  firstResult?: number;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  maxResults?: number;
}

export class SortedQuery extends PagingQuery {
  @IsOptional()
  @IsString()
  sortBy?: string;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sortOrder?: 'asc' | 'desc';
}

/**
 * A list query with Camunda's tenant filters. This service has no tenants: every row has none, so
 * `withoutTenantId` keeps all and `tenantIdIn` matches nothing (unless rows without a tenant are asked for too).
 */
export class TenantQuery extends SortedQuery {
  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  tenantIdIn?: string[];

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withoutTenantId?: boolean;
}
