import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { Clock } from '../../clock/clock.js';
import { DomainException } from '../../common/domain-exception.js';
import { ProblemsRepository, type ProblemRow } from '../problems.repository.js';

/**
 * The levels' rules at 销号, in the step's transaction: a split problem passes its own 验收 only once every
 * child problem is signed off (整改一个、销号一个, level by level); a child's sign-off is filed up (备案) to its
 * parent, where the parent's office sees it.
 */
@Injectable()
export class SplitSignOff {
  constructor(
    private readonly problems: ProblemsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Refuses the sign-off (409, the step rolls back) while a child is open; answers the problem signed off. */
  async beforeSignOff(instanceId: string, m: EntityManager): Promise<ProblemRow | null> {
    const p = await this.problems.findByInstance(instanceId, m);
    if (!p) return null;
    const open = (await this.problems.children(p.id, m)).filter((c) => !c.signed_off_at);
    if (open.length) {
      const names = open.slice(0, 10).map((c) => c.code);
      throw new DomainException(
        'CHILDREN_OPEN',
        409,
        `下级问题尚未全部销号（${names.join('、')}${open.length > names.length ? ` 等 ${open.length} 个` : ''}），` +
          '待下级问题全部销号后方可验收通过',
        { open: open.map((c) => c.code) },
      );
    }
    return p;
  }

  /** 备案: a child problem's sign-off, filed to its parent once. */
  async afterSignOff(p: ProblemRow | null, m: EntityManager): Promise<void> {
    if (!p?.parent_problem_id) return;
    const at = this.clock.date();
    const rows: { id: string }[] = await m.query(
      `INSERT INTO problem_filing (id, problem_id, parent_problem_id, unit_code, signed_off_at, filed_at)
       VALUES ($1,$2,$3,$4,$5,$5) ON CONFLICT (problem_id) DO NOTHING RETURNING id`,
      [randomUUID(), p.id, p.parent_problem_id, p.lead_unit, at],
    );
    if (!rows.length) return;
    await this.audit.record(
      {
        actor: 'system',
        actorName: null,
        action: 'problem.filed',
        entityType: 'problem',
        entityId: p.parent_problem_id,
        problemId: p.parent_problem_id,
        after: { childId: p.id, childCode: p.code, title: p.title, unitCode: p.lead_unit, signedOffAt: at },
      },
      m,
    );
  }
}
