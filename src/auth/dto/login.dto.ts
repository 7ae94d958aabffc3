import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES } from '../auth-user.js';

export class LoginDto {
  @ApiProperty({ example: 'office' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
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

export class SessionUserView extends AuthUserView {
  @ApiProperty({
    nullable: true,
    type: String,
    example: '市生态环境局',
    description: "the unit's name (unit accounts)",
  })
  unitName: string | null;
  @ApiProperty({
    example: '2026-12-02T08:15:00.000Z',
    description: "when the caller's token ends (renew before: POST /api/auth/refresh)",
  })
  expiresAt: string;
}

export class RefreshResponse {
  @ApiProperty({ description: 'the new token: send as `Authorization: Bearer <token>`' }) token: string;
  @ApiProperty({ description: 'the same token, named as in the sign-in answer' }) accessToken: string;
  @ApiProperty({ description: 'seconds the token lives' }) expiresIn: number;
  @ApiProperty({ example: '2026-12-02T08:30:00.000Z' }) expiresAt: string;
}

export class LoginResponse {
  @ApiProperty({ description: 'send as `Authorization: Bearer <token>`' }) accessToken: string;
  @ApiProperty({ description: 'seconds the token lives (DUBAN_TOKEN_TTL_S)' }) expiresIn: number;
  @ApiProperty({
    example: '2026-12-02T08:15:00.000Z',
    description: 'when it ends (renew before: POST /api/auth/refresh)',
  })
  expiresAt: string;
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
