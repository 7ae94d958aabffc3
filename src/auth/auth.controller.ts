import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthService } from './auth.service.js';
import { throttleAddress } from './client-address.js';
import { CurrentUser, type AuthUser } from './auth-user.js';
import { DomainException } from '../common/domain-exception.js';
import {
  ErrorResponse,
  LockedResponse,
  LoginDto,
  LoginResponse,
  RefreshResponse,
  SessionUserView,
} from './dto/login.dto.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: a token for 15 minutes. Failures slow down; 5 lock the name for that address' })
  @ApiOkResponse({ type: LoginResponse })
  @ApiResponse({
    status: 401,
    description: 'wrong username or password (the same answer for an unknown name)',
    type: ErrorResponse,
  })
  @ApiResponse({
    status: 423,
    description: 'locked after repeated failures; retryAfterSeconds tells how long',
    type: LockedResponse,
  })
  @ApiUnprocessableEntityResponse({ description: 'username or password missing', type: ErrorResponse })
  login(@Body() dto: LoginDto, @Req() req: Request) {
    return this.auth.login(dto.username, dto.password, throttleAddress(req.ip));
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in account: role, unit and person with their names, and when the token ends' })
  @ApiOkResponse({ type: SessionUserView })
  @ApiResponse({ status: 401, description: 'no valid token', type: ErrorResponse })
  me(@CurrentUser() user: AuthUser, @Req() req: Request) {
    return this.auth.me(user, bearerOf(req));
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Renew the session: a new token for a still valid one (the pages call it while the person works), up to 12 hours after sign-in',
  })
  @ApiOkResponse({ type: RefreshResponse })
  @ApiResponse({
    status: 401,
    description:
      'no valid token, the account changed or was disabled, or 12 hours passed since sign-in (SESSION_TOO_LONG)',
    type: ErrorResponse,
  })
  refresh(@Req() req: Request) {
    const token = bearerOf(req);
    if (!token) throw new DomainException('UNAUTHENTICATED', 401, '请先登录');
    return this.auth.refresh(token);
  }
}

function bearerOf(req: Request): string | null {
  const [scheme, value] = (req.headers.authorization ?? '').split(' ', 2);
  return /^bearer$/i.test(scheme) && value ? value.trim() : null;
}
