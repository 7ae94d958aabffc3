import { ApiProperty } from '@nestjs/swagger';
import { CHANNEL_KINDS, NOTIFY_KINDS, OUTBOX_STATUSES, OWNER_TYPES } from '../notify.types.js';

/** A notification channel as the office sees it (webhook keys masked). */
export class ChannelDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: OWNER_TYPES }) ownerType: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'HBJ',
    description: 'unit code or role (unit and role owners)',
  })
  ownerCode: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'person id (person owners)' }) ownerId:
    string | null;
  @ApiProperty({ enum: CHANNEL_KINDS }) kind: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'e-mail address or webhook URL, its query values masked to their last 4 characters; null for in-app',
  })
  target: string | null;
  @ApiProperty({ description: 'a DingTalk signing secret is set (never shown)' }) hasSecret: boolean;
  @ApiProperty({ nullable: true, type: String }) label: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ description: 'notifications pending or being sent' }) pending: number;
  @ApiProperty({ description: 'notifications that failed for good' }) failed: number;
  @ApiProperty() sent: number;
  @ApiProperty({ nullable: true, type: String, description: 'the latest error of a notification not sent' }) lastError:
    string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastErrorAt: Date | null;
}

export class OutboxChannelDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CHANNEL_KINDS }) kind: string;
  @ApiProperty({ enum: OWNER_TYPES }) ownerType: string;
  @ApiProperty({ nullable: true, type: String }) ownerCode: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ownerId: string | null;
  @ApiProperty({ nullable: true, type: String }) label: string | null;
}

/** One outgoing notification: one event through one channel. */
export class OutboxItemDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'the event it tells of; one event reaches a channel at most once' }) eventKey: string;
  @ApiProperty({ enum: NOTIFY_KINDS }) kind: string;
  @ApiProperty({ type: OutboxChannelDoc }) channel: OutboxChannelDoc;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ enum: OUTBOX_STATUSES }) status: string;
  @ApiProperty({ description: 'send attempts so far' }) attempts: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'next attempt (pending ones only)' })
  nextAttemptAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: Date | null;
}

/** An in-app message (站内消息). */
export class InAppMessageDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() eventKey: string;
  @ApiProperty({ enum: NOTIFY_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: String, description: 'where to go: a path or a full URL' }) link: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) sentAt: Date;
  @ApiProperty() read: boolean;
}

export class MyMessagesDoc {
  @ApiProperty({ description: 'unread messages, all of them (not only this page)' }) unread: number;
  @ApiProperty({ type: [InAppMessageDoc] }) items: InAppMessageDoc[];
}

export class MessageReadDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: true, description: 'always true' }) read: boolean;
}
