import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ACTION_TYPES, type ActionType } from '../actions/actions.repository.js';

export class ListActionsQuery {
  @ApiPropertyOptional({ description: 'problem id or code' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  problemId?: string;

  @ApiPropertyOptional({ description: 'unit code the action is addressed to' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;

  @ApiPropertyOptional({
    description:
      'unit code: actions addressed to it or a unit below it (an office of a lower level always gets its own subtree)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  within?: string;

  @ApiPropertyOptional({
    example: 'leader1',
    description:
      '责任领导: actions on the problems whose responsible leader is this account (the notices the leader is copied on)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  leader?: string;

  @ApiPropertyOptional({ enum: ACTION_TYPES })
  @IsOptional()
  @IsIn(ACTION_TYPES)
  type?: ActionType;

  @ApiPropertyOptional({ description: 'issued on or after this China date (YYYY-MM-DD)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '应为日期（YYYY-MM-DD）' })
  from?: string;

  @ApiPropertyOptional({ description: 'issued on or before this China date (YYYY-MM-DD)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '应为日期（YYYY-MM-DD）' })
  to?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}
