import { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence files (佐证材料) of a complaint (信访件), beside those of a problem: each file belongs to one of them. */
export class PetitionEvidence1796280562302 implements MigrationInterface {
  name = 'PetitionEvidence1796280562302';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE evidence_file ALTER COLUMN problem_id DROP NOT NULL;
      ALTER TABLE evidence_file ADD COLUMN petition_id uuid REFERENCES petition(id);
      ALTER TABLE evidence_file ADD CONSTRAINT evidence_file_owner
        CHECK ((problem_id IS NULL) <> (petition_id IS NULL));
      CREATE INDEX evidence_file_petition ON evidence_file (petition_id, created_at) WHERE petition_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM evidence_file WHERE petition_id IS NOT NULL;
      DROP INDEX evidence_file_petition;
      ALTER TABLE evidence_file DROP CONSTRAINT evidence_file_owner;
      ALTER TABLE evidence_file DROP COLUMN petition_id;
      ALTER TABLE evidence_file ALTER COLUMN problem_id SET NOT NULL;
    `);
  }
}
