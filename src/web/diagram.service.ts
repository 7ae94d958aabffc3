import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../common/domain-exception.js';
import { DefinitionService } from '../engine/definition.service.js';
import { isUuid } from '../engine/engine.service.js';

/** An instance's diagram: its definition's XML, the activities it went through, and where it waits now. */
@Injectable()
export class DiagramService {
  constructor(
    private readonly db: DataSource,
    private readonly definitions: DefinitionService,
  ) {}

  async ofProblem(idOrCode: string) {
    const [p] = await this.db.query(`SELECT process_instance_id FROM problem WHERE ${isUuid(idOrCode) ? 'id = $1::uuid' : 'code = $1'}`, [idOrCode]);
    if (!p) throw notFound('problem', idOrCode);
    if (!p.process_instance_id) throw notFound('process instance of problem', idOrCode);
    return this.ofInstance(p.process_instance_id);
  }

  async ofInstance(id: string) {
    if (!isUuid(id)) throw notFound('process instance', id);
    const [inst] = await this.db.query(`SELECT id, definition_id, definition_key, business_key, status, started_at, ended_at FROM engine_instance WHERE id = $1`, [id]);
    if (!inst) throw notFound('process instance', id);
    const [activities, tasks, timers] = await Promise.all([
      this.db.query(
        `SELECT activity_id, activity_name, activity_type, started_at, ended_at, canceled FROM engine_history WHERE instance_id = $1 ORDER BY started_at, id`,
        [id],
      ),
      this.db.query(`SELECT activity_id, name, due_at, assignee, candidate_groups FROM engine_task WHERE instance_id = $1 ORDER BY created_at`, [id]),
      this.db.query(`SELECT activity_id, expire_at FROM engine_timer WHERE instance_id = $1 ORDER BY expire_at`, [id]),
    ]);
    return {
      instanceId: inst.id,
      definitionId: inst.definition_id,
      processKey: inst.definition_key,
      businessKey: inst.business_key,
      status: inst.status,
      xml: await this.definitions.xml(inst.definition_id),
      activities: activities.map((a: any) => ({
        activityId: a.activity_id, name: a.activity_name, type: a.activity_type, startedAt: a.started_at, endedAt: a.ended_at, canceled: a.canceled,
      })),
      current: [
        ...tasks.map((t: any) => ({ activityId: t.activity_id, kind: 'task', name: t.name, due: t.due_at, assignee: t.assignee, candidateGroups: t.candidate_groups })),
        ...timers.map((t: any) => ({ activityId: t.activity_id, kind: 'timer', name: null, due: t.expire_at, assignee: null, candidateGroups: [] })),
      ],
    };
  }
}
