import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rungs the office adds to the escalation ladder in the modeler issue a `document` of the kind the rung names
 * (挂牌督办, 媒体曝光…), numbered in a sequence of its own per kind and year. A monthly 督办单 is one document
 * per unit listing its problems: one number, one action row per problem (a number is unique per problem).
 */
export class LadderDocuments1766100000000 implements MigrationInterface {
  name = 'LadderDocuments1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE supervision_action DROP CONSTRAINT supervision_action_type_check;
      ALTER TABLE supervision_action ADD CONSTRAINT supervision_action_type_check
        CHECK (type IN ('reminder', 'urge', 'notice', 'bulletin', 'interview', 'inspection', 'accountability', 'extension', 'document'));
      ALTER TABLE supervision_action DROP CONSTRAINT supervision_action_document_no_key;
      CREATE UNIQUE INDEX supervision_action_document_no_problem ON supervision_action (document_no, problem_id) WHERE document_no IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM supervision_action WHERE type = 'document';
      DROP INDEX supervision_action_document_no_problem;
      ALTER TABLE supervision_action ADD CONSTRAINT supervision_action_document_no_key UNIQUE (document_no);
      ALTER TABLE supervision_action DROP CONSTRAINT supervision_action_type_check;
      ALTER TABLE supervision_action ADD CONSTRAINT supervision_action_type_check
        CHECK (type IN ('reminder', 'urge', 'notice', 'bulletin', 'interview', 'inspection', 'accountability', 'extension'));
    `);
  }
}
