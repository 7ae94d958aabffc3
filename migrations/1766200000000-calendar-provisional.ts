import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The years a deadline was first computed into without the State Council's announced arrangement (a provisional
 * year, computed by rule): one row per year, so the office is told once, by whichever node computed it first.
 */
export class CalendarProvisional1766200000000 implements MigrationInterface {
  name = 'CalendarProvisional1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_provisional_use (
        year int PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),
        first_used_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_provisional_use`);
  }
}
