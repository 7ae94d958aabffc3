import { Allow, IsArray, IsBoolean, IsOptional, IsString } from 'class-validator';
import { SortedQuery, TenantQuery, ToBool, ToList } from './transforms.js';

export class HistoricActivityInstanceQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  activityInstanceId?: string;

  @IsOptional()
  @IsString()
  processInstanceId?: string;

  @IsOptional()
  @IsString()
  processDefinitionId?: string;

  @IsOptional()
  @IsString()
  executionId?: string;

  @IsOptional()
  @IsString()
  activityId?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  activityIdIn?: string[];

  @IsOptional()
  @IsString()
  activityName?: string;

  @IsOptional()
  @IsString()
  activityType?: string;

  @IsOptional()
  @IsString()
  taskAssignee?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  finished?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  unfinished?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  canceled?: boolean;

  @IsOptional()
  @IsString()
  startedBefore?: string;

  @IsOptional()
  @IsString()
  startedAfter?: string;

  @IsOptional()
  @IsString()
  finishedBefore?: string;

  @IsOptional()
  @IsString()
  finishedAfter?: string;
}

export class HistoricProcessInstanceQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  processInstanceId?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  processInstanceIds?: string[];

  @IsOptional()
  @IsString()
  processInstanceBusinessKey?: string;

  @IsOptional()
  @IsString()
  processInstanceBusinessKeyLike?: string;

  @IsOptional()
  @IsString()
  processDefinitionId?: string;

  @IsOptional()
  @IsString()
  processDefinitionKey?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  processDefinitionKeyIn?: string[];

  @IsOptional()
  @ToBool()
  @IsBoolean()
  finished?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  unfinished?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withIncidents?: boolean;

  @IsOptional()
  @IsString()
  superProcessInstanceId?: string;

  @IsOptional()
  @IsString()
  startedBefore?: string;

  @IsOptional()
  @IsString()
  startedAfter?: string;

  @IsOptional()
  @IsString()
  finishedBefore?: string;

  @IsOptional()
  @IsString()
  finishedAfter?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  completed?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  externallyTerminated?: boolean;

  /** Camunda's variable filter: `name_operator_value[,…]` in a query string, `[{name, operator, value}]` in a body. */
  @IsOptional()
  @Allow()
  variables?: unknown;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variableNamesIgnoreCase?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variableValuesIgnoreCase?: boolean;
}
