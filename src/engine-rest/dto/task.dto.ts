import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ToBool, ToInt, ToList } from './transforms.js';

/** The filters of Camunda's task query, shared by `GET /task` (query string) and `POST /task` (body). */
export class TaskFilter {
  @IsOptional()
  @IsString()
  taskId?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  taskIdIn?: string[];

  @IsOptional()
  @IsString()
  processInstanceId?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  processInstanceIdIn?: string[];

  @IsOptional()
  @IsString()
  processInstanceBusinessKey?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  processInstanceBusinessKeyIn?: string[];

  @IsOptional()
  @IsString()
  processInstanceBusinessKeyLike?: string;

  @IsOptional()
  @IsString()
  processDefinitionKey?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  processDefinitionKeyIn?: string[];

  @IsOptional()
  @IsString()
  processDefinitionId?: string;

  @IsOptional()
  @IsString()
  executionId?: string;

  @IsOptional()
  @IsString()
  assignee?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  assigneeIn?: string[];

  @IsOptional()
  @IsString()
  assigneeLike?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  assigned?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  unassigned?: boolean;

  @IsOptional()
  @IsString()
  candidateGroup?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  candidateGroups?: string[];

  @IsOptional()
  @IsString()
  candidateUser?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  includeAssignedTasks?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withCandidateGroups?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withoutCandidateGroups?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withCandidateUsers?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withoutCandidateUsers?: boolean;

  @IsOptional()
  @IsString()
  taskDefinitionKey?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  taskDefinitionKeyIn?: string[];

  @IsOptional()
  @IsString()
  taskDefinitionKeyLike?: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  nameLike?: string;

  @IsOptional()
  @IsString()
  description?: string;

  @IsOptional()
  @IsString()
  descriptionLike?: string;

  @IsOptional()
  @ToInt()
  @IsInt()
  priority?: number;

  @IsOptional()
  @ToInt()
  @IsInt()
  minPriority?: number;

  @IsOptional()
  @ToInt()
  @IsInt()
  maxPriority?: number;

  @IsOptional()
  @IsString()
  dueDate?: string;

  @IsOptional()
  @IsString()
  dueBefore?: string;

  @IsOptional()
  @IsString()
  dueAfter?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withoutDueDate?: boolean;

  @IsOptional()
  @IsString()
  followUpDate?: string;

  @IsOptional()
  @IsString()
  followUpBefore?: string;

  @IsOptional()
  @IsString()
  followUpAfter?: string;

  @IsOptional()
  @IsString()
  createdOn?: string;

  @IsOptional()
  @IsString()
  createdBefore?: string;

  @IsOptional()
  @IsString()
  createdAfter?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  suspended?: boolean;

  /** Tasks the user is assignee, owner or a candidate user of. */
  @IsOptional()
  @IsString()
  involvedUser?: string;

  @IsOptional()
  @IsString()
  owner?: string;

  @IsOptional()
  @IsIn(['PENDING', 'RESOLVED'])
  delegationState?: 'PENDING' | 'RESOLVED';

  /** Camunda's variable filter: `name_operator_value[,…]` in a query string, `[{name, operator, value}]` in a body. */
  @IsOptional()
  @Allow()
  processVariables?: unknown;

  /** Camunda's variable filter: `name_operator_value[,…]` in a query string, `[{name, operator, value}]` in a body. */
  @IsOptional()
  @Allow()
  taskVariables?: unknown;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variableNamesIgnoreCase?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variableValuesIgnoreCase?: boolean;

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

/** `GET /task`: the filters, sorting and paging in the query string. */
export class TaskQuery extends TaskFilter {
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

  @IsOptional()
  @IsString()
  sortBy?: string;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sortOrder?: 'asc' | 'desc';
}

export class SortingDto {
  @IsString()
  sortBy: string;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sortOrder?: 'asc' | 'desc';
}

/** `POST /task`: the filters and `sorting` in the body; paging stays in the query string. */
export class TaskQueryBody extends TaskFilter {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SortingDto)
  sorting?: SortingDto[];
}

export class ClaimDto {
  @IsString()
  @MaxLength(255)
  userId: string;
}

export class AssigneeDto {
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(255)
  userId: string | null;
}

export class CompleteTaskDto {
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withVariablesInReturn?: boolean;
}
