import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's 已办 view reads the tasks a person (or a unit's accounts) completed, newest first, from the
 * engine's history.
 */
export class InboxViews1767600000000 implements MigrationInterface {
  name = 'InboxViews1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX engine_history_done ON engine_history (assignee, ended_at DESC) WHERE task_id IS NOT NULL AND ended_at IS NOT NULL AND NOT canceled`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX engine_history_done`);
  }
}
