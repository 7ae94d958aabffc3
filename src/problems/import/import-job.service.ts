import { randomUUID } from 'node:crypto';
import { supervisedRoot } from '../../org/office-scope.js';
import { hostname } from 'node:os';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { runInCallContext } from '../../auth/call-context.js';
import { databaseUnavailableCause } from '../../common/database-unavailable.js';
import { DomainException, notFound } from '../../common/domain-exception.js';
import { isUuid } from '../../engine/engine.service.js';
import { StepService } from '../../engine/step.service.js';
import { ProblemsRepository } from '../problems.repository.js';
import { newAfterCommit } from '../rectification/step-after-commit.js';
import type { CellError } from './import-columns.js';
import { ImportJobRepository, type ClaimedImportJob, type ImportJobStatus } from './import-job.repository.js';
import { ImportQueue } from './import-queue.js';
import { ProblemImportService } from './problem-import.service.js';

/** A node beats this often while it runs a job; a job whose beat is older than STALE_MS lost its node. */
const BEAT_MS = 2_000;
const STALE_MS = 20_000;
/** How often each node looks for jobs no node is working on, and how long a queued job may wait for its queue. */
const SWEEP_MS = 5_000;
const QUEUED_MS = 15_000;
/** A file whose node died this many times is rolled back rather than tried again. */
const MAX_ATTEMPTS = 3;

export interface ImportJobView {
  id: string;
  status: ImportJobStatus;
  rows: number;
  done: number;
  errors: CellError[];
  message: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  problems?: { id: string; code: string; title: string; processInstanceId: string | null }[];
}

/**
 * 交办 in the background: the upload is checked whole (all or nothing, every bad cell named) and answered with a
 * job; a node then stores the file and starts its processes in one transaction that also marks the job done.
 * A node that dies mid-job leaves nothing in the ledger; the job is taken over from the start by whichever
 * node sees its heartbeat stop (the queue's own redelivery, or the sweep here when the queue lost it).
 */
