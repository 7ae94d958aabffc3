import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

/** An identity link of a task: a user or a group, as assignee, owner or candidate. */
export class IdentityLinkDto {
  @ValidateIf((o) => o.userId !== undefined && o.userId !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  userId?: string | null;

  @ValidateIf((o) => o.groupId !== undefined && o.groupId !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  groupId?: string | null;

  @IsIn(['assignee', 'owner', 'candidate'])
  type: 'assignee' | 'owner' | 'candidate';
}

/** `GET /task/{id}/identity-links?type=…`: only the links of that type. */
export class IdentityLinkQuery {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  type?: string;
}

export class DelegateDto {
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  userId: string;
}

export class ResolveDto {
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

/** Camunda keeps a comment's full text up to 4000 characters. */
export class CreateCommentDto {
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  message: string;

  @IsOptional()
  @IsString()
  processInstanceId?: string;
}
