import { OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsBoolean, IsOptional, IsString, ValidateNested } from 'class-validator';
import { SortingDto } from './task.dto.js';
import { PagingQuery, TenantQuery, ToBool, ToList } from './transforms.js';

export class HistoricVariableInstanceQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  variableName?: string;

  @IsOptional()
  @IsString()
  variableNameLike?: string;

  @IsOptional()
  @IsString()
  variableValue?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variableNamesIgnoreCase?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variableValuesIgnoreCase?: boolean;

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
  processDefinitionId?: string;

  @IsOptional()
  @IsString()
  processDefinitionKey?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  executionIdIn?: string[];

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  activityInstanceIdIn?: string[];

  @IsOptional()
  @ToBool()
  @IsBoolean()
  deserializeValues?: boolean;
}

export class HistoricTaskQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  taskId?: string;

  @IsOptional()
  @IsString()
  processInstanceId?: string;

  @IsOptional()
  @IsString()
  processInstanceBusinessKey?: string;

  @IsOptional()
  @IsString()
  processDefinitionId?: string;

  @IsOptional()
  @IsString()
  processDefinitionKey?: string;

  @IsOptional()
  @IsString()
  executionId?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  activityInstanceIdIn?: string[];

  @IsOptional()
  @IsString()
  taskName?: string;

  @IsOptional()
  @IsString()
  taskNameLike?: string;

  @IsOptional()
  @IsString()
  taskDefinitionKey?: string;

  @IsOptional()
  @IsString()
  taskAssignee?: string;

  @IsOptional()
  @IsString()
  taskAssigneeLike?: string;

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
  assigned?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  unassigned?: boolean;

  /** Camunda's variable filter over the task's process variables. */
  @IsOptional()
  @Allow()
  processVariables?: unknown;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variableNamesIgnoreCase?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variableValuesIgnoreCase?: boolean;
}

export class HistoricIncidentQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  incidentId?: string;

  @IsOptional()
  @IsString()
  incidentType?: string;

  @IsOptional()
  @IsString()
  incidentMessage?: string;

  @IsOptional()
  @IsString()
  incidentMessageLike?: string;

  @IsOptional()
  @IsString()
  processInstanceId?: string;

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
  open?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  resolved?: boolean;
}

/** Paging and sorting stay out of a `POST` query's body: paging in the query string, sorting as `sorting`. */
const QUERY_ONLY = ['firstResult', 'maxResults', 'sortBy', 'sortOrder'] as const;

/** `POST /history/variable-instance`: the filters in the body, `deserializeValues` and paging in the query. */
export class HistoricVariableInstanceQueryBody extends OmitType(HistoricVariableInstanceQuery, [
  ...QUERY_ONLY,
  'deserializeValues',
] as const) {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SortingDto)
  sorting?: SortingDto[];
}

export class HistoricVariableInstancePaging extends PagingQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean()
  deserializeValues?: boolean;
}

/** `POST /history/task`: the filters in the body (`processVariables` as `[{name, operator, value}]`). */
export class HistoricTaskQueryBody extends OmitType(HistoricTaskQuery, QUERY_ONLY) {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SortingDto)
  sorting?: SortingDto[];
}
