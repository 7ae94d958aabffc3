import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { CreateChannelDto, OutboxQuery, UpdateChannelDto } from './dto/channel.dto.js';
import { MineQuery } from './dto/mine.query.js';
import { NotifyChannelsService } from './notify-channels.service.js';
import { NotifyInboxService } from './notify-inbox.service.js';

@ApiTags('notify')
@Controller('api/notify')
export class NotifyController {
  constructor(
    private readonly channels: NotifyChannelsService,
    private readonly inbox: NotifyInboxService,
  ) {}

  @Get('channels')
  @ApiOperation({ summary: 'Every channel, with its pending, failed and sent counts and its latest error (webhook keys masked)' })
  listChannels() {
    return this.channels.list();
  }

  @Post('channels')
  @ApiOperation({ summary: 'Add a channel for a unit, a person or a role: e-mail, WeCom or DingTalk group robot, in-app' })
  createChannel(@Body() dto: CreateChannelDto) {
    return this.channels.create(dto);
  }

  @Patch('channels/:id')
  @ApiOperation({ summary: 'Enable or disable a channel, or change its target, secret or label' })
  updateChannel(@Param('id') id: string, @Body() dto: UpdateChannelDto) {
    return this.channels.update(id, dto);
  }

  @Get('outbox')
  @ApiOperation({ summary: 'Outgoing notifications, newest first, by status (pending, sending, sent, failed) and channel' })
  outbox(@Query() q: OutboxQuery) {
    return this.channels.outbox(q);
  }

  @Post('outbox/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a failed notification again now (409 once sent)' })
  retry(@Param('id') id: string) {
    return this.channels.retry(id);
  }

  @Get('mine')
  @ApiOperation({ summary: "The signed-in person's in-app messages (theirs, their unit's, their role's), newest first, with the unread count" })
  mine(@CurrentUser() user: AuthUser | undefined, @Query() q: MineQuery) {
    return this.inbox.mine(user, { unreadOnly: q.unread, limit: q.limit });
  }

  @Post('mine/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an in-app message read' })
  read(@CurrentUser() user: AuthUser | undefined, @Param('id') id: string) {
    return this.inbox.read(user, id);
  }
}
