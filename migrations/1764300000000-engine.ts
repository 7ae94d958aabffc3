import { MigrationInterface, QueryRunner } from 'typeorm';

export class Engine1764300000000 implements MigrationInterface {
  name = 'Engine1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_deployment (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        source text,
        deployed_at timestamptz NOT NULL
      );
      CREATE TABLE engine_definition (
        id text PRIMARY KEY,
        key text NOT NULL,
        version int NOT NULL,
        name text,
        resource text NOT NULL,
        deployment_id uuid NOT NULL REFERENCES engine_deployment(id),
        hash text NOT NULL,
        xml text NOT NULL,
        context jsonb NOT NULL,
        process_keys text[] NOT NULL,
        meta jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (key, version)
      );
      CREATE TABLE engine_instance (
        id uuid PRIMARY KEY,
        definition_id text NOT NULL REFERENCES engine_definition(id),
        definition_key text NOT NULL,
        business_key text,
        status text NOT NULL,
        state jsonb,
        variables jsonb NOT NULL DEFAULT '{}',
        version int NOT NULL DEFAULT 0,
        parent_id uuid REFERENCES engine_instance(id),
        parent_execution_id text,
        pending_services boolean NOT NULL DEFAULT false,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text
      );
      CREATE INDEX engine_instance_business_key ON engine_instance (business_key);
      CREATE INDEX engine_instance_definition ON engine_instance (definition_key, status);
      CREATE INDEX engine_instance_parent ON engine_instance (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX engine_instance_pending ON engine_instance (id) WHERE pending_services;
      CREATE TABLE engine_task (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES engine_instance(id) ON DELETE CASCADE,
        definition_id text NOT NULL,
        definition_key text NOT NULL,
        business_key text,
        activity_id text NOT NULL,
        execution_id text NOT NULL,
        name text,
        assignee text,
        candidate_users text[] NOT NULL DEFAULT '{}',
        candidate_groups text[] NOT NULL DEFAULT '{}',
        due_at timestamptz,
        due_spec text,
        follow_up_at timestamptz,
        priority int NOT NULL DEFAULT 50,
        form_key text,
        documentation text,
        properties jsonb NOT NULL DEFAULT '{}',
        input jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        UNIQUE (instance_id, execution_id)
      );
      CREATE INDEX engine_task_assignee ON engine_task (assignee, due_at);
      CREATE INDEX engine_task_groups ON engine_task USING gin (candidate_groups);
      CREATE INDEX engine_task_activity ON engine_task (definition_key, activity_id);
      CREATE TABLE engine_timer (
        id text PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES engine_instance(id) ON DELETE CASCADE,
        activity_id text NOT NULL,
        execution_id text NOT NULL,
        timer_type text NOT NULL,
        spec text,
        expire_at timestamptz NOT NULL,
        repeat int,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX engine_timer_due ON engine_timer (expire_at);
      CREATE INDEX engine_timer_instance ON engine_timer (instance_id);
      CREATE TABLE engine_subscription (
        id bigserial PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES engine_instance(id) ON DELETE CASCADE,
        kind text NOT NULL,
        name text NOT NULL,
        ref_id text NOT NULL,
        activity_id text NOT NULL,
        execution_id text NOT NULL
      );
      CREATE INDEX engine_subscription_name ON engine_subscription (kind, name);
      CREATE INDEX engine_subscription_instance ON engine_subscription (instance_id);
      CREATE TABLE engine_external_task (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES engine_instance(id) ON DELETE CASCADE,
        definition_id text NOT NULL,
        definition_key text NOT NULL,
        business_key text,
        activity_id text NOT NULL,
        execution_id text NOT NULL,
        topic text NOT NULL,
        priority int NOT NULL DEFAULT 0,
        worker_id text,
        lock_expires_at timestamptz,
        retries int,
        error_message text,
        error_details text,
        created_at timestamptz NOT NULL,
        UNIQUE (instance_id, execution_id)
      );
      CREATE INDEX engine_external_task_topic ON engine_external_task (topic, lock_expires_at);
      CREATE TABLE engine_history (
        id bigserial PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES engine_instance(id) ON DELETE CASCADE,
        definition_id text NOT NULL,
        activity_id text NOT NULL,
        activity_name text,
        activity_type text NOT NULL,
        execution_id text NOT NULL,
        task_id uuid,
        assignee text,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        canceled boolean NOT NULL DEFAULT false,
        UNIQUE (instance_id, execution_id)
      );
      CREATE INDEX engine_history_activity ON engine_history (definition_id, activity_id);
      CREATE TABLE engine_incident (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES engine_instance(id) ON DELETE CASCADE,
        activity_id text,
        incident_type text NOT NULL,
        message text NOT NULL,
        command jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        resolved_at timestamptz
      );
      CREATE INDEX engine_incident_open ON engine_incident (instance_id) WHERE resolved_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_incident, engine_history, engine_external_task, engine_subscription, engine_timer,
      engine_task, engine_instance, engine_definition, engine_deployment`);
  }
}
