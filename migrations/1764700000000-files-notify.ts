import { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence files (佐证材料) and notifications: channels, the outbox, in-app read marks. */
export class FilesNotify1764700000000 implements MigrationInterface {
  name = 'FilesNotify1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence_file (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL REFERENCES problem(id),
        task_id uuid,
        name text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        sha256 char(64) NOT NULL,
        content_type text NOT NULL,
        type text NOT NULL,
        note text,
        uploader_account text NOT NULL,
        uploader_name text,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX evidence_file_problem ON evidence_file (problem_id, created_at);
      CREATE INDEX evidence_file_task ON evidence_file (task_id) WHERE task_id IS NOT NULL;

      CREATE TABLE notify_channel (
        id uuid PRIMARY KEY,
        owner_type text NOT NULL CHECK (owner_type IN ('unit', 'person', 'role')),
        owner_code text,
        owner_id uuid REFERENCES org_person(id),
        kind text NOT NULL CHECK (kind IN ('email', 'wecom', 'dingtalk', 'inapp')),
        target text,
        secret text,
        label text,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        CHECK ((owner_type = 'person') = (owner_id IS NOT NULL)),
        CHECK ((owner_type = 'person') = (owner_code IS NULL))
      );
      CREATE INDEX notify_channel_code ON notify_channel (owner_type, owner_code) WHERE enabled;
      CREATE INDEX notify_channel_person ON notify_channel (owner_id) WHERE enabled;

      CREATE TABLE notify_outbox (
        id uuid PRIMARY KEY,
        event_key text NOT NULL,
        event_kind text NOT NULL,
        channel_id uuid NOT NULL REFERENCES notify_channel(id),
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        claim uuid,
        last_error text,
        last_attempt_at timestamptz,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        UNIQUE (event_key, channel_id)
      );
      CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
      CREATE INDEX notify_outbox_channel ON notify_outbox (channel_id, status);

      CREATE TABLE notify_read (
        outbox_id uuid NOT NULL REFERENCES notify_outbox(id) ON DELETE CASCADE,
        account_id text NOT NULL,
        read_at timestamptz NOT NULL,
        PRIMARY KEY (outbox_id, account_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notify_read, notify_outbox, notify_channel, evidence_file`);
  }
}
