import { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisation (units, persons) and the problem ledger (problems, milestones, monthly progress). */
export class OrgProblems1764500000000 implements MigrationInterface {
  name = 'OrgProblems1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_unit (
        code text PRIMARY KEY,
        name text NOT NULL UNIQUE,
        parent_code text REFERENCES org_unit(code),
        created_at timestamptz NOT NULL
      );
      CREATE INDEX org_unit_parent ON org_unit (parent_code);
      CREATE TABLE org_person (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        unit_code text NOT NULL REFERENCES org_unit(code),
        role text NOT NULL CHECK (role IN ('handler', 'head')),
        phone text,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX org_person_unit ON org_person (unit_code);
      CREATE TABLE problem (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        source text,
        title text NOT NULL,
        description text,
        category text NOT NULL,
        lead_unit text NOT NULL REFERENCES org_unit(code),
        responsible_units text[] NOT NULL DEFAULT '{}',
        responsible_person text,
        deadline date NOT NULL,
        tier text NOT NULL CHECK (tier IN ('short', 'medium', 'long')),
        goal text,
        recheck_months int NOT NULL DEFAULT 6 CHECK (recheck_months BETWEEN 1 AND 120),
        status text NOT NULL CHECK (status IN ('assigned', 'planning', 'rectifying', 'applying', 'closed', 'rechecking', 'rebounded')),
        light text NOT NULL DEFAULT 'green' CHECK (light IN ('green', 'blue', 'yellow', 'red')),
        process_instance_id uuid,
        round int NOT NULL DEFAULT 1,
        previous_problem_id uuid REFERENCES problem(id),
        import_id uuid,
        created_at timestamptz NOT NULL,
        signed_off_at timestamptz,
        closed_at timestamptz,
        rechecked_at timestamptz
      );
      CREATE INDEX problem_status ON problem (status);
      CREATE INDEX problem_lead_unit ON problem (lead_unit);
      CREATE INDEX problem_responsible_units ON problem USING gin (responsible_units);
      CREATE INDEX problem_deadline ON problem (deadline);
      CREATE INDEX problem_import ON problem (import_id) WHERE import_id IS NOT NULL;
      CREATE UNIQUE INDEX problem_next_round ON problem (previous_problem_id) WHERE previous_problem_id IS NOT NULL;
      CREATE TABLE problem_milestone (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id) ON DELETE CASCADE,
        seq int NOT NULL,
        title text NOT NULL,
        due_date date NOT NULL,
        done_date date,
        UNIQUE (problem_id, seq)
      );
      CREATE TABLE problem_progress (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id) ON DELETE CASCADE,
        month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        unit_code text NOT NULL REFERENCES org_unit(code),
        text text NOT NULL,
        percent int NOT NULL CHECK (percent BETWEEN 0 AND 100),
        reported_at timestamptz NOT NULL,
        UNIQUE (problem_id, month, unit_code)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE problem_progress; DROP TABLE problem_milestone; DROP TABLE problem; DROP TABLE org_person; DROP TABLE org_unit;`,
    );
  }
}
