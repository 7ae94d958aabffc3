import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sign-in throttle in PostgreSQL, so that it holds across nodes: one row per (username, source address) and
 * one per address across names (username ''), each counting the failures of its window and the attempts being
 * checked right now, so that an attempt reserves its place before its password is hashed. The account's own
 * failure columns go: a lock per name alone let anybody lock anybody out. `token_version` ends every token of
 * an account at once when it is disabled, its password reset or its role, unit or person changed.
 */
export class SignInThrottle1765310000000 implements MigrationInterface {
  name = 'SignInThrottle1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_throttle (
        username text NOT NULL,
        address text NOT NULL,
        failures int NOT NULL DEFAULT 0 CHECK (failures >= 0),
        in_flight int NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
        reserved_at timestamptz,
        window_start timestamptz,
        locked_until timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (username, address)
      );
      CREATE INDEX login_throttle_updated ON login_throttle (updated_at);
      ALTER TABLE account ADD COLUMN token_version int NOT NULL DEFAULT 0;
      ALTER TABLE account DROP COLUMN failed_attempts, DROP COLUMN locked_until;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE account ADD COLUMN failed_attempts int NOT NULL DEFAULT 0, ADD COLUMN locked_until timestamptz;
      ALTER TABLE account DROP COLUMN token_version;
      DROP TABLE login_throttle;
    `);
  }
}
