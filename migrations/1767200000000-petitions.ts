import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 边督边改: the inspection team's complaint batches (信访件). A batch is also its own import job (the checked rows
 * wait in `drafts` until a node stores them with their processes in one transaction). Complainant name, phone and
 * address are kept for the office only; the public answers never select them.
 */
export class Petitions1767200000000 implements MigrationInterface {
  name = 'Petitions1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE petition_batch (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        title text NOT NULL,
        received_on date NOT NULL,
        assign_days int NOT NULL CHECK (assign_days BETWEEN 1 AND 30),
        close_by date NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
        rows int NOT NULL CHECK (rows >= 0),
        done int NOT NULL DEFAULT 0,
        message text,
        errors jsonb NOT NULL DEFAULT '[]',
        drafts jsonb,
        created_by uuid,
        created_by_name text,
        created_by_user jsonb,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        heartbeat_at timestamptz,
        owner text,
        attempts int NOT NULL DEFAULT 0,
        published_at timestamptz,
        published_by text
      );
      CREATE TABLE petition (
        id uuid PRIMARY KEY,
        batch_id uuid NOT NULL REFERENCES petition_batch(id),
        code text NOT NULL UNIQUE,
        row_no int,
        summary text NOT NULL,
        district text NOT NULL,
        pollution_type text NOT NULL,
        unit_code text NOT NULL,
        dedupe_key text NOT NULL,
        complainant_name text,
        complainant_phone text,
        complainant_address text,
        duplicate_of uuid REFERENCES petition(id),
        status text NOT NULL CHECK (status IN ('assigned', 'investigating', 'handling', 'reviewing', 'closed', 'duplicate')),
        verdict text CHECK (verdict IN ('属实', '部分属实', '不属实')),
        investigation text,
        evidence text,
        handling text,
        accountability text,
        ordered_rectify boolean NOT NULL DEFAULT false,
        case_filed boolean NOT NULL DEFAULT false,
        fine_wan numeric(12, 2) NOT NULL DEFAULT 0 CHECK (fine_wan >= 0),
        detained int NOT NULL DEFAULT 0 CHECK (detained >= 0),
        interviewed int NOT NULL DEFAULT 0 CHECK (interviewed >= 0),
        accountable_people int NOT NULL DEFAULT 0 CHECK (accountable_people >= 0),
        lasting_harm boolean NOT NULL DEFAULT false,
        returned_count int NOT NULL DEFAULT 0,
        review_comment text,
        problem_id uuid,
        process_instance_id uuid,
        assigned_on date NOT NULL,
        signed_at timestamptz,
        closed_at timestamptz,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX petition_batch_idx ON petition (batch_id, status);
      CREATE INDEX petition_dedupe ON petition (dedupe_key);
      CREATE INDEX petition_instance ON petition (process_instance_id);
      CREATE TABLE petition_chase (
        key text PRIMARY KEY,
        petition_id uuid NOT NULL REFERENCES petition(id),
        kind text NOT NULL CHECK (kind IN ('sign', 'close')),
        chased_at timestamptz NOT NULL
      );
      CREATE INDEX petition_chase_petition ON petition_chase (petition_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE petition_chase; DROP TABLE petition; DROP TABLE petition_batch`);
  }
}
