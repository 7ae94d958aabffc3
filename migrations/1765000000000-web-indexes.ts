import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The review (挂图作战) aggregates: open tasks per step with what the counts read (instance, due), and the
 * ended history rows per activity with their times, so both are answered from the indexes alone.
 */
export class WebIndexes1765000000000 implements MigrationInterface {
  name = 'WebIndexes1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX engine_task_review ON engine_task (definition_key, activity_id) INCLUDE (instance_id, business_key, due_at);
      CREATE INDEX engine_history_ended ON engine_history (definition_id, activity_id) INCLUDE (instance_id, started_at, ended_at)
        WHERE ended_at IS NOT NULL AND NOT canceled;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX engine_history_ended; DROP INDEX engine_task_review;`);
  }
}
