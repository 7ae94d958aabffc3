import { IsBoolean, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { SortedQuery, TenantQuery, ToBool, ToInt } from './transforms.js';

export class JobQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  jobId?: string;

  @IsOptional()
  @IsString()
  jobDefinitionId?: string;

  @IsOptional()
  @IsString()
  processInstanceId?: string;

  @IsOptional()
  @IsString()
  executionId?: string;

  @IsOptional()
  @IsString()
  processDefinitionId?: string;

  @IsOptional()
  @IsString()
  processDefinitionKey?: string;

  @IsOptional()
  @IsString()
  activityId?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withRetriesLeft?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  executable?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  timers?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  messages?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withException?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  noRetriesLeft?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  suspended?: boolean;

  /** Camunda's `dueDates=gt_2026-03-02T08:00:00.000+0000,lt_…`. */
  @IsOptional()
  @IsString()
  dueDates?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  includeJobsWithoutTenantId?: boolean;
}

export class RetriesDto {
  @ToInt()
  @IsInt()
  @Min(0)
  retries: number;
}
