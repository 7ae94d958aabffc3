import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES } from '../auth-user.js';

export class LoginDto {
  @ApiProperty({ example: 'office' })
  @IsString() @MinLength(1) @MaxLength(64)
  username: string;

  @ApiProperty({ writeOnly: true })
  @IsString() @MinLength(1) @MaxLength(1024)
  password: string;
}

export class AuthUserView {
  @ApiProperty() accountId: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ nullable: true, type: String }) personId: string | null;
  @ApiProperty({ nullable: true, type: String }) personName: string | null;
  @ApiProperty({ nullable: true, type: String }) unitCode: string | null;
}

export class LoginResponse {
  @ApiProperty({ description: 'send as `Authorization: Bearer <token>`' }) accessToken: string;
  @ApiProperty({ description: 'seconds the token lives (DUBAN_TOKEN_TTL_S)' }) expiresIn: number;
  @ApiProperty({ type: AuthUserView }) user: AuthUserView;
}

export class ErrorResponse {
  @ApiProperty() statusCode: number;
  @ApiProperty() error: string;
  @ApiProperty() message: string;
}

export class LockedResponse extends ErrorResponse {
  @ApiProperty({ description: 'seconds until a sign-in is accepted again' }) retryAfterSeconds: number;
  @ApiProperty() lockedUntil: string;
}
