import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts (sign-in, roles, lockout) and the audit trail. The trail is append-only: a trigger refuses
 * UPDATE, DELETE and TRUNCATE (PGlite has no roles to revoke them from, and the trigger works on both).
 * `seq` is given by the appender under the chain lock, not by a sequence: a rolled-back append would leave
 * a gap in a sequence, and a gap is how the verification recognises a removed entry.
 */
export class AuthAudit1764600000000 implements MigrationInterface {
  name = 'AuthAudit1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9._@-]{3,64}$'),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'office', 'leader', 'inspector', 'unit')),
        person_id uuid REFERENCES org_person(id),
        unit_code text REFERENCES org_unit(code),
        disabled boolean NOT NULL DEFAULT false,
        failed_attempts int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL,
        CHECK (role <> 'unit' OR unit_code IS NOT NULL)
      );
      CREATE TABLE audit_entry (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        id uuid NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        actor_name text,
        action text NOT NULL,
        entity_type text,
        entity_id text,
        problem_id uuid,
        before jsonb,
        after jsonb,
        details jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
      CREATE INDEX audit_entry_problem ON audit_entry (problem_id, seq) WHERE problem_id IS NOT NULL;
      CREATE INDEX audit_entry_entity ON audit_entry (entity_type, entity_id);
      CREATE INDEX audit_entry_at ON audit_entry (at);
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
      CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_entry; DROP FUNCTION audit_entry_append_only(); DROP TABLE account;`);
  }
}
