import { MigrationInterface, QueryRunner } from 'typeorm';

/** The working-day calendar: years with data, their listed days, and the log of office changes. */
export class Calendar1764400000000 implements MigrationInterface {
  name = 'Calendar1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_year (
        year int PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),
        source text NOT NULL CHECK (source IN ('chinese-days', 'office')),
        updated_at timestamptz NOT NULL,
        note text
      );
      CREATE TABLE calendar_day (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name text,
        year int NOT NULL REFERENCES calendar_year(year),
        CHECK (extract(year FROM date)::int = year)
      );
      CREATE INDEX calendar_day_year ON calendar_day (year);
      CREATE TABLE calendar_change_log (
        id bigserial PRIMARY KEY,
        year int NOT NULL,
        note text,
        changed_at timestamptz NOT NULL,
        timers_moved int NOT NULL DEFAULT 0,
        tasks_moved int NOT NULL DEFAULT 0,
        details jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX calendar_change_log_year ON calendar_change_log (year, changed_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_change_log, calendar_day, calendar_year`);
  }
}
