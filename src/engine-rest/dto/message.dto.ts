import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { ToBool } from './transforms.js';

export class CorrelateMessageDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  messageName: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  businessKey?: string;

  @IsOptional()
  @IsString()
  processInstanceId?: string;

  @IsOptional()
  @IsString()
  tenantId?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withoutTenantId?: boolean;

  @IsOptional()
  @IsObject()
  correlationKeys?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  localCorrelationKeys?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  processVariables?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  processVariablesLocal?: Record<string, unknown>;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  all?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  resultEnabled?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  variablesInResultEnabled?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  startMessagesOnly?: boolean;
}

export class SignalDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  @IsOptional()
  @IsString()
  executionId?: string;

  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  tenantId?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  withoutTenantId?: boolean;
}
