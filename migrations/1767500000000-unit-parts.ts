import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 配合单位分工: the plan gives each co-responsible unit its own part of a problem — its measures, its own
 * deadline (no later than the lead's), its milestones — run as a process of its own (`unit-part.bpmn`) with its
 * own escalation ladder; the lead applies for sign-off once every part is done.
 */
export class UnitParts1767500000000 implements MigrationInterface {
  name = 'UnitParts1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE problem_part (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id) ON DELETE CASCADE,
        unit_code text NOT NULL REFERENCES org_unit(code),
        measures text NOT NULL,
        deadline date NOT NULL,
        milestones jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL CHECK (status IN ('planned', 'open', 'done')),
        process_instance_id uuid,
        report text,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        done_at timestamptz,
        UNIQUE (problem_id, unit_code)
      );
      CREATE INDEX problem_part_unit ON problem_part (unit_code, status);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE problem_part`);
  }
}
