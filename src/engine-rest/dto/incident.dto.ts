import { IsOptional, IsString } from 'class-validator';
import { SortedQuery, TenantQuery } from './transforms.js';

export class IncidentQuery extends TenantQuery {
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
  processDefinitionId?: string;

  @IsOptional()
  @IsString()
  processInstanceId?: string;

  @IsOptional()
  @IsString()
  activityId?: string;

  @IsOptional()
  @IsString()
  failedActivityId?: string;

  @IsOptional()
  @IsString()
  configuration?: string;
}
