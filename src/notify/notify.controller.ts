import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import { CreateChannelDto, OutboxQuery, UpdateChannelDto } from './dto/channel.dto.js';
import { MineQuery } from './dto/mine.query.js';
import { ChannelDoc, MessageReadDoc, MyMessagesDoc, OutboxItemDoc } from './dto/notify.doc.js';
import { NotifyChannelsService } from './notify-channels.service.js';
import { NotifyInboxService } from './notify-inbox.service.js';

const OFFICE_ONLY = { description: 'only the office (and admin) run the channels and the outbox', type: ErrorResponse };
const WEBHOOK_REFUSED = {
  description: 'WEBHOOK_REFUSED: a robot URL whose host is not in DUBAN_WEBHOOK_HOSTS or that points inside',
  type: ValidationErrorResponse,
};

@ApiTags('notify')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/notify')
export class NotifyController {
  constructor(
    private readonly channels: NotifyChannelsService,
    private readonly inbox: NotifyInboxService,
  ) {}

  @Get('channels')
  @ApiOperation({
    summary: 'Every channel, with its pending, failed and sent counts and its latest error (webhook keys masked)',
  })
  @ApiOkResponse({ type: [ChannelDoc] })
  @ApiForbiddenResponse(OFFICE_ONLY)
  listChannels() {
    return this.channels.list();
  }

  @Post('channels')
  @ApiOperation({
    summary: 'Add a channel for a unit, a person or a role: e-mail, WeCom or DingTalk group robot, in-app',
  })
  @ApiCreatedResponse({ type: ChannelDoc })
  @ApiForbiddenResponse(OFFICE_ONLY)
  @ApiBadRequestResponse(WEBHOOK_REFUSED)
  @ApiUnprocessableEntityResponse({
    description:
      'a bad field: the owner missing or unknown, a target that is no e-mail address or http(s) URL, a target for in-app, a secret for anything but DingTalk',
    type: ValidationErrorResponse,
  })
  createChannel(@Body() dto: CreateChannelDto) {
    return this.channels.create(dto);
  }

  @Patch('channels/:id')
  @ApiOperation({ summary: 'Enable or disable a channel, or change its target, secret or label' })
  @ApiOkResponse({ type: ChannelDoc })
  @ApiForbiddenResponse(OFFICE_ONLY)
  @ApiNotFoundResponse({ description: 'no such channel', type: ErrorResponse })
  @ApiBadRequestResponse(WEBHOOK_REFUSED)
  @ApiUnprocessableEntityResponse({
    description: "a bad field, a target that does not fit the channel's kind, a secret for anything but DingTalk",
    type: ValidationErrorResponse,
  })
  updateChannel(@Param('id') id: string, @Body() dto: UpdateChannelDto) {
    return this.channels.update(id, dto);
  }

  @Get('outbox')
  @ApiOperation({
    summary: 'Outgoing notifications, newest first, by status (pending, sending, sent, failed) and channel',
  })
  @ApiOkResponse({ type: [OutboxItemDoc] })
  @ApiForbiddenResponse(OFFICE_ONLY)
  @ApiUnprocessableEntityResponse({ description: 'a bad or unknown filter', type: ValidationErrorResponse })
  outbox(@Query() q: OutboxQuery) {
    return this.channels.outbox(q);
  }

  @Post('outbox/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a failed notification again now (409 once sent)' })
  @ApiOkResponse({ type: OutboxItemDoc, description: 'queued again with its attempts counted afresh' })
  @ApiForbiddenResponse(OFFICE_ONLY)
  @ApiNotFoundResponse({ description: 'no such notification', type: ErrorResponse })
  @ApiConflictResponse({
    description: 'already sent, or being sent; only failed or pending ones are retried',
    type: ErrorResponse,
  })
  retry(@Param('id') id: string) {
    return this.channels.retry(id);
  }

  @Get('mine')
  @ApiOperation({
    summary:
      "The signed-in person's in-app messages (theirs, their unit's, their role's), newest first, with the unread count",
  })
  @ApiOkResponse({ type: MyMessagesDoc })
  @ApiUnprocessableEntityResponse({ description: 'a bad or unknown query parameter', type: ValidationErrorResponse })
  mine(@CurrentUser() user: AuthUser | undefined, @Query() q: MineQuery) {
    return this.inbox.mine(user, { unreadOnly: q.unread, limit: q.limit });
  }

  @Post('mine/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an in-app message read' })
  @ApiOkResponse({ type: MessageReadDoc })
  @ApiNotFoundResponse({ description: 'no such message for this reader', type: ErrorResponse })
  read(@CurrentUser() user: AuthUser | undefined, @Param('id') id: string) {
    return this.inbox.read(user, id);
  }
}
