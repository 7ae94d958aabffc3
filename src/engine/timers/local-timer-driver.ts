import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock/clock.js';
import { TimerDriver, type TimerDeliveryHandler } from './timer-driver.js';

const MAX_SLEEP = 5_000;
const RETRY_MS = 1_000;
// A timer whose step failed waits for its incident to be retried; one whose instance ended is not due.
const FIREABLE = `FROM engine_timer t JOIN engine_instance i ON i.id = t.instance_id AND i.status = 'active'
  WHERE NOT EXISTS (SELECT 1 FROM engine_incident x WHERE x.instance_id = t.instance_id AND x.resolved_at IS NULL)`;

/** The embedded default: no Redis; one loop reads the timer table and delivers what is due. */
export class LocalTimerDriver extends TimerDriver {
  private readonly logger = new Logger('timers');
  private handler: TimerDeliveryHandler | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    super();
  }

  async start(handler: TimerDeliveryHandler): Promise<void> {
    this.handler = handler;
    this.stopped = false;
    this.kick(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  async schedule(timers: { expireAt: number }[]): Promise<void> {
    const now = this.clock.now();
    if (timers.some((t) => t.expireAt - now < MAX_SLEEP))
      this.kick(Math.max(0, Math.min(...timers.map((t) => t.expireAt - now))));
  }

  async unschedule(): Promise<void> {}

  async runServices(instanceId: string): Promise<void> {
    setImmediate(() => void this.handler?.runServices(instanceId).catch((e) => this.logger.error(e?.message ?? e)));
  }

  clockMoved(): void {
    this.kick(0);
  }

  async status() {
    return { driver: 'in-process', ok: !this.stopped };
  }

  private kick(delay: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), Math.max(0, Math.min(delay, MAX_SLEEP)));
  }

  private async loop(): Promise<void> {
    if (this.stopped || !this.handler) return;
    this.running = true;
    let next = MAX_SLEEP;
    try {
      do {
        this.again = false;
        const due: { id: string; instance_id: string }[] = await this.db.query(
          `SELECT t.id, t.instance_id ${FIREABLE} AND t.expire_at <= $1 ORDER BY t.expire_at LIMIT 500`,
          [new Date(this.clock.now())],
        );
        for (const t of due) {
          if (this.stopped) break;
          await this.handler
            .fireTimer(t.id, t.instance_id)
            .catch((e) => this.logger.error(`timer ${t.id}: ${e?.message ?? e}`));
        }
        if (due.length === 500) this.again = true;
      } while (this.again && !this.stopped);
      // Without the incidents' timers here, one failed step would spin this loop without a pause.
      const [row]: { next: Date | null }[] = await this.db.query(`SELECT min(t.expire_at) AS next ${FIREABLE}`);
      if (row?.next) next = new Date(row.next).getTime() - this.clock.now();
      // Still due after the pass: a delivery failed (logged above); try again in a second, not at once.
      if (next <= 0) next = RETRY_MS;
    } catch (e) {
      if (!this.stopped) this.logger.warn(`timer loop: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
    this.kick(next);
  }
}
