export const NOTIFY_KINDS = ['task', 'reminder', 'notice', 'summons', 'bulletin'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

export const CHANNEL_KINDS = ['email', 'wecom', 'dingtalk', 'inapp'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const OWNER_TYPES = ['unit', 'person', 'role'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Something to tell people: a new task, a reminder (催办), a supervision notice (督办单), an interview
 * summons (约谈通知), a bulletin (通报). It reaches, through every enabled channel set for them:
 * each unit in `unitCodes` and each person of those units, each person in `personIds`, and the channels
 * of each role in `roles` (e.g. the office's group robot).
 */
export interface NotifyEvent {
  /** Idempotency: the same key reaches each channel at most once, however often it is enqueued. */
  key: string;
  kind: NotifyKind;
  unitCodes: string[];
  personIds: string[];
  roles?: string[];
  title: string;
  text: string;
  /** A path (made absolute with DUBAN_PUBLIC_URL when set) or a full URL; null for none. */
  link: string | null;
}

/** What is stored with each outbox row and rendered per channel. */
export interface NotifyPayload {
  kind: NotifyKind;
  title: string;
  text: string;
  link: string | null;
}

export interface ChannelRow {
  id: string;
  owner_type: OwnerType;
  owner_code: string | null;
  owner_id: string | null;
  kind: ChannelKind;
  target: string | null;
  secret: string | null;
  label: string | null;
  enabled: boolean;
  created_at: Date;
}

export interface OutboxRow {
  id: string;
  event_key: string;
  event_kind: NotifyKind;
  channel_id: string;
  payload: NotifyPayload;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  claim: string | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  created_at: Date;
  sent_at: Date | null;
}
