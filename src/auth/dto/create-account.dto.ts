import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../auth-user.js';

export const USERNAME = /^[A-Za-z0-9._@-]{3,64}$/;
export const MIN_PASSWORD = 10;

export class CreateAccountDto {
  @ApiProperty({ example: 'hbj-handler', description: '3-64 letters, digits, . _ @ -' })
  @IsString() @Matches(USERNAME, { message: '用户名应为 3–64 个字母、数字或 . _ @ -' })
  username: string;

  @ApiProperty({ minLength: MIN_PASSWORD, maxLength: 1024, writeOnly: true })
  @IsString() @MinLength(MIN_PASSWORD) @MaxLength(1024)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ example: 'HBJ', description: 'the unit of a `unit` account (required for it, refused for other roles)' })
  @IsOptional() @IsString() @MaxLength(32)
  unitCode?: string;

  @ApiPropertyOptional({ description: 'the person (org_person id) who uses the account' })
  @IsOptional() @IsUUID()
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
