import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

const bool = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);
const int = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class InboxQueryDto {
  @IsOptional() @Transform(bool) @IsBoolean() overdue?: boolean;
  /** Due within this many days from now (overdue ones included). */
  @IsOptional() @Transform(int) @IsInt() @Min(0) @Max(3650) dueWithin?: number;
  /** Process key, e.g. rectification. */
  @IsOptional() @IsString() @Length(1, 100) process?: string;
  /** Problem code. */
  @IsOptional() @IsString() @Length(1, 100) problem?: string;
  /** For the office: a unit's tasks. */
  @IsOptional() @IsString() @Length(1, 40) unit?: string;
  @IsOptional() @IsIn(['due', '-due', 'created', '-created', 'priority']) sort?: string;
  @IsOptional() @Transform(int) @IsInt() @Min(1) page?: number;
  @IsOptional() @Transform(int) @IsInt() @Min(1) @Max(200) pageSize?: number;
}
