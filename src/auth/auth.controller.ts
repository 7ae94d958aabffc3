import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthService } from './auth.service.js';
import { throttleAddress } from './client-address.js';
import { CurrentUser, type AuthUser } from './auth-user.js';
import { AuthUserView, ErrorResponse, LockedResponse, LoginDto, LoginResponse } from './dto/login.dto.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: a token for 15 minutes. Failures slow down; 5 lock the name for that address' })
  @ApiOkResponse({ type: LoginResponse })
  @ApiResponse({ status: 401, description: 'wrong username or password (the same answer for an unknown name)', type: ErrorResponse })
  @ApiResponse({ status: 423, description: 'locked after repeated failures; retryAfterSeconds tells how long', type: LockedResponse })
  @ApiUnprocessableEntityResponse({ description: 'username or password missing', type: ErrorResponse })
  login(@Body() dto: LoginDto, @Req() req: Request) {
    return this.auth.login(dto.username, dto.password, throttleAddress(req.ip));
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in account: role, unit, person' })
  @ApiOkResponse({ type: AuthUserView })
  @ApiResponse({ status: 401, description: 'no valid token', type: ErrorResponse })
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}
