import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../clock/clock.js';
import { notFound } from '../common/domain-exception.js';
import { isUuid } from '../engine/engine.service.js';

/** In-app messages reach a reader through the in-app channels of their person, their unit and their role. */
const VISIBLE = `
  FROM notify_outbox o JOIN notify_channel c ON c.id = o.channel_id
  WHERE c.kind = 'inapp' AND o.status = 'sent' AND (
    (c.owner_type = 'person' AND c.owner_id = $1::uuid)
    OR (c.owner_type = 'unit' AND c.owner_code = $2)
    OR (c.owner_type = 'role' AND c.owner_code = $3))`;

export interface InboxItem {
  id: string;
  eventKey: string;
  kind: string;
  title: string;
  text: string;
  link: string | null;
  sentAt: Date;
  read: boolean;
}

/** The signed-in reader's in-app messages (站内消息), newest first, with what they have read. */
@Injectable()
export class NotifyInboxService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async mine(
    user: AuthUser | undefined,
    opts: { unreadOnly?: boolean; limit?: number } = {},
  ): Promise<{ unread: number; items: InboxItem[] }> {
    if (!user) return { unread: 0, items: [] };
    // One message reaches a reader once, even through several of their channels (person and unit);
    // reading marks every copy, so any copy tells whether it was read.
    const latest = `SELECT DISTINCT ON (o.event_key) o.id, o.event_key, o.event_kind, o.payload, o.sent_at, r.read_at
      ${VISIBLE.replace('WHERE', 'LEFT JOIN notify_read r ON r.outbox_id = o.id AND r.account_id = $4 WHERE')}
      ORDER BY o.event_key, o.sent_at DESC, o.id`;
    const params = [user.personId, user.unitCode, user.role, user.accountId];
    const [{ unread }] = await this.db.query(
      `SELECT count(*)::int AS unread FROM (${latest}) m WHERE m.read_at IS NULL`,
      params,
    );
    const rows = await this.db.query(
      `SELECT * FROM (${latest}) m WHERE ($5::boolean IS NOT TRUE OR m.read_at IS NULL) ORDER BY m.sent_at DESC, m.id LIMIT $6`,
      [...params, opts.unreadOnly ?? false, opts.limit ?? 100],
    );
    const items: InboxItem[] = rows.map((r: any) => ({
      id: r.id,
      eventKey: r.event_key,
      kind: r.event_kind,
      title: r.payload.title,
      text: r.payload.text,
      link: r.payload.link,
      sentAt: r.sent_at,
      read: Boolean(r.read_at),
    }));
    return { unread, items };
  }

  /** Marks one message read for this reader (every copy of its event, so it does not come back unread). */
  async read(user: AuthUser | undefined, id: string) {
    if (!user || !isUuid(id)) throw notFound('message', id);
    const [row] = await this.db.query(`SELECT o.event_key ${VISIBLE} AND o.id = $4`, [
      user.personId,
      user.unitCode,
      user.role,
      id,
    ]);
    if (!row) throw notFound('message', id);
    await this.db.query(
      `INSERT INTO notify_read (outbox_id, account_id, read_at)
       SELECT o.id, $5, $6 ${VISIBLE} AND o.event_key = $4
       ON CONFLICT DO NOTHING`,
      [user.personId, user.unitCode, user.role, row.event_key, user.accountId, this.clock.date()],
    );
    return { id, read: true };
  }
}
