import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appending to the trail in one call: take the chain's lock, read its head, chain and insert the entries.
 * The caller hashes everything but the sequence number (the canonical JSON of an entry ends with its
 * `"seq":` key, the last in key order); the function completes each with its number and links it to the
 * one before. The lock is then held for the function and the COMMIT that follows it at once, not for
 * round trips to a busy service node.
 */
export class AuditAppend1765100000000 implements MigrationInterface {
  name = 'AuditAppend1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_append(p_lock bigint, p_rows jsonb) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        h_seq bigint;
        h_hash text;
        r jsonb;
        next_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(p_lock);
        -- A statement after the lock: its snapshot sees what the previous holder committed.
        SELECT seq, hash INTO h_seq, h_hash FROM audit_entry ORDER BY seq DESC LIMIT 1;
        IF h_seq IS NULL THEN
          h_seq := 0;
          h_hash := repeat('0', 64);
        END IF;
        FOR r IN SELECT value FROM jsonb_array_elements(p_rows) LOOP
          h_seq := h_seq + 1;
          next_hash := encode(sha256(convert_to(h_hash || (r->>'prefix') || h_seq::text || '}', 'UTF8')), 'hex');
          INSERT INTO audit_entry (seq, id, at, actor, actor_name, action, entity_type, entity_id, problem_id, before, after, details, prev_hash, hash)
          VALUES (h_seq, (r->>'id')::uuid, (r->>'at')::timestamptz, r->>'actor', r->>'actorName', r->>'action', r->>'entityType', r->>'entityId',
                  (r->>'problemId')::uuid, NULLIF(r->'before', 'null'::jsonb), NULLIF(r->'after', 'null'::jsonb), NULLIF(r->'details', 'null'::jsonb),
                  h_hash, next_hash);
          h_hash := next_hash;
        END LOOP;
        RETURN h_seq;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_append(bigint, jsonb);`);
  }
}
