import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { returned } from '../common/sql.js';
import { AppConfig } from '../config/app-config.js';
import { ChannelSenders } from './channel-senders.js';
import type { ChannelRow, OutboxRow } from './notify.types.js';

/** Waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure leaves the message 'failed'. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
/** A claimed message is another node's for this long: far beyond the 10 s send timeout. */
export const LEASE_MS = 2 * 60_000;
const BATCH = 20;

/**
 * Sends due outbox rows after commit, on every node. A claim is one statement: due rows are taken with
 * `FOR UPDATE SKIP LOCKED` and marked 'sending' with a lease and a claim token; the network call runs
 * outside any transaction; success marks 'sent' only if the claim is still ours. A node dying between
 * send and mark leaves the row 'sending' until its lease runs out, then it is sent again (counted as an
 * attempt): at-least-once, with duplicates only across a crash.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('notify');
  private tail: Promise<unknown> = Promise.resolve();
  private queued: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly senders: ChannelSenders,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.drain().catch((e) => this.logger.warn(`outbox poll: ${e.message}`)),
      this.config.DUBAN_NOTIFY_POLL_MS,
    );
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.tail;
  }

  /**
   * Sends everything due now; answers how many were sent. Calls while a pass runs share the next pass,
   * which starts when the running one ends (so it sees what was enqueued meanwhile).
   */
  drain(): Promise<number> {
    if (this.queued) return this.queued;
    const next = this.tail.then(() => {
      this.queued = null;
      return this.stopped ? 0 : this.pass();
    });
    this.queued = next;
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Drain soon, without waiting (after a commit that enqueued something). */
  kick(): void {
    void this.drain().catch((e) => this.logger.warn(`outbox: ${e.message}`));
  }

  private async pass(): Promise<number> {
    let sent = 0;
    for (;;) {
      const claimed = await this.claim();
      if (!claimed.length) return sent;
      const channels = await this.channels(claimed.map((r) => r.channel_id));
      const results = await Promise.all(claimed.map((row) => this.deliver(row, channels.get(row.channel_id))));
      sent += results.filter(Boolean).length;
      if (claimed.length < BATCH || this.stopped) return sent;
    }
  }

  private async claim(): Promise<OutboxRow[]> {
    const now = this.clock.now();
    const lease = new Date(now + LEASE_MS);
    return returned<OutboxRow>(
      await this.db.query(
        `WITH due AS (
           SELECT id FROM notify_outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE notify_outbox o SET status = 'sending', attempts = o.attempts + 1, claim = $3, lease_until = $4, next_attempt_at = $4, last_attempt_at = $1
         FROM due WHERE o.id = due.id
         RETURNING o.*`,
        [new Date(now), BATCH, randomUUID(), lease],
      ),
    );
  }

  private async channels(ids: string[]): Promise<Map<string, ChannelRow>> {
    const rows: ChannelRow[] = await this.db.query(`SELECT * FROM notify_channel WHERE id = ANY($1)`, [
      [...new Set(ids)],
    ]);
    return new Map(rows.map((c) => [c.id, c]));
  }

  private async deliver(row: OutboxRow, channel: ChannelRow | undefined): Promise<boolean> {
    if (row.attempts > MAX_ATTEMPTS)
      return this.fail(row, `${row.last_error ?? 'a node stopped while sending'}; no attempts left`, true);
    if (!channel?.enabled) return this.fail(row, 'the channel was disabled before the message was sent', true);
    try {
      await this.senders.send(channel, row.payload);
    } catch (e) {
      return this.fail(row, (e as Error).message || String(e), row.attempts >= MAX_ATTEMPTS);
    }
    await this.db.query(
      `UPDATE notify_outbox SET status = 'sent', sent_at = $3, lease_until = NULL, claim = NULL, last_error = NULL WHERE id = $1 AND claim = $2`,
      [row.id, row.claim, this.clock.date()],
    );
    return true;
  }

  private async fail(row: OutboxRow, reason: string, final: boolean): Promise<false> {
    const now = this.clock.now();
    const next = final ? now : now + BACKOFF_MS[Math.min(row.attempts, BACKOFF_MS.length) - 1];
    await this.db.query(
      `UPDATE notify_outbox SET status = $3, next_attempt_at = $4, last_error = $5, lease_until = NULL, claim = NULL WHERE id = $1 AND claim = $2`,
      [row.id, row.claim, final ? 'failed' : 'pending', new Date(next), reason.slice(0, 1000)],
    );
    if (final) this.logger.warn(`notification ${row.event_key} to channel ${row.channel_id} failed: ${reason}`);
    return false;
  }
}
