import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

const bool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;
const int = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export const INBOX_VIEWS = ['todo', 'done', 'cc'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export class InboxQueryDto {
  @ApiPropertyOptional({
    enum: INBOX_VIEWS,
    default: 'todo',
    description:
      "待办 (todo): open tasks; 已办 (done): tasks completed by this account (a unit account: by its unit's accounts), newest first, with what was submitted; 抄送 (cc): documents copied to the reader (a unit: supervision actions on problems it shares as 配合单位; everyone: the published 月通报), newest first. done and cc take only page and pageSize.",
  })
  @IsOptional()
  @IsIn(INBOX_VIEWS as unknown as string[])
  view?: InboxView;
  @ApiPropertyOptional({ description: 'only tasks past their due time' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  overdue?: boolean;
  /** Due within this many days from now (overdue ones included). */
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3650,
    description: 'only tasks due within this many days from now (overdue ones included)',
  })
  @IsOptional()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(3650)
  dueWithin?: number;
  /** Process key, e.g. rectification. */
  @ApiPropertyOptional({ example: 'rectification', description: 'only tasks of this process (key)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  process?: string;
  /** Problem code. */
  @ApiPropertyOptional({ example: 'HB-2026-001', description: 'only tasks of this problem (code)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  problem?: string;
  /** For the office: a unit's tasks. */
  @ApiPropertyOptional({
    example: 'HBJ',
    description: "for the office and admin: a unit's tasks instead of their own (ignored for other roles)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  unit?: string;
  @ApiPropertyOptional({
    enum: ['due', '-due', 'created', '-created', 'priority'],
    default: 'due',
    description: 'order: by due time, creation (- for newest first), or priority then due time',
  })
  @IsOptional()
  @IsIn(['due', '-due', 'created', '-created', 'priority'])
  sort?: string;
  @ApiPropertyOptional({ default: 1, minimum: 1, description: 'page number, from 1' })
  @IsOptional()
  @Transform(int)
  @IsInt()
  @Min(1)
  page?: number;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200, description: 'tasks per page' })
  @IsOptional()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}
