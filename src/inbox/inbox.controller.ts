import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { InboxQueryDto } from './dto/inbox-query.dto.js';
import { HandoverDto } from './dto/task-action.dto.js';
import { InboxService } from './inbox.service.js';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get('inbox')
  @ApiOperation({ summary: "The signed-in person's open tasks, with counts for the badges" })
  @ApiResponse({ status: 401, description: 'not signed in' })
  list(@CurrentUser() user: AuthUser, @Query() q: InboxQueryDto) {
    return this.inbox.inbox(this.inbox.requireUser(user), q);
  }

  @Get('tasks/:id')
  @ApiOperation({ summary: "A task: its step, its form's fields and its problem" })
  @ApiResponse({ status: 403, description: 'not your task' })
  @ApiResponse({ status: 404, description: 'no such open task' })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.inbox.task(this.inbox.requireUser(user), id);
  }

  @Post('tasks/:id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign for (签收) / claim the task' })
  @ApiResponse({ status: 409, description: 'claimed by someone else' })
  claim(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.inbox.claim(this.inbox.requireUser(user), id);
  }

  @Post('tasks/:id/unclaim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the task back to the unit' })
  unclaim(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.inbox.unclaim(this.inbox.requireUser(user), id);
  }

  @Post('tasks/:id/handover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the task over to a colleague of the same unit' })
  @ApiResponse({ status: 422, description: 'not a colleague' })
  handover(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: HandoverDto) {
    return this.inbox.handover(this.inbox.requireUser(user), id, dto.to);
  }

  @Post('tasks/:id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: "Complete the task with its step's form" })
  @ApiResponse({ status: 422, description: 'a form field is invalid (named in `fields`); nothing changed' })
  @ApiResponse({ status: 409, description: 'someone completed it a moment ago' })
  complete(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.inbox.complete(this.inbox.requireUser(user), id, body);
  }
}
