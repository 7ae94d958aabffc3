import { Injectable } from '@nestjs/common';
import { notFound } from '../common/domain-exception.js';
import { DefinitionService } from '../engine/definition.service.js';
import { isUuid } from '../engine/engine.service.js';
import { DiagramRepository } from './diagram.repository.js';

/** An instance's diagram: its definition's XML, the activities it went through, and where it waits now. */
@Injectable()
export class DiagramService {
  constructor(
    private readonly repo: DiagramRepository,
    private readonly definitions: DefinitionService,
  ) {}

  async ofProblem(idOrCode: string) {
    const p = await this.repo.instanceOfProblem(idOrCode);
    if (!p) throw notFound('problem', idOrCode);
    if (!p.process_instance_id) throw notFound('process instance of problem', idOrCode);
    return this.ofInstance(p.process_instance_id);
  }

  async ofInstance(id: string) {
    const inst = isUuid(id) ? await this.repo.instance(id) : null;
    if (!inst) throw notFound('process instance', id);
    const [activities, tasks, timers, xml] = await Promise.all([
      this.repo.history(id),
      this.repo.openTasks(id),
      this.repo.timers(id),
      this.definitions.xml(inst.definition_id),
    ]);
    return {
      instanceId: inst.id,
      definitionId: inst.definition_id,
      processKey: inst.definition_key,
      businessKey: inst.business_key,
      status: inst.status,
      xml,
      activities: activities.map((a) => ({
        activityId: a.activity_id,
        name: a.activity_name,
        type: a.activity_type,
        startedAt: a.started_at,
        endedAt: a.ended_at,
        canceled: a.canceled,
      })),
      current: [
        ...tasks.map((t) => ({
          activityId: t.activity_id,
          kind: 'task',
          name: t.name,
          due: t.due_at,
          assignee: t.assignee,
          candidateGroups: t.candidate_groups,
        })),
        ...timers.map((t) => ({
          activityId: t.activity_id,
          kind: 'timer',
          name: null,
          due: t.expire_at,
          assignee: null,
          candidateGroups: [] as string[],
        })),
      ],
    };
  }
}
