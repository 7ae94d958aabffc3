import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ROLES } from '../auth/auth-user.js';
import { Clock } from '../clock/clock.js';
import { DomainException, conflict, notFound } from '../common/domain-exception.js';
import { returned } from '../common/sql.js';
import { isUuid } from '../engine/engine.service.js';
import type { CreateChannelDto, OutboxQuery, UpdateChannelDto } from './dto/channel.dto.js';
import { OutboxSender } from './outbox-sender.js';
import { WebhookGuard, WebhookRefused } from './webhook-guard.js';
import type { ChannelKind, ChannelRow, OutboxRow } from './notify.types.js';

const EMAIL = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;

function invalid(field: string, message: string): DomainException {
  return new DomainException('VALIDATION', 422, `${field}：${message}`, { fields: [{ field, message }] });
}

/** The office's view of notification channels and the outbox: set up, enable, see what fails, retry. */
@Injectable()
export class NotifyChannelsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly sender: OutboxSender,
    private readonly webhooks: WebhookGuard,
  ) {}

  /** Every channel with its failed and pending counts and its latest error. */
  async list(id: string | null = null) {
    const rows = await this.db.query(
      `SELECT c.*,
         (SELECT count(*)::int FROM notify_outbox o WHERE o.channel_id = c.id AND o.status = 'failed') AS failed,
         (SELECT count(*)::int FROM notify_outbox o WHERE o.channel_id = c.id AND o.status IN ('pending', 'sending')) AS pending,
         (SELECT count(*)::int FROM notify_outbox o WHERE o.channel_id = c.id AND o.status = 'sent') AS sent,
         e.last_error, e.last_attempt_at AS last_error_at
       FROM notify_channel c
       LEFT JOIN LATERAL (SELECT o.last_error, o.last_attempt_at FROM notify_outbox o
                          WHERE o.channel_id = c.id AND o.last_error IS NOT NULL AND o.status <> 'sent'
                          ORDER BY o.last_attempt_at DESC NULLS LAST LIMIT 1) e ON true
       WHERE ($1::uuid IS NULL OR c.id = $1)
       ORDER BY c.owner_type, c.owner_code, c.created_at, c.id`,
      [id],
    );
    return rows.map(channelView);
  }

  async get(id: string) {
    const [view] = isUuid(id) ? await this.list(id) : [];
    if (!view) throw notFound('channel', id);
    return view;
  }

  async create(dto: CreateChannelDto) {
    const owner = await this.owner(dto);
    const target = await this.target(dto.kind, dto.target);
    if (dto.secret && dto.kind !== 'dingtalk') throw invalid('secret', '只有钉钉渠道有加签密钥');
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO notify_channel (id, owner_type, owner_code, owner_id, kind, target, secret, label, enabled, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [
        id,
        dto.ownerType,
        owner.code,
        owner.id,
        dto.kind,
        target,
        dto.secret || null,
        dto.label || null,
        dto.enabled ?? true,
        this.clock.date(),
      ],
    );
    return this.get(id);
  }

  async update(id: string, dto: UpdateChannelDto) {
    const current = await this.row(id);
    const target = dto.target !== undefined ? await this.target(current.kind, dto.target) : current.target;
    if (dto.secret && current.kind !== 'dingtalk') throw invalid('secret', '只有钉钉渠道有加签密钥');
    const secret = dto.secret !== undefined ? dto.secret || null : current.secret;
    const label = dto.label !== undefined ? dto.label || null : current.label;
    await this.db.query(`UPDATE notify_channel SET enabled = $2, target = $3, secret = $4, label = $5 WHERE id = $1`, [
      id,
      dto.enabled ?? current.enabled,
      target,
      secret,
      label,
    ]);
    return this.get(id);
  }

  async outbox(q: OutboxQuery) {
    const rows = await this.db.query(
      `SELECT o.*, c.kind AS channel_kind, c.owner_type, c.owner_code, c.owner_id, c.label AS channel_label FROM notify_outbox o JOIN notify_channel c ON c.id = o.channel_id
       WHERE ($1::text IS NULL OR o.status = $1) AND ($2::uuid IS NULL OR o.channel_id = $2)
       ORDER BY o.created_at DESC, o.id LIMIT $3`,
      [q.status ?? null, q.channelId ?? null, q.limit ?? 100],
    );
    return rows.map(outboxView);
  }

  /** A failed (or still pending) message goes out again now, with its attempts counted afresh. */
  async retry(id: string) {
    if (!isUuid(id)) throw notFound('notification', id);
    const [row] = await this.db.query(`SELECT status FROM notify_outbox WHERE id = $1`, [id]);
    if (!row) throw notFound('notification', id);
    const updated = returned(
      await this.db.query(
        `UPDATE notify_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2 WHERE id = $1 AND status IN ('failed', 'pending') RETURNING id`,
        [id, this.clock.date()],
      ),
    );
    if (!updated.length) throw conflict(`通知 ${id} 的状态是 ${row.status}，只有发送失败或待发送的通知可以重发`);
    this.sender.kick();
    const [view] = await this.db.query(
      `SELECT o.*, c.kind AS channel_kind, c.owner_type, c.owner_code, c.owner_id, c.label AS channel_label FROM notify_outbox o JOIN notify_channel c ON c.id = o.channel_id WHERE o.id = $1`,
      [id],
    );
    return outboxView(view);
  }

  private async row(id: string): Promise<ChannelRow> {
    const [row] = isUuid(id) ? await this.db.query(`SELECT * FROM notify_channel WHERE id = $1`, [id]) : [];
    if (!row) throw notFound('channel', id);
    return row;
  }

  private async owner(dto: CreateChannelDto): Promise<{ code: string | null; id: string | null }> {
    if (dto.ownerType === 'person') {
      if (!dto.ownerId) throw invalid('ownerId', '个人渠道需要填写人员 id（ownerId）');
      if (dto.ownerCode) throw invalid('ownerCode', '个人渠道由 ownerId 指定，不填 ownerCode');
      const [p] = await this.db.query(`SELECT id FROM org_person WHERE id = $1`, [dto.ownerId]);
      if (!p)
        throw new DomainException('UNKNOWN_REFERENCE', 422, `ownerId：没有人员 ${dto.ownerId}`, {
          fields: [{ field: 'ownerId', message: `没有人员 ${dto.ownerId}` }],
        });
      return { code: null, id: dto.ownerId };
    }
    if (!dto.ownerCode)
      throw invalid('ownerCode', `${dto.ownerType === 'unit' ? '单位' : '角色'}渠道需要填写 ownerCode`);
    if (dto.ownerId)
      throw invalid('ownerId', `${dto.ownerType === 'unit' ? '单位' : '角色'}渠道由 ownerCode 指定，不填 ownerId`);
    if (dto.ownerType === 'role') {
      if (!(ROLES as readonly string[]).includes(dto.ownerCode))
        throw invalid('ownerCode', `不是角色，应为：${ROLES.join('、')}`);
      return { code: dto.ownerCode, id: null };
    }
    const [u] = await this.db.query(`SELECT code FROM org_unit WHERE code = $1`, [dto.ownerCode]);
    if (!u)
      throw new DomainException('UNKNOWN_REFERENCE', 422, `ownerCode：没有编码为 ${dto.ownerCode} 的单位`, {
        fields: [{ field: 'ownerCode', message: `没有编码为 ${dto.ownerCode} 的单位` }],
      });
    return { code: dto.ownerCode, id: null };
  }

  private async target(kind: ChannelKind, target: string | undefined): Promise<string | null> {
    if (kind === 'inapp') {
      if (target) throw invalid('target', '站内消息渠道没有发送地址');
      return null;
    }
    if (!target) throw invalid('target', kind === 'email' ? '请填写电子邮件地址' : '请填写机器人 Webhook 地址');
    if (kind === 'email') {
      if (!EMAIL.test(target)) throw invalid('target', '不是电子邮件地址');
      return target;
    }
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw invalid('target', '不是网址');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw invalid('target', 'Webhook 地址必须以 http 或 https 开头');
    if (url.username || url.password) throw invalid('target', 'Webhook 地址中不能含用户名或密码');
    try {
      await this.webhooks.checkTarget(url.toString());
    } catch (e) {
      if (!(e instanceof WebhookRefused)) throw e;
      const fields = [{ field: 'target', message: e.message }];
      throw new DomainException('WEBHOOK_REFUSED', 400, `target：${e.message}`, { fields });
    }
    return url.toString();
  }
}

