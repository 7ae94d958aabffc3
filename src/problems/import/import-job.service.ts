import { randomUUID } from 'node:crypto';
import { supervisedRoot } from '../../org/office-scope.js';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { runInCallContext } from '../../auth/call-context.js';
import { notFound } from '../../common/domain-exception.js';
import { isUuid } from '../../engine/engine.service.js';
import { StepService } from '../../engine/step.service.js';
import { ProblemsRepository } from '../problems.repository.js';
import { newAfterCommit } from '../rectification/step-after-commit.js';
import type { CellError } from './import-columns.js';
import { ImportJobRepository, type ClaimedImportJob, type ImportJobStatus } from './import-job.repository.js';
import { ImportQueue } from './import-queue.js';
import { ImportRunner } from './import-runner.js';
import { ProblemImportService } from './problem-import.service.js';

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
  private readonly runner: ImportRunner<ClaimedImportJob>;

  constructor(
    private readonly db: DataSource,
    private readonly jobs: ImportJobRepository,
    private readonly importer: ProblemImportService,
    private readonly problems: ProblemsRepository,
    private readonly steps: StepService,
    private readonly audit: AuditService,
    queue: ImportQueue,
  ) {
    this.runner = new ImportRunner({
      name: 'import job',
      table: jobs.table,
      queue,
      work: (job, progress) => this.store(job, progress),
      rolledBack: {
        status: 'rolled_back',
        message: (n) => `导入任务所在节点已中断 ${n} 次，任务已整体撤回：台账中没有此文件的任何问题，请重新上传`,
      },
      failed: (cause) => `导入失败：${cause}；本文件未导入任何问题`,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
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
    await this.runner.add(id);
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
  run(id: string): Promise<void> {
    return this.runner.run(id);
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
        await this.jobs.table.markDone(job.id, m);
      }),
    );
    await this.steps.deliver(after);
  }
}
