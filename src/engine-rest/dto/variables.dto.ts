import { Allow, IsArray, IsBoolean, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { ToBool, ToList } from './transforms.js';

/** One typed value, as `PUT …/variables/{name}` takes it. */
export class VariableValueDto {
  @Allow()
  value?: unknown;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;

  @IsOptional()
  @IsObject()
  valueInfo?: Record<string, unknown>;
}

/** `POST …/variables`: variables to set and names to delete, in one step. */
export class VariableModificationsDto {
  @IsOptional()
  @IsObject()
  modifications?: Record<string, unknown>;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  deletions?: string[];
}

/** `deserializeValues` is accepted; Object values always come serialized as JSON text, with their valueInfo. */
export class VariableReadQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean()
  deserializeValues?: boolean;
}

export class FormVariablesQuery extends VariableReadQuery {
  @IsOptional()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  variableNames?: string[];
}
