import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AccountService } from './account.service.js';
import { CurrentUser, type AuthUser } from './auth-user.js';
import { AccountView, CreateAccountDto, CreatedAccountView, PasswordResetView } from './dto/create-account.dto.js';
import { ErrorResponse } from './dto/login.dto.js';
import { UpdateAccountDto } from './dto/update-account.dto.js';

@ApiTags('auth')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'not an admin', type: ErrorResponse })
@Controller('api/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountService) {}

  @Get()
  @ApiOperation({ summary: 'Every account (admin)' })
  @ApiOkResponse({ type: [AccountView] })
  list() {
    return this.accounts.list();
  }

  @Post()
  @ApiOperation({ summary: 'Create an account (admin); a unit account names an existing unit' })
  @ApiCreatedResponse({
    type: CreatedAccountView,
    description: 'without a password in the request, `temporaryPassword` is answered this once',
  })
  @ApiUnprocessableEntityResponse({ description: 'bad field, unknown unit or person', type: ErrorResponse })
  @ApiConflictResponse({ description: 'username taken', type: ErrorResponse })
  create(@Body() dto: CreateAccountDto, @CurrentUser() user: AuthUser) {
    return this.accounts.create(dto, { actor: user.accountId, actorName: user.username });
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Disable or enable an account, reset its password, change its role, unit or person' })
  @ApiOkResponse({ type: AccountView, description: 'changed; a disabled, reset or moved account signs in again' })
  @ApiNotFoundResponse({ description: 'no such account', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'bad field, no change, unknown unit or person', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the last enabled admin would be disabled or demoted', type: ErrorResponse })
  update(@Param('id') id: string, @Body() dto: UpdateAccountDto, @CurrentUser() user: AuthUser) {
    return this.accounts.update(id, dto, { actor: user.accountId, actorName: user.username });
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: '重置密码: a new temporary password, answered once; the old password and its tokens stop working',
  })
  @ApiOkResponse({ type: PasswordResetView })
  @ApiNotFoundResponse({ description: 'no such account', type: ErrorResponse })
  resetPassword(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.accounts.resetPassword(id, { actor: user.accountId, actorName: user.username });
  }
}
