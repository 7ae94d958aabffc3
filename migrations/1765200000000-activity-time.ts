import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The review's time per step without reading the whole history: every ended (not cancelled) history row
 * adds its count and duration to a delta row as it ends (a trigger, in the ending step's transaction, with
 * no row shared between steps); the deltas are folded into one row per activity now and then. The time
 * per step is the rollup plus the deltas not folded yet, always exact.
 */
export class ActivityTime1765200000000 implements MigrationInterface {
  name = 'ActivityTime1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_activity_time (
        definition_id text NOT NULL,
        activity_id text NOT NULL,
        ended bigint NOT NULL,
        total_ms float8 NOT NULL,
        PRIMARY KEY (definition_id, activity_id)
      );
      CREATE TABLE engine_activity_time_delta (
        id bigserial PRIMARY KEY,
        definition_id text NOT NULL,
        activity_id text NOT NULL,
        ended int NOT NULL,
        total_ms float8 NOT NULL
      );
      CREATE INDEX engine_activity_time_delta_definition ON engine_activity_time_delta (definition_id);

      INSERT INTO engine_activity_time (definition_id, activity_id, ended, total_ms)
      SELECT definition_id, activity_id, count(*), coalesce(sum(extract(epoch FROM ended_at - started_at) * 1000), 0)
      FROM engine_history WHERE ended_at IS NOT NULL AND NOT canceled GROUP BY definition_id, activity_id;

      CREATE FUNCTION engine_activity_time_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.ended_at IS NOT NULL AND NOT OLD.canceled THEN
          INSERT INTO engine_activity_time_delta (definition_id, activity_id, ended, total_ms)
          VALUES (OLD.definition_id, OLD.activity_id, -1, -extract(epoch FROM OLD.ended_at - OLD.started_at) * 1000);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.ended_at IS NOT NULL AND NOT NEW.canceled THEN
          INSERT INTO engine_activity_time_delta (definition_id, activity_id, ended, total_ms)
          VALUES (NEW.definition_id, NEW.activity_id, 1, extract(epoch FROM NEW.ended_at - NEW.started_at) * 1000);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER engine_history_activity_time AFTER INSERT OR DELETE OR UPDATE OF ended_at, canceled, started_at ON engine_history
        FOR EACH ROW EXECUTE FUNCTION engine_activity_time_track();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER engine_history_activity_time ON engine_history;
      DROP FUNCTION engine_activity_time_track();
      DROP TABLE engine_activity_time_delta;
      DROP TABLE engine_activity_time;
    `);
  }
}
