import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { DefinitionService } from '../engine/definition.service.js';
import type { ReviewProblemsQuery, ReviewQuery } from './dto/web-queries.dto.js';
import { ReviewRepository } from './review.repository.js';

const DAY = 86_400_000;

/** A step of the diagram: problems there now (each once), overdue there, due within 3 days, red; time spent there. */
export interface ReviewStep {
  activityId: string;
  count: number;
  overdue: number;
  nearDue: number;
  red: number;
  avgMillis: number | null;
  /** The average time spent at the step in days, one decimal (what the page shows). */
  avgDays: number | null;
  ended: number;
}

/** 挂图作战 (keys and ids are checked by the controller's DTOs): the diagram of a process with, per step, the problems standing there now and the time spent there. */
@Injectable()
export class ReviewService {
  constructor(
    private readonly repo: ReviewRepository,
    private readonly definitions: DefinitionService,
    private readonly clock: Clock,
  ) {}

  async processes() {
    const rows = await this.repo.latestDefinitions();
    return rows.map((r) => ({ key: r.key, name: r.name, definitionId: r.id, version: r.version }));
  }

  async review(processKey: string, q: ReviewQuery) {
    const def = await this.definitions.latest(processKey);
    const [counts, averages] = await Promise.all([
      this.repo.stepCounts(processKey, q, this.clock.date()),
      this.repo.averageMillis(processKey, q),
    ]);
    const steps = new Map<string, ReviewStep>();
    const step = (id: string) => {
      let s = steps.get(id);
      if (!s)
        steps.set(
          id,
          (s = { activityId: id, count: 0, overdue: 0, nearDue: 0, red: 0, avgMillis: null, avgDays: null, ended: 0 }),
        );
      return s;
    };
    let totals = { problems: 0, overdue: 0, nearDue: 0, red: 0 };
    for (const c of counts) {
      if (c.activity_id === null) totals = { problems: c.count, overdue: c.overdue, nearDue: c.near_due, red: c.red };
      else Object.assign(step(c.activity_id), { count: c.count, overdue: c.overdue, nearDue: c.near_due, red: c.red });
    }
    for (const a of averages) {
      const ms = Math.round(a.avg_ms);
      Object.assign(step(a.activity_id), { avgMillis: ms, avgDays: Math.round((ms / DAY) * 10) / 10, ended: a.ended });
    }
    return {
      processKey,
      definitionId: def.id,
      name: def.name,
      version: def.version,
      xml: await this.definitions.xml(def.id),
      filter: { unit: q.unit ?? null, category: q.category ?? null },
      // Each problem once, however many steps of the process it stands at (parallel tasks, a timer beside them).
      totals,
      steps: [...steps.values()].sort((a, b) => a.activityId.localeCompare(b.activityId)),
    };
  }

  async stepProblems(processKey: string, activityId: string, q: ReviewProblemsQuery) {
    const rows = await this.repo.stepProblems(processKey, activityId, q, (q.page - 1) * q.pageSize, q.pageSize);
    const now = this.clock.now();
    return {
      items: rows.map((r) => ({
        instanceId: r.instance_id,
        businessKey: r.business_key,
        problemId: r.id,
        code: r.code ?? r.business_key,
        title: r.title,
        leadUnit: r.lead_unit,
        leadUnitName: r.lead_unit_name,
        light: r.light,
        status: r.status,
        deadline: r.deadline,
        due: r.due,
        overdue: r.due !== null && new Date(r.due).getTime() < now,
      })),
      total: rows.length ? Number(rows[0].total) : 0,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
