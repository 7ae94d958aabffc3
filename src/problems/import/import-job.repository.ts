import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../auth/auth-user.js';
import { returned } from '../../common/sql.js';
import type { Queryable } from '../../engine/definition.service.js';
import type { CellError } from './import-columns.js';
import type { ProblemDraft } from './row-rules.js';

export type ImportJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'rolled_back';

export interface ImportJobRow {
  id: string;
  status: ImportJobStatus;
  rows: number;
  done: number;
  errors: CellError[];
  message: string | null;
  source: string | null;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
}

/** A job as a node takes it over: its rows, and whom it runs for (the trail names the uploader). */
export interface ClaimedImportJob extends ImportJobRow {
  drafts: ProblemDraft[];
  created_by_user: AuthUser;
  owner: string;
}

const COLS = `id, status, rows, done, errors, message, source, created_by, created_by_name, created_at, started_at, finished_at, attempts`;

/** The import jobs (problem_import_job). Heartbeats and claims use the database's clock, the same on every node. */
@Injectable()
export class ImportJobRepository {
  constructor(private readonly db: DataSource) {}

  async insert(job: {
    id: string;
    rows: number;
    source: string | null;
    drafts: ProblemDraft[];
    user: AuthUser;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO problem_import_job (id, status, rows, source, drafts, created_by, created_by_name, created_by_user, created_at)
       VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7, now())`,
      [
        job.id,
        job.rows,
        job.source,
        JSON.stringify(job.drafts),
        job.user.accountId,
        job.user.username,
        JSON.stringify(job.user),
      ],
    );
  }

  async find(id: string): Promise<ImportJobRow | null> {
    const [row] = returned<ImportJobRow>(
      await this.db.query(`SELECT ${COLS} FROM problem_import_job WHERE id = $1`, [id]),
    );
    return row ?? null;
  }

  /**
   * Take the job for `owner`: a queued job, or a running one whose node stopped beating for `staleMs` (it died;
   * PostgreSQL rolled its transaction back). Null when another node holds it or it has finished.
   */
  async claim(id: string, owner: string, staleMs: number): Promise<ClaimedImportJob | null> {
    const [row] = returned<ClaimedImportJob>(
      await this.db.query(
        `UPDATE problem_import_job SET status = 'running', owner = $2, heartbeat_at = now(), attempts = attempts + 1,
           started_at = COALESCE(started_at, now()), done = 0
         WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND heartbeat_at < now() - $3 * interval '1 millisecond'))
         RETURNING ${COLS}, drafts, created_by_user, owner`,
        [id, owner, staleMs],
      ),
    );
    return row ?? null;
  }

  /** Progress, from outside the job's transaction; a node that lost the job (taken over) writes nothing. */
  async beat(id: string, owner: string, done: number): Promise<void> {
    await this.db.query(
      `UPDATE problem_import_job SET heartbeat_at = now(), done = $3 WHERE id = $1 AND owner = $2 AND status = 'running'`,
      [id, owner, done],
    );
  }

  /** Done, in the import's own transaction: the ledger and the job's status commit together. */
  async markDone(id: string, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE problem_import_job SET status = 'done', done = rows, finished_at = now(), drafts = NULL, errors = '[]', message = NULL WHERE id = $1`,
      [id],
    );
  }

  /** Failed or rolled back, by the node that holds the job; nothing of the file is in the ledger. */
  async markEnded(
    id: string,
    owner: string | null,
    status: 'failed' | 'rolled_back',
    message: string,
    errors: CellError[],
  ): Promise<void> {
    await this.db.query(
      `UPDATE problem_import_job SET status = $3, message = $4, errors = $5, finished_at = now(), drafts = NULL
       WHERE id = $1 AND status IN ('queued', 'running') AND ($2::text IS NULL OR owner = $2)`,
      [id, owner, status, message, JSON.stringify(errors)],
    );
  }

  /** Jobs no node is working on: queued for a while (their queue entry was lost) or running without a heartbeat. */
  async orphans(queuedMs: number, staleMs: number, limit: number): Promise<string[]> {
    const rows = returned<{ id: string }>(
      await this.db.query(
        `SELECT id FROM problem_import_job
         WHERE (status = 'queued' AND created_at < now() - $1 * interval '1 millisecond')
            OR (status = 'running' AND heartbeat_at < now() - $2 * interval '1 millisecond')
         ORDER BY created_at LIMIT $3`,
        [queuedMs, staleMs, limit],
      ),
    );
    return rows.map((r) => r.id);
  }
}
