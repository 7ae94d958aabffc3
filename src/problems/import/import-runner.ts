import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { databaseUnavailableCause } from '../../common/database-unavailable.js';
import { DomainException } from '../../common/domain-exception.js';
import { returned } from '../../common/sql.js';
import type { Queryable } from '../../engine/definition.service.js';
import type { CellError } from './import-columns.js';
import type { ImportQueue } from './import-queue.js';

/** A node beats this often while it runs a job; a job whose beat is older than STALE_MS lost its node. */
const BEAT_MS = 2_000;
const STALE_MS = 20_000;
/** How often each node looks for jobs no node is working on, and how long a queued job may wait for its queue. */
const SWEEP_MS = 5_000;
const QUEUED_MS = 15_000;
/** A file whose node died this many times is rolled back rather than tried again. */
const MAX_ATTEMPTS = 3;

/** What every job row has, whatever it imports. */
export interface ClaimedJob {
  id: string;
  attempts: number;
}

/**
 * A table of background import jobs (problem_import_job, petition_batch): the columns of the claim, heartbeat
 * and end are the same in both. Heartbeats and claims use the database's clock, the same on every node.
 */
export class JobTable<J extends ClaimedJob> {
  constructor(
    private readonly db: DataSource,
    private readonly table: 'problem_import_job' | 'petition_batch',
    /** The columns a claim answers with (the job as its node runs it). */
    private readonly claimed: string,
  ) {}

  /**
   * Take the job for `owner`: a queued job, or a running one whose node stopped beating for `staleMs` (it died;
   * PostgreSQL rolled its transaction back). Null when another node holds it or it has finished.
   */
  async claim(id: string, owner: string, staleMs: number): Promise<J | null> {
    const [row] = returned<J>(
      await this.db.query(
        `UPDATE ${this.table} SET status = 'running', owner = $2, heartbeat_at = now(), attempts = attempts + 1,
           started_at = COALESCE(started_at, now()), done = 0
         WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND heartbeat_at < now() - $3 * interval '1 millisecond'))
         RETURNING ${this.claimed}`,
        [id, owner, staleMs],
      ),
    );
    return row ?? null;
  }

