import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../auth-user.js';
import { MIN_PASSWORD } from './create-account.dto.js';

/** What an admin changes on an account; fields left out stay as they are. */
export class UpdateAccountDto {
  @ApiPropertyOptional({ description: 'true: it can no longer sign in, its tokens stop at once; false: it can again' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ enum: ROLES, description: 'a new role (its tokens stop working; it signs in again)' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    example: 'HBJ',
    nullable: true,
    type: String,
    description: 'the unit of a `unit` account; left out when the role changes away from `unit`, it is cleared',
  })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString()
  @MaxLength(32)
  unitCode?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'the person (org_person id) using it, or null' })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsUUID()
  personId?: string | null;

  @ApiPropertyOptional({
    minLength: MIN_PASSWORD,
    maxLength: 1024,
    writeOnly: true,
    description: 'a new password (reset): its tokens and HTTP Basic sessions end',
  })
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD)
  @MaxLength(1024)
  password?: string;
}
