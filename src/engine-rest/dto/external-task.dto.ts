import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SortedQuery, TenantQuery, ToBool, ToInt, ToList } from './transforms.js';

/** Camunda caps the long-polling timeout at 30 minutes. */
export const MAX_ASYNC_RESPONSE_TIMEOUT = 1_800_000;

export class FetchTopicDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  topicName: string;

  @IsInt()
  @Min(1)
  lockDuration: number;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  variables?: string[] | null;

  @IsOptional()
  @IsBoolean()
  localVariables?: boolean;

  @IsOptional()
  @IsString()
  businessKey?: string;

  @IsOptional()
  @IsString()
  processDefinitionId?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  processDefinitionIdIn?: string[];

  @IsOptional()
  @IsString()
  processDefinitionKey?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  processDefinitionKeyIn?: string[];

  @IsOptional()
  @IsObject()
  processVariables?: Record<string, unknown>;

  @IsOptional()
  @IsBoolean()
  deserializeValues?: boolean;

  @IsOptional()
  @IsBoolean()
  includeExtensionProperties?: boolean;

  @IsOptional()
  @IsBoolean()
  withoutTenantId?: boolean;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tenantIdIn?: string[];
}

export class FetchSortingDto {
  @IsIn(['createTime'])
  sortBy: string;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sortOrder?: 'asc' | 'desc';
}

export class FetchAndLockDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  workerId: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  maxTasks?: number;

  @IsOptional()
  @IsBoolean()
  usePriority?: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ASYNC_RESPONSE_TIMEOUT)
  asyncResponseTimeout?: number;

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FetchTopicDto)
  topics: FetchTopicDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FetchSortingDto)
  sorting?: FetchSortingDto[];
}

export class CompleteExternalTaskDto {
  @IsString()
  @IsNotEmpty()
  workerId: string;

  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  localVariables?: Record<string, unknown>;
}

export class ExternalTaskFailureDto {
  @IsString()
  @IsNotEmpty()
  workerId: string;

  @IsOptional()
  @IsString()
  errorMessage?: string;

  @IsOptional()
  @IsString()
  errorDetails?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  retries?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  retryTimeout?: number;

  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  localVariables?: Record<string, unknown>;
}

export class ExternalTaskBpmnErrorDto {
  @IsString()
  @IsNotEmpty()
  workerId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  errorCode: string;

  @IsOptional()
  @IsString()
  errorMessage?: string;

  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class ExtendLockDto {
  @IsString()
  @IsNotEmpty()
  workerId: string;

  @IsInt()
  @Min(1)
  newDuration: number;
}

export class LockDto {
  @IsString()
  @IsNotEmpty()
  workerId: string;

  @IsInt()
  @Min(1)
  lockDuration: number;
}

export class ExternalTaskRetriesDto {
  @IsInt()
  @Min(0)
  retries: number;
}

/** `GET /external-task/topic-names`: the topics of the tasks that are locked, unlocked or have retries left. */
export class TopicNamesQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean()
  withLockedTasks?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withUnlockedTasks?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withRetriesLeft?: boolean;
}

export class ExternalTaskQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  externalTaskId?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  externalTaskIdIn?: string[];

  @IsOptional()
  @IsString()
  topicName?: string;

  @IsOptional()
  @IsString()
  workerId?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  locked?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  notLocked?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withRetriesLeft?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  noRetriesLeft?: boolean;

  @IsOptional()
  @IsString()
  activityId?: string;

  @IsOptional()
  @IsString()
  executionId?: string;

  @IsOptional()
  @IsString()
  processInstanceId?: string;

  @IsOptional()
  @IsString()
  processDefinitionId?: string;

  @IsOptional()
  @ToInt()
  @IsInt()
  priorityHigherThanOrEquals?: number;

  @IsOptional()
  @ToInt()
  @IsInt()
  priorityLowerThanOrEquals?: number;
}
