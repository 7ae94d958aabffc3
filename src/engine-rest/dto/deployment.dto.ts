import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { SortedQuery, TenantQuery, ToBool } from './transforms.js';

/** The text parts of `POST /deployment/create`, as Camunda Modeler sends them. */
export class CreateDeploymentDto {
  @IsOptional()
  @IsString()
  @MaxLength(255)
  'deployment-name'?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  'deployment-source'?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  'deploy-changed-only'?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  'enable-duplicate-filtering'?: boolean;

  @IsOptional()
  @IsString()
  'tenant-id'?: string;

  @IsOptional()
  @IsString()
  'deployment-activation-time'?: string;
}

export class DeploymentQuery extends TenantQuery {
  @IsOptional()
  @IsString()
  id?: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  nameLike?: string;

  @IsOptional()
  @IsString()
  source?: string;

  @IsOptional()
  @IsString()
  before?: string;

  @IsOptional()
  @IsString()
  after?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  includeDeploymentsWithoutTenantId?: boolean;
}

export class DeleteDeploymentQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean()
  cascade?: boolean;

  /** Accepted as Camunda clients send them: this engine runs no listeners or I/O mappings on deletion anyway. */
  @IsOptional()
  @ToBool()
  @IsBoolean()
  skipCustomListeners?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  skipIoMappings?: boolean;
}
