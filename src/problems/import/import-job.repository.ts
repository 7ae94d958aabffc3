import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../auth/auth-user.js';
import { returned } from '../../common/sql.js';
import type { CellError } from './import-columns.js';
import { JobTable } from './import-runner.js';
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
  /** The claims, heartbeats and ends every import job table shares. */
  readonly table: JobTable<ClaimedImportJob>;

  constructor(private readonly db: DataSource) {
    this.table = new JobTable(db, 'problem_import_job', `${COLS}, drafts, created_by_user, owner`);
  }

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
}
