import { Logger } from '@nestjs/common';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Clock } from '../../clock/clock.js';
import { TimerDriver, type TimerDeliveryHandler } from './timer-driver.js';

/**
 * BullMQ delivers timers across nodes: one delayed job per timer, `jobId` = timer id, so a timer scheduled
 * twice is one job. Losing Redis loses nothing: the reconciler schedules every pending timer again.
 */
export class BullmqTimerDriver extends TimerDriver {
  private readonly logger = new Logger('timers');
  private readonly queue: Queue;
  private worker: Worker | null = null;

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly concurrency = 8,
  ) {
    super();
    this.queue = new Queue('engine', { connection, prefix: prefix });
    this.queue.on('error', (e) => this.logger.warn(`queue: ${e.message}`));
  }

  async start(handler: TimerDeliveryHandler): Promise<void> {
    this.worker = new Worker(
      'engine',
      async (job) => {
        if (job.name === 'timer') await handler.fireTimer(job.data.timerId, job.data.instanceId);
        else if (job.name === 'services') await handler.runServices(job.data.instanceId);
      },
      { connection: this.connection, prefix: this.prefix, concurrency: this.concurrency },
    );
    this.worker.on('error', (e) => this.logger.warn(`worker: ${e.message}`));
    this.worker.on('failed', (job, e) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
        this.logger.warn(
          `${job.name} ${job.id} gave up after ${job.attemptsMade} attempts (the reconciler delivers it again): ${e.message}`,
        );
    });
  }

  async stop(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }

  async schedule(timers: { id: string; instanceId: string; expireAt: number }[]): Promise<void> {
    if (!timers.length) return;
    const now = this.clock.now();
    await this.queue.addBulk(
      timers.map((t) => ({
        name: 'timer',
        data: { timerId: t.id, instanceId: t.instanceId },
        // A job that failed (the database was away for all its attempts) is removed, not kept: a kept job holds its
        // id, and the reconciler's next pass could not schedule the timer again under it.
        opts: {
          jobId: jobId(t.id, t.expireAt),
          delay: Math.max(0, t.expireAt - now),
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
        },
      })),
    );
  }

  /** Jobs of vanished timers are left to find their row gone (a no-op); removing them is only tidiness. */
  async unschedule(): Promise<void> {}

  async runServices(instanceId: string): Promise<void> {
    await this.queue.add('services', { instanceId }, { removeOnComplete: true, removeOnFail: true });
  }

  clockMoved(): void {}

  async status() {
    try {
      const counts = await Promise.race([
        this.queue.getJobCounts('delayed', 'waiting', 'active'),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error('Redis did not answer within 3 s')), 3000)),
      ]);
      return {
        driver: 'bullmq',
        ok: true,
        detail: `delayed ${counts.delayed}, waiting ${counts.waiting}, active ${counts.active}`,
      };
    } catch (e) {
      return { driver: 'bullmq', ok: false, detail: (e as Error).message };
    }
  }
}

// The due time is part of the job id: a timer moved by the office gets a job at its new time, and the job
// at the old time finds it early (rescheduled) or gone (no-op).
const jobId = (timerId: string, expireAt: number) => `t-${timerId}-${expireAt}`;
