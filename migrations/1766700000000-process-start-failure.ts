import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A process that could not start (the escalation ladder at assignment): the assignment goes on, and the failure
 * is kept here so that the office sees it among the incidents, with its reason and a retry that starts it.
 */
export class ProcessStartFailure1766700000000 implements MigrationInterface {
  name = 'ProcessStartFailure1766700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE process_start_failure (
        id uuid PRIMARY KEY,
        definition_key text NOT NULL,
        business_key text NOT NULL,
        message text NOT NULL,
        created_at timestamptz NOT NULL,
        resolved_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX process_start_failure_open ON process_start_failure (definition_key, business_key) WHERE resolved_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE process_start_failure`);
  }
}
