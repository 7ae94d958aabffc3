import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The files of a deployment as Camunda keeps them: every resource (BPMN, Camunda forms, DMN) by name, listed and
 * downloadable through /engine-rest/deployment/{id}/resources. `hash` lets an unchanged file be recognised.
 */
export class EngineResource1766300000000 implements MigrationInterface {
  name = 'EngineResource1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_resource (
        id uuid PRIMARY KEY,
        deployment_id uuid NOT NULL REFERENCES engine_deployment(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
        kind text NOT NULL CHECK (kind IN ('bpmn', 'form', 'dmn')),
        hash text NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX engine_resource_deployment ON engine_resource (deployment_id, name);
      CREATE INDEX engine_resource_name ON engine_resource (name, created_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_resource`);
  }
}
