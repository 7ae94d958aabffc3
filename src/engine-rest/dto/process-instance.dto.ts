import { IsArray, IsBoolean, IsOptional, IsString } from 'class-validator';
import { SortedQuery, ToBool, ToList } from './transforms.js';

export class ProcessInstanceQuery extends SortedQuery {
  @IsOptional() @ToList() @IsArray() @IsString({ each: true })
  processInstanceIds?: string[];

  @IsOptional() @IsString()
  businessKey?: string;

  @IsOptional() @IsString()
  businessKeyLike?: string;

  @IsOptional() @IsString()
  processDefinitionKey?: string;

  @IsOptional() @ToList() @IsArray() @IsString({ each: true })
  processDefinitionKeyIn?: string[];

  @IsOptional() @IsString()
  processDefinitionId?: string;

  @IsOptional() @IsString()
  deploymentId?: string;

  @IsOptional() @IsString()
  superProcessInstance?: string;

  @IsOptional() @IsString()
  subProcessInstance?: string;

  @IsOptional() @ToBool() @IsBoolean()
  active?: boolean;

  @IsOptional() @ToBool() @IsBoolean()
  suspended?: boolean;

  /** Not Camunda: also lists ended instances (`completed=true`), which the runtime API otherwise hides. */
  @IsOptional() @ToBool() @IsBoolean()
  completed?: boolean;

  @IsOptional() @ToBool() @IsBoolean()
  withIncident?: boolean;

  @IsOptional() @IsString()
  incidentType?: string;
}

export class VariablesQuery {
  @IsOptional() @ToBool() @IsBoolean()
  deserializeValues?: boolean;
}

export class DeleteInstanceQuery {
  @IsOptional() @ToBool() @IsBoolean()
  skipCustomListeners?: boolean;

  @IsOptional() @ToBool() @IsBoolean()
  skipIoMappings?: boolean;

  @IsOptional() @ToBool() @IsBoolean()
  skipSubprocesses?: boolean;

  @IsOptional() @ToBool() @IsBoolean()
  failIfNotExists?: boolean;
}
