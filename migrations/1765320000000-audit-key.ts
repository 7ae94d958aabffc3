import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A keyed audit chain: entries are linked with HMAC-SHA256 under a key the database never stores. Each session
 * of the service carries it as the setting `duban.audit_key` (hex); the chaining trigger refuses to chain
 * without it, or with a key whose fingerprint is not the trail's. `audit_chain_key` records, once, the first
 * `seq` chained with the key and the key's fingerprint: entries before it keep their plain SHA-256 links.
 *
 * hash = hmac_sha256(key, prev_hash || prefix || seq || '}'), fingerprint = the first 16 hex digits of
 * hmac_sha256(key, 'duban audit key fingerprint'), pgcrypto's hmac() (PGlite loads pgcrypto too).
 */
export class AuditKey1765320000000 implements MigrationInterface {
  name = 'AuditKey1765320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    const [{ schema }] = await q.query(
      `SELECT quote_ident(n.nspname) AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
       WHERE e.extname = 'pgcrypto'`,
    );
    await q.query(`
      CREATE TABLE audit_chain_key (
        from_seq bigint PRIMARY KEY CHECK (from_seq >= 1),
        fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{16}$'),
        algorithm text NOT NULL DEFAULT 'hmac-sha256'
      );
      CREATE UNIQUE INDEX audit_chain_key_one ON audit_chain_key ((true));
      CREATE FUNCTION audit_chain_key_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_chain_key is fixed: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_chain_key_no_update BEFORE UPDATE OR DELETE ON audit_chain_key
        FOR EACH ROW EXECUTE FUNCTION audit_chain_key_fixed();
      CREATE TRIGGER audit_chain_key_no_truncate BEFORE TRUNCATE ON audit_chain_key
        FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_key_fixed();

      CREATE OR REPLACE FUNCTION audit_chain_pending() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        h_seq bigint;
        h_hash text;
        r jsonb;
        next_hash text;
        key_hex text := current_setting('duban.audit_key', true);
        k bytea;
        fp text;
        k_from bigint;
        k_fp text;
      BEGIN
        IF NEW.ord <= COALESCE(NULLIF(current_setting('duban.audit_chained_to', true), '')::bigint, 0) THEN
          RETURN NULL;
        END IF;
        IF key_hex IS NULL OR key_hex !~ '^([0-9a-f]{2}){32,}$' THEN
          RAISE EXCEPTION 'the audit key (duban.audit_key) is not set on this session: %',
            'the audit trail cannot be extended' USING ERRCODE = 'insufficient_privilege';
        END IF;
        k := decode(key_hex, 'hex');
        fp := substr(encode(${schema}.hmac(convert_to('duban audit key fingerprint', 'UTF8'), k, 'sha256'), 'hex'),
                     1, 16);
        -- The same key on every node: appends form one line.
        PERFORM pg_advisory_xact_lock(7210441906);
        -- A statement after the lock: its snapshot sees what the previous holder committed.
        SELECT seq, hash INTO h_seq, h_hash FROM audit_entry ORDER BY seq DESC LIMIT 1;
        IF h_seq IS NULL THEN
          h_seq := 0;
          h_hash := repeat('0', 64);
        END IF;
        SELECT from_seq, fingerprint INTO k_from, k_fp FROM audit_chain_key;
        IF k_from IS NULL THEN
          INSERT INTO audit_chain_key (from_seq, fingerprint) VALUES (h_seq + 1, fp);
        ELSIF k_fp <> fp THEN
          RAISE EXCEPTION 'the audit key of this session (fingerprint %) is not the key of the audit trail %',
            fp, format('(fingerprint %s)', k_fp) USING ERRCODE = 'insufficient_privilege';
        END IF;
        FOR r IN SELECT entry FROM audit_pending WHERE tx = txid_current() ORDER BY ord LOOP
          h_seq := h_seq + 1;
          next_hash := encode(
            ${schema}.hmac(convert_to(h_hash || (r->>'prefix') || h_seq::text || '}', 'UTF8'), k, 'sha256'), 'hex');
          INSERT INTO audit_entry (seq, id, at, actor, actor_name, action, entity_type, entity_id, problem_id,
                                   before, after, details, prev_hash, hash)
          VALUES (h_seq, (r->>'id')::uuid, (r->>'at')::timestamptz, r->>'actor', r->>'actorName', r->>'action',
                  r->>'entityType', r->>'entityId', (r->>'problemId')::uuid, NULLIF(r->'before', 'null'::jsonb),
                  NULLIF(r->'after', 'null'::jsonb), NULLIF(r->'details', 'null'::jsonb), h_hash, next_hash);
          h_hash := next_hash;
        END LOOP;
        PERFORM set_config('duban.audit_chained_to',
                           (SELECT max(ord) FROM audit_pending WHERE tx = txid_current())::text, true);
        DELETE FROM audit_pending WHERE tx = txid_current();
        RETURN NULL;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to plain SHA-256 links (as 1765100000000 chains them); the keyed entries no longer verify.
    await q.query(`
      DROP TABLE audit_chain_key;
      DROP FUNCTION audit_chain_key_fixed();
      CREATE OR REPLACE FUNCTION audit_chain_pending() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        h_seq bigint;
        h_hash text;
        r jsonb;
        next_hash text;
      BEGIN
        IF NEW.ord <= COALESCE(NULLIF(current_setting('duban.audit_chained_to', true), '')::bigint, 0) THEN
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(7210441906);
        SELECT seq, hash INTO h_seq, h_hash FROM audit_entry ORDER BY seq DESC LIMIT 1;
        IF h_seq IS NULL THEN
          h_seq := 0;
          h_hash := repeat('0', 64);
        END IF;
        FOR r IN SELECT entry FROM audit_pending WHERE tx = txid_current() ORDER BY ord LOOP
          h_seq := h_seq + 1;
          next_hash := encode(sha256(convert_to(h_hash || (r->>'prefix') || h_seq::text || '}', 'UTF8')), 'hex');
          INSERT INTO audit_entry (seq, id, at, actor, actor_name, action, entity_type, entity_id, problem_id,
                                   before, after, details, prev_hash, hash)
          VALUES (h_seq, (r->>'id')::uuid, (r->>'at')::timestamptz, r->>'actor', r->>'actorName', r->>'action',
                  r->>'entityType', r->>'entityId', (r->>'problemId')::uuid, NULLIF(r->'before', 'null'::jsonb),
                  NULLIF(r->'after', 'null'::jsonb), NULLIF(r->'details', 'null'::jsonb), h_hash, next_hash);
          h_hash := next_hash;
        END LOOP;
        PERFORM set_config('duban.audit_chained_to',
                           (SELECT max(ord) FROM audit_pending WHERE tx = txid_current())::text, true);
        DELETE FROM audit_pending WHERE tx = txid_current();
        RETURN NULL;
      END $$;
    `);
  }
}
