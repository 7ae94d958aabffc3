import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rungs the office adds to the escalation ladder in the modeler issue a `document` of the kind the rung names
 * (挂牌督办, 媒体曝光…), numbered in a sequence of its own per kind and year.
 */
export class LadderDocuments1766100000000 implements MigrationInterface {
  name = 'LadderDocuments1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE supervision_action DROP CONSTRAINT supervision_action_type_check;
      ALTER TABLE supervision_action ADD CONSTRAINT supervision_action_type_check
        CHECK (type IN ('reminder', 'urge', 'notice', 'bulletin', 'interview', 'inspection', 'accountability', 'extension', 'document'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM supervision_action WHERE type = 'document';
      ALTER TABLE supervision_action DROP CONSTRAINT supervision_action_type_check;
      ALTER TABLE supervision_action ADD CONSTRAINT supervision_action_type_check
        CHECK (type IN ('reminder', 'urge', 'notice', 'bulletin', 'interview', 'inspection', 'accountability', 'extension'));
    `);
  }
}
