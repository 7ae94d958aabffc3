import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 交办 as a background job: the checked rows wait here until a node runs the whole file in one transaction, which
 * also marks the job done, so the ledger holds all of a file or none of it. A node that dies mid-job leaves its
 * transaction rolled back by PostgreSQL and its heartbeat ageing; another node (or the same one restarted) takes
 * the job over from the start. `drafts` is cleared once the job has finished.
 */
export class ImportJobs1766600000000 implements MigrationInterface {
  name = 'ImportJobs1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE problem_import_job (
        id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'rolled_back')),
        rows int NOT NULL CHECK (rows >= 0),
        done int NOT NULL DEFAULT 0 CHECK (done >= 0),
        errors jsonb NOT NULL DEFAULT '[]',
        message text,
        source text,
        drafts jsonb,
        created_by uuid NOT NULL,
        created_by_name text NOT NULL,
        created_by_user jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        heartbeat_at timestamptz,
        owner text,
        attempts int NOT NULL DEFAULT 0
      );
      CREATE INDEX problem_import_job_open ON problem_import_job (status, heartbeat_at) WHERE status IN ('queued', 'running');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE problem_import_job`);
  }
}
