import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 见效 (整改一个、销号一个、见效一个): each 回头看 records whether the struck-off problem holds and shows its effect;
 * the problem carries the day its effect was first confirmed.
 */
export class EffectCheck1796278245110 implements MigrationInterface {
  name = 'EffectCheck1796278245110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE problem ADD COLUMN effective_at timestamptz;
      CREATE INDEX problem_effective_at ON problem (effective_at) WHERE effective_at IS NOT NULL;

      CREATE TABLE problem_effect_check (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id),
        task_id uuid NOT NULL UNIQUE,
        checked_at timestamptz NOT NULL,
        checked_by text,
        rebound boolean NOT NULL,
        effective boolean NOT NULL,
        findings text NOT NULL,
        CHECK (NOT (rebound AND effective))
      );
      CREATE INDEX problem_effect_check_problem ON problem_effect_check (problem_id, checked_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE problem_effect_check;
      DROP INDEX problem_effective_at;
      ALTER TABLE problem DROP COLUMN effective_at;
    `);
  }
}
