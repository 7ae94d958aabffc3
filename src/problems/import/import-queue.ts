import { Logger } from '@nestjs/common';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { redisConnection } from '../../common/redis-connection.js';
import type { AppConfig } from '../../config/app-config.js';

/** Hands import jobs to a node that runs them. The job table holds the truth; a queue only delivers. */
export abstract class ImportQueue {
  /** Deliver the job soon; the same (job, attempt) added twice is one delivery. */
  abstract add(jobId: string, attempt: number): Promise<void>;
  abstract start(run: (jobId: string) => Promise<void>): Promise<void>;
  abstract stop(): Promise<void>;
}

/** On PostgreSQL + Redis: one BullMQ queue per kind of import, each node running one of its imports at a time. */
export class BullmqImportQueue extends ImportQueue {
  private readonly logger = new Logger('import');
  private readonly queue: Queue;
  private worker: Worker | null = null;

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
    private readonly name = 'import',
  ) {
    super();
    this.queue = new Queue(name, { connection, prefix });
    this.queue.on('error', (e) => this.logger.warn(`queue: ${e.message}`));
  }

  async add(jobId: string, attempt: number): Promise<void> {
    await this.queue.add(
      this.name,
      { jobId },
      { jobId: `${this.name}-${jobId}-${attempt}`, removeOnComplete: true, removeOnFail: true },
    );
  }

  async start(run: (jobId: string) => Promise<void>): Promise<void> {
    this.worker = new Worker(this.name, async (job) => run(String(job.data.jobId)), {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: 1,
    });
    this.worker.on('error', (e) => this.logger.warn(`worker: ${e.message}`));
  }

  async stop(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }
}

/** On the embedded database: one node, so the jobs run here, one after another. */
export class LocalImportQueue extends ImportQueue {
  private readonly logger = new Logger('import');
  private run: ((jobId: string) => Promise<void>) | null = null;
  private tail: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();
  private stopped = false;

  async add(jobId: string): Promise<void> {
    if (this.stopped || this.pending.has(jobId)) return;
    this.pending.add(jobId);
    this.tail = this.tail.then(async () => {
      try {
        if (!this.stopped && this.run) await this.run(jobId);
      } catch (e) {
        this.logger.error(`import job ${jobId}: ${(e as Error).message}`);
      } finally {
        this.pending.delete(jobId);
      }
    });
  }

  async start(run: (jobId: string) => Promise<void>): Promise<void> {
    this.run = run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.tail;
  }
}

/** The queue of one kind of import: BullMQ where Redis is configured, else this node alone. */
export function importQueue(config: AppConfig, name: string): ImportQueue {
  return config.REDIS_URL
    ? new BullmqImportQueue(redisConnection(config.REDIS_URL), config.DUBAN_QUEUE_PREFIX, name)
    : new LocalImportQueue();
}
