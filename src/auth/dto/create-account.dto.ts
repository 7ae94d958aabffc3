import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../auth-user.js';

export const USERNAME = /^[A-Za-z0-9._@-]{3,64}$/;
export const MIN_PASSWORD = 10;

export class CreateAccountDto {
  @ApiProperty({ example: 'hbj-handler', description: '3-64 letters, digits, . _ @ -' })
  @IsString()
  @Matches(USERNAME, { message: '用户名应为 3–64 个字母、数字或 . _ @ -' })
  username: string;

  @ApiPropertyOptional({
    minLength: MIN_PASSWORD,
    maxLength: 1024,
    writeOnly: true,
    description: 'left out: a temporary one is made up and answered once',
  })
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD)
  @MaxLength(1024)
  password?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    example: 'HBJ',
    description: 'the unit of a `unit` account (required for it, refused for other roles)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unitCode?: string;

  @ApiPropertyOptional({ description: 'the person (org_person id) who uses the account' })
  @IsOptional()
  @IsUUID()
  personId?: string;
}

export class AccountView {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) unitCode: string | null;
  @ApiProperty({ nullable: true, type: String }) personId: string | null;
  @ApiProperty({ nullable: true, type: String }) personName: string | null;
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: Date;
}

export class CreatedAccountView extends AccountView {
  @ApiPropertyOptional({ description: 'the made-up password when none was given: shown this once' })
  temporaryPassword?: string;
}

export class PasswordResetView {
  @ApiProperty({ example: 'Kx7mPq2RtZ9wNb4c', description: 'the new password: shown this once, hand it to the person' })
  temporaryPassword: string;
  @ApiProperty({ type: AccountView }) account: AccountView;
}
