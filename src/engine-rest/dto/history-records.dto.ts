import { Allow, IsArray, IsBoolean, IsOptional, IsString } from 'class-validator';
import { TenantQuery, ToBool, ToList } from './transforms.js';

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