@Injectable()
export class ImportJobService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('import');
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly jobs: ImportJobRepository,
    private readonly importer: ProblemImportService,
    private readonly problems: ProblemsRepository,
    private readonly steps: StepService,
    private readonly audit: AuditService,
    private readonly queue: ImportQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start((id) => this.run(id));
    this.sweeper = setInterval(() => {
      if (!this.sweeping) this.sweeping = this.sweep().finally(() => (this.sweeping = null));
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
    await this.queue.stop();
  }

  /** Checked whole before it is accepted: a bad file is refused here (422 with every bad cell), never as a job. */
  async submit(
    file: Buffer,
    source: string | null,
    user: AuthUser,
  ): Promise<{ jobId: string; rows: number; statusUrl: string; warnings: CellError[] }> {
    // 分级督办: an office of a lower level imports for its own subtree.
    const drafts = await this.importer.check(file, source, supervisedRoot(user));
    await this.importer.deployed();
    const id = randomUUID();
    await this.jobs.insert({ id, rows: drafts.length, source: source?.trim() || null, drafts, user });
    // A queue that is away loses nothing: the sweep hands the job over once it has waited QUEUED_MS.
    await this.queue
      .add(id, 1)
      .catch((e) => this.logger.warn(`import job ${id} not queued (the sweep runs it): ${(e as Error).message}`));
    return {
      jobId: id,
      rows: drafts.length,
      statusUrl: `/api/problems/import/jobs/${id}`,
      warnings: drafts.flatMap((d) => d.warnings),
    };
  }

  /** Only the account that uploaded the file (and admin) reads its job; anyone else is told there is none. */
  async get(id: string, user: AuthUser): Promise<ImportJobView> {
    const job = isUuid(id) ? await this.jobs.find(id) : null;
    if (!job || (user.role !== 'admin' && job.created_by !== user.accountId)) throw notFound('import job', id);
    const view: ImportJobView = {
      id: job.id,
      status: job.status,
      rows: job.rows,
      done: job.done,
      errors: job.errors,
      message: job.message,
      createdAt: job.created_at,
      startedAt: job.started_at,
      finishedAt: job.finished_at,
    };
    if (job.status === 'done') {
      view.problems = (await this.problems.findByImport(job.id)).map((p) => ({
        id: p.id,
        code: p.code,
        title: p.title,
        processInstanceId: p.process_instance_id,
      }));
    }
    return view;
  }

  /** Run a delivered job, if this node can take it (queued, or its node stopped beating). */
  async run(id: string): Promise<void> {
    const job = await this.jobs.claim(id, this.owner, STALE_MS);
    if (!job) return;
    if (job.attempts > MAX_ATTEMPTS) {
      const message = `导入任务所在节点已中断 ${MAX_ATTEMPTS} 次，任务已整体撤回：台账中没有此文件的任何问题，请重新上传`;
      await this.jobs.markEnded(id, this.owner, 'rolled_back', message, []);
      this.logger.error(`import job ${id} rolled back after ${MAX_ATTEMPTS} attempts`);
      return;
    }
    if (job.attempts > 1)
      this.logger.warn(
        `import job ${id}: taken over from the start (attempt ${job.attempts}); nothing of it was stored before`,
      );
    let done = 0;
    let beating: Promise<void> | null = null;
    const beat = setInterval(() => {
      if (!beating)
        beating = this.jobs
          .beat(id, this.owner, done)
          .catch((e) => this.logger.warn(`import job ${id} heartbeat: ${(e as Error).message}`))
          .finally(() => (beating = null));
    }, BEAT_MS);
    try {
      await this.store(job, (n) => (done = n));
      this.logger.log(`import job ${id}: ${job.rows} problems assigned`);
    } catch (err) {
      if (databaseUnavailableCause(err)) {
        // Nothing committed; the job keeps its status and is taken over once its heartbeat is stale.
        this.logger.warn(`import job ${id}: the database went away mid-job; it is run again from the start`);
        return;
      }
      const refusal =
        err instanceof DomainException
          ? err
          : new DomainException('IMPORT_FAILED', 500, `导入失败：${(err as Error).message}；本文件未导入任何问题`);
      const errors = Array.isArray(refusal.details?.errors) ? (refusal.details.errors as CellError[]) : [];
      await this.jobs.markEnded(id, this.owner, 'failed', refusal.message, errors);
      this.logger.warn(`import job ${id} failed: ${refusal.message}`);
    } finally {
      clearInterval(beat);
      await beating;
    }
  }

  /**
   * The whole file in one transaction, run for its uploader (the trail names them): problems, processes, one
   * trail entry per problem and the job marked done commit together or not at all.
   */
  private async store(job: ClaimedImportJob, progress: (done: number) => void): Promise<void> {
    const def = await this.importer.deployed();
    const after = newAfterCommit();
    const user = job.created_by_user;
    const by = { actor: user.accountId, actorName: user.username };
    await runInCallContext({ kind: 'request', user }, () =>
      this.db.transaction(async (m) => {
        const ids = new Map<string, string>();
        await this.importer.store(m, job.drafts, def, job.id, after, progress, (code, id) => ids.set(code, id));
        await this.audit.recordMany(
          [
            {
              ...by,
              action: 'problems.imported',
              entityType: 'import',
              entityId: job.id,
              details: { count: job.drafts.length, source: job.source },
            },
            ...job.drafts.map((d) => ({
              ...by,
              action: 'problem.imported',
              entityType: 'problem',
              entityId: ids.get(d.code),
              problemId: ids.get(d.code),
              after: {
                code: d.code,
                title: d.title,
                leadUnit: d.leadUnit,
                responsibleUnits: d.responsibleUnits,
                deadline: d.deadline,
              },
              details: { importId: job.id },
            })),
          ],
          m,
        );
        await this.jobs.markDone(job.id, m);
      }),
    );
    await this.steps.deliver(after);
  }

  /** Jobs whose queue entry or node was lost, handed to the queue again (the claim keeps it to one node). */
  private async sweep(): Promise<void> {
    try {
      const ids = await this.jobs.orphans(QUEUED_MS, STALE_MS, 10);
      for (const id of ids) {
        const job = await this.jobs.find(id);
        if (job) await this.queue.add(id, job.attempts + 1);
      }
    } catch (e) {
      this.logger.warn(`import sweep: ${(e as Error).message}`);
    }
  }
}
