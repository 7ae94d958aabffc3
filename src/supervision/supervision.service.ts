import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { conflict, notFound } from '../common/domain-exception.js';
import { isUuid } from '../engine/engine.service.js';
import { ProblemsRepository } from '../problems/problems.repository.js';
import { ActionsRepository } from './actions/actions.repository.js';
import { actionView, type ActionView } from './actions/action-view.js';
import type { ListActionsQuery } from './dto/list-actions.query.js';
import { MSG_COMMITMENT_KEPT, SupervisionEvents } from './supervision.events.js';

/** Reading the supervision record, and the office's hand on a running interview. */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly db: DataSource,
    private readonly actions: ActionsRepository,
    private readonly problems: ProblemsRepository,
    private readonly events: SupervisionEvents,
  ) {}

  async list(f: ListActionsQuery): Promise<{ items: ActionView[]; total: number; page: number; pageSize: number }> {
    let problemId: string | undefined;
    if (f.problemId) {
      const p = isUuid(f.problemId)
        ? await this.problems.findById(f.problemId)
        : await this.problems.findByCode(f.problemId);
      if (!p) return { items: [], total: 0, page: f.page, pageSize: f.pageSize };
      problemId = p.id;
    }
    const { rows, total } = await this.actions.list({
      problemId,
      unit: f.unit,
      within: f.within,
      leader: f.leader,
      type: f.type,
      from: f.from,
      to: f.to,
      limit: f.pageSize,
      offset: (f.page - 1) * f.pageSize,
    });
    return { items: rows.map(actionView), total, page: f.page, pageSize: f.pageSize };
  }

  async get(id: string): Promise<ActionView & { records?: unknown[] }> {
    const a = isUuid(id) ? await this.actions.find(this.db, id) : null;
    if (!a) throw notFound('supervision action', id);
    const view: ActionView & { records?: unknown[] } = actionView(a);
    if (a.type === 'accountability') {
      const rows = await this.actions.records(this.db, { actionId: a.id });
      view.records = rows.map((r) => ({
        id: r.id,
        problemId: r.problem_id,
        unitCode: r.unit_code,
        personId: r.person_id,
        personName: r.person_name,
        measure: r.measure,
        reason: r.reason,
        decidedAt: r.decided_at,
      }));
    }
    return view;
  }

  /** 承诺兑现: the office confirms an interviewed unit kept its commitment; the interview ends without escalating. */
  async commitmentKept(id: string): Promise<ActionView> {
    const a = await this.get(id);
    if (a.type !== 'interview') throw conflict(`督办措施 ${id} 不是约谈`);
    if (a.status !== 'committed') throw conflict(`约谈 ${a.documentNo ?? id} 当前不在等待承诺兑现`);
    await this.events.tell(MSG_COMMITMENT_KEPT, a.problemCode!, { keptBy: 'office' }).then((told) => {
      if (!told) throw conflict(`约谈 ${a.documentNo ?? id} 没有待兑现的承诺`);
    });
    return this.get(id);
  }
}