/** A webhook's query values are its credentials: shown with their last four characters only. */
export function maskTarget(kind: string, target: string | null): string | null {
  if (!target || (kind !== 'wecom' && kind !== 'dingtalk')) return target;
  const url = new URL(target);
  for (const [k, v] of [...url.searchParams]) url.searchParams.set(k, v.length > 4 ? `***${v.slice(-4)}` : '***');
  return decodeURI(url.toString());
}

function channelView(
  c: ChannelRow & {
    failed: number;
    pending: number;
    sent: number;
    last_error: string | null;
    last_error_at: Date | null;
  },
) {
  return {
    id: c.id,
    ownerType: c.owner_type,
    ownerCode: c.owner_code,
    ownerId: c.owner_id,
    kind: c.kind,
    target: maskTarget(c.kind, c.target),
    hasSecret: Boolean(c.secret),
    label: c.label,
    enabled: c.enabled,
    createdAt: c.created_at,
    pending: c.pending,
    failed: c.failed,
    sent: c.sent,
    lastError: c.last_error,
    lastErrorAt: c.last_error_at,
  };
}

export function outboxView(
  o: OutboxRow & {
    channel_kind: string;
    owner_type: string;
    owner_code: string | null;
    owner_id: string | null;
    channel_label: string | null;
  },
) {
  return {
    id: o.id,
    eventKey: o.event_key,
    kind: o.event_kind,
    channel: {
      id: o.channel_id,
      kind: o.channel_kind,
      ownerType: o.owner_type,
      ownerCode: o.owner_code,
      ownerId: o.owner_id,
      label: o.channel_label,
    },
    title: o.payload?.title ?? null,
    status: o.status,
    attempts: o.attempts,
    nextAttemptAt: o.status === 'pending' ? o.next_attempt_at : null,
    lastError: o.last_error,
    lastAttemptAt: o.last_attempt_at,
    createdAt: o.created_at,
    sentAt: o.sent_at,
  };
}
