import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '../engine/engine.service.js';

/** What a diagram shows of one instance: the engine's own rows, read as they are. */
@Injectable()
export class DiagramRepository {
  constructor(private readonly db: DataSource) {}

  async instanceOfProblem(idOrCode: string): Promise<{ process_instance_id: string | null } | null> {
    const [row] = await this.db.query(
      `SELECT process_instance_id FROM problem WHERE ${isUuid(idOrCode) ? 'id = $1::uuid' : 'code = $1'}`,
      [idOrCode],
    );
    return row ?? null;
  }

  async instance(id: string): Promise<{
    id: string;
    definition_id: string;
    definition_key: string;
    business_key: string | null;
    status: string;
  } | null> {
    const [row] = await this.db.query(
      `SELECT id, definition_id, definition_key, business_key, status FROM engine_instance WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async history(instanceId: string): Promise<
    {
      activity_id: string;
      activity_name: string | null;
      activity_type: string;
      started_at: Date;
      ended_at: Date | null;
      canceled: boolean;
    }[]
  > {
    return this.db.query(
      `SELECT activity_id, activity_name, activity_type, started_at, ended_at, canceled FROM engine_history WHERE instance_id = $1 ORDER BY started_at, id`,
      [instanceId],
    );
  }

  async openTasks(instanceId: string): Promise<
    {
      activity_id: string;
      name: string | null;
      due_at: Date | null;
      assignee: string | null;
      candidate_groups: string[];
    }[]
  > {
    return this.db.query(
      `SELECT activity_id, name, due_at, assignee, candidate_groups FROM engine_task WHERE instance_id = $1 ORDER BY created_at`,
      [instanceId],
    );
  }

  async timers(instanceId: string): Promise<{ activity_id: string; expire_at: Date }[]> {
    return this.db.query(`SELECT activity_id, expire_at FROM engine_timer WHERE instance_id = $1 ORDER BY expire_at`, [
      instanceId,
    ]);
  }
}
