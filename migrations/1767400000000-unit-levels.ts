import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Levels (省、市、县、乡镇): a unit's level (none for a department, which belongs to its parent's level); an office
 * account's own office unit, whose subtree it supervises; a problem split from a higher one (拆分下达); and the
 * 备案 of a child problem's sign-off, filed up to its parent.
 */
export class UnitLevels1767400000000 implements MigrationInterface {
  name = 'UnitLevels1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE org_unit ADD COLUMN level text CHECK (level IN ('province', 'city', 'county', 'town'));
      ALTER TABLE problem ADD COLUMN parent_problem_id uuid REFERENCES problem(id);
      CREATE INDEX problem_parent ON problem (parent_problem_id) WHERE parent_problem_id IS NOT NULL;
      CREATE TABLE problem_filing (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL UNIQUE REFERENCES problem(id),
        parent_problem_id uuid NOT NULL REFERENCES problem(id),
        unit_code text NOT NULL REFERENCES org_unit(code),
        signed_off_at timestamptz NOT NULL,
        filed_at timestamptz NOT NULL
      );
      CREATE INDEX problem_filing_parent ON problem_filing (parent_problem_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE problem_filing;
      DROP INDEX problem_parent;
      ALTER TABLE problem DROP COLUMN parent_problem_id;
      ALTER TABLE org_unit DROP COLUMN level;
    `);
  }
}
