import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supervision (督办): every action the escalation ladder and the office take against a problem (reminders,
 * 督办单, 通报, 约谈, 专项督察, 追责, 延期), their document numbers, the ladder's thresholds, and the
 * accountability register (追责记录).
 */
export class Supervision1764800000000 implements MigrationInterface {
  name = 'Supervision1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervision_action (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id) ON DELETE CASCADE,
        unit_code text NOT NULL REFERENCES org_unit(code),
        person_id uuid REFERENCES org_person(id),
        type text NOT NULL CHECK (type IN ('reminder', 'urge', 'notice', 'bulletin', 'interview', 'inspection', 'accountability', 'extension')),
        status text NOT NULL,
        title text NOT NULL,
        body jsonb NOT NULL DEFAULT '{}',
        deadline date,
        issued_at timestamptz NOT NULL,
        closed_at timestamptz,
        process_instance_id uuid,
        document_no text UNIQUE,
        dedupe_key text UNIQUE,
        seq bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX supervision_action_problem ON supervision_action (problem_id, issued_at);
      CREATE INDEX supervision_action_unit ON supervision_action (unit_code, issued_at);
      CREATE INDEX supervision_action_type ON supervision_action (type, issued_at);
      CREATE INDEX supervision_action_instance ON supervision_action (process_instance_id) WHERE process_instance_id IS NOT NULL;

      CREATE TABLE supervision_document_seq (
        type text NOT NULL,
        year int NOT NULL,
        last int NOT NULL,
        PRIMARY KEY (type, year)
      );

      CREATE TABLE supervision_setting (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO supervision_setting (key, value) VALUES
        ('remindBefore', '5'), ('bulletinAfter', '10'), ('interviewAfter', '20'), ('inspectionAfter', '30'), ('monthlyReportDay', '25');

      CREATE TABLE accountability_record (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id) ON DELETE CASCADE,
        unit_code text NOT NULL REFERENCES org_unit(code),
        person_id uuid REFERENCES org_person(id),
        person_name text,
        measure text NOT NULL,
        reason text,
        decided_at timestamptz NOT NULL,
        action_id uuid NOT NULL REFERENCES supervision_action(id) ON DELETE CASCADE,
        process_instance_id uuid
      );
      CREATE INDEX accountability_record_problem ON accountability_record (problem_id);
      CREATE INDEX accountability_record_unit ON accountability_record (unit_code, decided_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE accountability_record; DROP TABLE supervision_setting; DROP TABLE supervision_document_seq; DROP TABLE supervision_action;`,
    );
  }
}