  /** Progress, from outside the job's transaction; a node that lost the job (taken over) writes nothing. */
  async beat(id: string, owner: string, done: number): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table} SET heartbeat_at = now(), done = $3 WHERE id = $1 AND owner = $2 AND status = 'running'`,
      [id, owner, done],
    );
  }

  /** Done, in the import's own transaction: what it stored and the job's status commit together. */
  async markDone(id: string, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE ${this.table} SET status = 'done', done = rows, finished_at = now(), drafts = NULL, errors = '[]', message = NULL WHERE id = $1`,
      [id],
    );
  }

  /** Failed or rolled back, by the node that holds the job (any node when `owner` is null); nothing was stored. */
  async markEnded(
    id: string,
    owner: string | null,
    status: 'failed' | 'rolled_back',
    message: string,
    errors: CellError[],
  ): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table} SET status = $3, message = $4, errors = $5, finished_at = now(), drafts = NULL
       WHERE id = $1 AND status IN ('queued', 'running') AND ($2::text IS NULL OR owner = $2)`,
      [id, owner, status, message, JSON.stringify(errors)],
    );
  }

  /** Jobs no node is working on: queued for a while (their queue entry was lost) or running without a heartbeat. */
  async orphans(queuedMs: number, staleMs: number, limit: number): Promise<{ id: string; attempts: number }[]> {
    return returned<{ id: string; attempts: number }>(
      await this.db.query(
        `SELECT id, attempts FROM ${this.table}
         WHERE (status = 'queued' AND created_at < now() - $1 * interval '1 millisecond')
            OR (status = 'running' AND heartbeat_at < now() - $2 * interval '1 millisecond')
         ORDER BY created_at LIMIT $3`,
        [queuedMs, staleMs, limit],
      ),
    );
  }
}

export interface ImportRunnerSpec<J extends ClaimedJob> {
  /** How the logs name a job ("import job", "petition batch"). */
  name: string;
  table: JobTable<J>;
  queue: ImportQueue;
  /** Stores the job whole in one transaction that also marks it done; `progress` hears the rows stored. */
  work: (job: J, progress: (done: number) => void) => Promise<void>;
  /** The status and message of a job whose node died MAX_ATTEMPTS times. */
  rolledBack: { status: 'failed' | 'rolled_back'; message: (attempts: number) => string };
  /** The office's message for a failure that is no DomainException. */
  failed: (cause: string) => string;
}

/**
 * Runs background imports, one runner per kind of job: a job is queued once its file is checked whole; a node
 * claims it, beats while it stores it in one transaction, and marks it failed (with every bad row) if it
 * fails. A node that dies mid-job leaves nothing stored; the job is taken over from the start by whichever
 * node sees its heartbeat stop (the queue's own redelivery, or the sweep here when the queue lost it).
 */
export class ImportRunner<J extends ClaimedJob> {
  private readonly logger = new Logger('import');
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(private readonly spec: ImportRunnerSpec<J>) {}

  async start(): Promise<void> {
    await this.spec.queue.start((id) => this.run(id));
    this.sweeper = setInterval(() => {
      if (!this.sweeping) this.sweeping = this.sweep().finally(() => (this.sweeping = null));
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
    await this.spec.queue.stop();
  }

  /** Hands a new job to the queue; a queue that is away loses nothing (the sweep runs it after QUEUED_MS). */
  async add(id: string): Promise<void> {
    await this.spec.queue
      .add(id, 1)
      .catch((e) =>
        this.logger.warn(`${this.spec.name} ${id} not queued (the sweep runs it): ${(e as Error).message}`),
      );
  }

  /** Run a delivered job, if this node can take it (queued, or its node stopped beating). */
  async run(id: string): Promise<void> {
    const { name, table } = this.spec;
    const job = await table.claim(id, this.owner, STALE_MS);
    if (!job) return;
    if (job.attempts > MAX_ATTEMPTS) {
      const { status, message } = this.spec.rolledBack;
      await table.markEnded(id, this.owner, status, message(MAX_ATTEMPTS), []);
      this.logger.error(`${name} ${id} rolled back after ${MAX_ATTEMPTS} attempts`);
      return;
    }
    if (job.attempts > 1)
      this.logger.warn(`${name} ${id}: taken over from the start (attempt ${job.attempts}); nothing of it was stored`);
    let done = 0;
    let beating: Promise<void> | null = null;
    const beat = setInterval(() => {
      if (!beating)
        beating = table
          .beat(id, this.owner, done)
          .catch((e) => this.logger.warn(`${name} ${id} heartbeat: ${(e as Error).message}`))
          .finally(() => (beating = null));
    }, BEAT_MS);
    try {
      await this.spec.work(job, (n) => (done = n));
      this.logger.log(`${name} ${id}: stored`);
    } catch (err) {
      if (databaseUnavailableCause(err)) {
        // Nothing committed; the job keeps its status and is taken over once its heartbeat is stale.
        this.logger.warn(`${name} ${id}: the database went away mid-job; it is run again from the start`);
        return;
      }
      const refusal =
        err instanceof DomainException
          ? err
          : new DomainException('IMPORT_FAILED', 500, this.spec.failed((err as Error).message));
      const errors = Array.isArray(refusal.details?.errors) ? (refusal.details.errors as CellError[]) : [];
      await table.markEnded(id, this.owner, 'failed', refusal.message, errors);
      this.logger.warn(`${name} ${id} failed: ${refusal.message}`);
    } finally {
      clearInterval(beat);
      await beating;
    }
  }

  /** Jobs whose queue entry or node was lost, handed to the queue again (the claim keeps it to one node). */
  private async sweep(): Promise<void> {
    try {
      for (const job of await this.spec.table.orphans(QUEUED_MS, STALE_MS, 10))
        await this.spec.queue.add(job.id, job.attempts + 1);
    } catch (e) {
      this.logger.warn(`${this.spec.name} sweep: ${(e as Error).message}`);
    }
  }
}
