import { IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { SortedQuery, TenantQuery, ToBool, ToInt, ToList } from './transforms.js';

export class ProcessDefinitionQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  processDefinitionId?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  processDefinitionIdIn?: string[];

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  nameLike?: string;

  @IsOptional()
  @IsString()
  deploymentId?: string;

  @IsOptional()
  @IsString()
  key?: string;

  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  keysIn?: string[];

  @IsOptional()
  @IsString()
  keyLike?: string;

  @IsOptional()
  @ToInt()
  @IsInt()
  version?: number;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  latestVersion?: boolean;

  @IsOptional()
  @IsString()
  resourceName?: string;

  @IsOptional()
  @IsString()
  resourceNameLike?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  suspended?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  includeProcessDefinitionsWithoutTenantId?: boolean;
}

export class StatisticsQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean()
  failedJobs?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  incidents?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  rootIncidents?: boolean;

  @IsOptional()
  @IsString()
  incidentsForType?: string;
}

export class StartProcessInstanceDto {
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  businessKey?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withVariablesInReturn?: boolean;

  @IsOptional()
  @IsArray()
  startInstructions?: unknown[];

  @IsOptional()
  @IsString()
  caseInstanceId?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  skipCustomListeners?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  skipIoMappings?: boolean;
}
