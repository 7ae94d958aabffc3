import { Module } from '@nestjs/common';
import { ChannelSenders } from './channel-senders.js';
import { NotifyChannelsService } from './notify-channels.service.js';
import { NotifyInboxService } from './notify-inbox.service.js';
import { NotifyController } from './notify.controller.js';
import { NotifyService } from './notify.service.js';
import { OutboxSender } from './outbox-sender.js';
import { WebhookGuard } from './webhook-guard.js';

/**
 * Notifications: channels per unit, person or role (e-mail, WeCom and DingTalk group robots, in-app),
 * an outbox written in the step's transaction, and a sender that delivers after the commit with back-off.
 */
@Module({
  providers: [WebhookGuard, ChannelSenders, OutboxSender, NotifyService, NotifyChannelsService, NotifyInboxService],
  controllers: [NotifyController],
  exports: [NotifyService, OutboxSender],
})
export class NotifyModule {}
