import { Type } from 'class-transformer';
import { Allow, IsArray, IsBoolean, IsOptional, IsString, ValidateNested } from 'class-validator';
import { SortingDto } from './task.dto.js';
import { SortedQuery, TenantQuery, ToBool, ToList } from './transforms.js';

export class ProcessInstanceQuery extends TenantQuery {
  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  processInstanceIds?: string[];

  @IsOptional()
  @IsString()
  businessKey?: string;

  @IsOptional()
  @IsString()
  businessKeyLike?: string;

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
  deploymentId?: string;

  @IsOptional()
  @IsString()
  superProcessInstance?: string;

  @IsOptional()
  @IsString()
  subProcessInstance?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  suspended?: boolean;

  /** Not Camunda: also lists ended instances (`completed=true`), which the runtime API otherwise hides. */
  @IsOptional()
  @ToBool()
  @IsBoolean()
  completed?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withIncident?: boolean;

  @IsOptional()
  @IsString()
  incidentType?: string;

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

/** `POST /process-instance`: the filters and `sorting` in the body; paging stays in the query string. */
export class ProcessInstanceQueryBody extends ProcessInstanceQuery {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SortingDto)
  sorting?: SortingDto[];
}

export class VariablesQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean()
  deserializeValues?: boolean;
}

export class DeleteInstanceQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean()
  skipCustomListeners?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  skipIoMappings?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  skipSubprocesses?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  failIfNotExists?: boolean;
}
