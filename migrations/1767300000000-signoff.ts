import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 验收销号 as the rules have it: the problem's responsible leader (责任领导) and the level it came from, the
 * public notice (公示) of each sign-off with the objections the public files against it, and the filing
 * (备案) of a sign-off with the level above.
 */
export class Signoff1767300000000 implements MigrationInterface {
  name = 'Signoff1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE problem ADD COLUMN responsible_leader text;
      ALTER TABLE problem ADD COLUMN source_level text;
      ALTER TABLE evidence_file ADD COLUMN category text CHECK (category IN ('photo', 'report', 'document'));
      CREATE INDEX problem_responsible_leader ON problem (responsible_leader) WHERE responsible_leader IS NOT NULL;

      CREATE TABLE signoff_notice (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id),
        instance_id uuid NOT NULL,
        notice_days int NOT NULL CHECK (notice_days BETWEEN 1 AND 30),
        started_at timestamptz NOT NULL,
        ends_on date NOT NULL,
        closed_at timestamptz,
        outcome text CHECK (outcome IN ('passed', 'objected', 'returned')),
        UNIQUE (instance_id)
      );
      CREATE INDEX signoff_notice_open ON signoff_notice (problem_id) WHERE closed_at IS NULL;

      CREATE TABLE signoff_objection (
        id uuid PRIMARY KEY,
        notice_id uuid NOT NULL REFERENCES signoff_notice(id),
        problem_id uuid NOT NULL REFERENCES problem(id),
        name text,
        contact text,
        content text NOT NULL,
        client_address text,
        created_at timestamptz NOT NULL,
        decision text CHECK (decision IN ('upheld', 'rejected')),
        decision_comment text,
        decided_by text,
        decided_at timestamptz
      );
      CREATE INDEX signoff_objection_notice ON signoff_objection (notice_id, created_at);
      CREATE INDEX signoff_objection_address ON signoff_objection (client_address, created_at);

      CREATE TABLE signoff_filing (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id),
        instance_id uuid NOT NULL UNIQUE,
        to_level text NOT NULL,
        filed_at timestamptz NOT NULL
      );
      CREATE INDEX signoff_filing_problem ON signoff_filing (problem_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE signoff_filing;
      DROP TABLE signoff_objection;
      DROP TABLE signoff_notice;
      ALTER TABLE evidence_file DROP COLUMN category;
      ALTER TABLE problem DROP COLUMN source_level;
      ALTER TABLE problem DROP COLUMN responsible_leader;
    `);
  }
}
