import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports: monthly bulletins (月通报) frozen as snapshots, the monthly report requests of the monthly cycle
 * (月调度), and the plan's indicator targets with their monthly values. A published bulletin is a record:
 * a trigger refuses any UPDATE or DELETE of it, so a later change of the ledger cannot alter it.
 */
export class Reports1764900000000 implements MigrationInterface {
  name = 'Reports1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bulletin (
        month char(7) PRIMARY KEY CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        document_no text NOT NULL UNIQUE,
        as_of timestamptz NOT NULL,
        published_at timestamptz NOT NULL,
        published_by text NOT NULL,
        snapshot jsonb NOT NULL
      );
      CREATE FUNCTION bulletin_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a published bulletin is frozen: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER bulletin_no_change BEFORE UPDATE OR DELETE ON bulletin FOR EACH ROW EXECUTE FUNCTION bulletin_frozen();

      CREATE TABLE monthly_report_request (
        month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        unit_code text NOT NULL REFERENCES org_unit(code),
        problem_ids uuid[] NOT NULL,
        instance_id uuid NOT NULL,
        requested_at timestamptz NOT NULL,
        due_at timestamptz,
        chased_at timestamptz,
        PRIMARY KEY (month, unit_code)
      );

      CREATE TABLE indicator (
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,40}$'),
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        name text NOT NULL,
        unit text NOT NULL,
        target numeric NOT NULL,
        direction text NOT NULL CHECK (direction IN ('≤', '≥')),
        PRIMARY KEY (code, year)
      );
      CREATE TABLE indicator_value (
        code text NOT NULL,
        month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        value numeric NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (code, month)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE indicator_value; DROP TABLE indicator; DROP TABLE monthly_report_request;
      DROP TABLE bulletin; DROP FUNCTION bulletin_frozen();`);
  }
}
