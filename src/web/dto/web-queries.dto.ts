import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Filters of the review (挂图作战): a unit (lead or responsible) and a category. */
export class ReviewQuery {
  @ApiPropertyOptional({ description: 'unit code: problems it leads or shares' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: '应为单位编码' })
  unit?: string;

  @ApiPropertyOptional({
    description: 'unit code: problems of its subtree (an office of a lower level always gets its own)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: '应为单位编码' })
  within?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  category?: string;
}

export class ReviewProblemsQuery extends ReviewQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;
}

export class PublicProblemsQuery {
  @ApiPropertyOptional({ description: 'search in code and summary' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;
}

/** A page of a list: at most 200 rows. */
export class PageQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

/** Path parameters: a process key and a BPMN activity id (XML NCName-like). */
export const PROCESS_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;
export const ACTIVITY_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,199}$/;

export class ProcessParams {
  @IsString()
  @Matches(PROCESS_KEY, { message: '应为流程编号' })
  processKey: string;
}

export class StepParams extends ProcessParams {
  @IsString()
  @Matches(ACTIVITY_ID, { message: '应为环节编号' })
  activityId: string;
}
