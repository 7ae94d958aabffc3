import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chaining the trail at COMMIT: entries recorded in a transaction wait in `audit_pending`; a deferred
 * constraint trigger, run by PostgreSQL as the transaction commits, takes the chain's lock, reads its head,
 * numbers, links and hashes the transaction's entries into `audit_entry`. The lock is held from there to the
 * end of the commit only, never across a round trip to a busy service node, and a rollback (of the whole
 * transaction or a savepoint) takes its entries with it.
 *
 * The service hashes everything but the sequence number (an entry's canonical JSON ends with its `"seq":`
 * key, the last in key order); the trigger completes it: hash = sha256(prev_hash || prefix || seq || '}').
 */
export class AuditAppend1765100000000 implements MigrationInterface {
  name = 'AuditAppend1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE audit_pending (
        ord bigserial PRIMARY KEY,
        tx bigint NOT NULL DEFAULT txid_current(),
        entry jsonb NOT NULL
      );
      CREATE INDEX audit_pending_tx ON audit_pending (tx, ord);

      CREATE FUNCTION audit_chain_pending() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        h_seq bigint;
        h_hash text;
        r jsonb;
        next_hash text;
      BEGIN
        -- One firing per pending row: the first chains all of the transaction's, the others return at once
        -- (a transaction-local mark of the last row chained, not a probe of rows this one deleted).
        IF NEW.ord <= COALESCE(NULLIF(current_setting('duban.audit_chained_to', true), '')::bigint, 0) THEN
          RETURN NULL;
        END IF;
        -- The same key on every node: appends form one line.
        PERFORM pg_advisory_xact_lock(7210441906);
        -- A statement after the lock: its snapshot sees what the previous holder committed.
        SELECT seq, hash INTO h_seq, h_hash FROM audit_entry ORDER BY seq DESC LIMIT 1;
        IF h_seq IS NULL THEN
          h_seq := 0;
          h_hash := repeat('0', 64);
        END IF;
        FOR r IN SELECT entry FROM audit_pending WHERE tx = txid_current() ORDER BY ord LOOP
          h_seq := h_seq + 1;
          next_hash := encode(sha256(convert_to(h_hash || (r->>'prefix') || h_seq::text || '}', 'UTF8')), 'hex');
          INSERT INTO audit_entry (seq, id, at, actor, actor_name, action, entity_type, entity_id, problem_id, before, after, details, prev_hash, hash)
          VALUES (h_seq, (r->>'id')::uuid, (r->>'at')::timestamptz, r->>'actor', r->>'actorName', r->>'action', r->>'entityType', r->>'entityId',
                  (r->>'problemId')::uuid, NULLIF(r->'before', 'null'::jsonb), NULLIF(r->'after', 'null'::jsonb), NULLIF(r->'details', 'null'::jsonb),
                  h_hash, next_hash);
          h_hash := next_hash;
        END LOOP;
        PERFORM set_config('duban.audit_chained_to', (SELECT max(ord) FROM audit_pending WHERE tx = txid_current())::text, true);
        DELETE FROM audit_pending WHERE tx = txid_current();
        RETURN NULL;
      END $$;

      CREATE CONSTRAINT TRIGGER audit_pending_chain AFTER INSERT ON audit_pending
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_pending();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_pending; DROP FUNCTION audit_chain_pending();`);
  }
}
