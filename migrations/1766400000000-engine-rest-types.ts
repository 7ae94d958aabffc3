import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Camunda's variable types kept beside the values (a small Long stays Long, a Date stays Date, an Object keeps its
 * objectTypeName), a task's owner and delegation state, local variables of activities (kept for history, as
 * Camunda drops them from the runtime when the activity ends), and task comments (kept after the task ends).
 */
export class EngineRestTypes1766400000000 implements MigrationInterface {
  name = 'EngineRestTypes1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE engine_instance ADD COLUMN variable_types jsonb NOT NULL DEFAULT '{}';
      ALTER TABLE engine_task ADD COLUMN owner text, ADD COLUMN delegation_state text;
      CREATE TABLE engine_local_variable (
        instance_id uuid NOT NULL REFERENCES engine_instance(id) ON DELETE CASCADE,
        execution_id text NOT NULL,
        activity_id text NOT NULL,
        task_id uuid,
        name text NOT NULL,
        value jsonb NOT NULL,
        type text NOT NULL,
        value_info jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        PRIMARY KEY (instance_id, execution_id, name)
      );
      CREATE TABLE engine_task_comment (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL,
        instance_id uuid REFERENCES engine_instance(id) ON DELETE CASCADE,
        user_id text,
        message text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX engine_task_comment_task ON engine_task_comment (task_id, created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE engine_task_comment, engine_local_variable;
      ALTER TABLE engine_task DROP COLUMN owner, DROP COLUMN delegation_state;
      ALTER TABLE engine_instance DROP COLUMN variable_types;
    `);
  }
}
