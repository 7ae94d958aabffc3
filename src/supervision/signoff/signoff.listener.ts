import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { DomainException } from '../../common/domain-exception.js';
import { StepService, type StepScope } from '../../engine/step.service.js';
import { categoryOf, type EvidenceCategory } from '../../files/evidence-category.js';
import { ProblemsRepository } from '../../problems/problems.repository.js';
import { missingEvidence } from './evidence-rules.js';
import { SIGNOFF } from './signoff-process.js';
import { SignoffRepository } from './signoff.repository.js';

type StepEvent = { type: string; instanceId: string; payload: Record<string, unknown> };

/**
 * The sign-off's checks and records in the step's own transaction: an application without the evidence its
 * problem's category asks for is refused (the task stays open); the office's decision on the objections is
 * written on each; the notice is closed with the sign-off's outcome.
 */
@Injectable()
export class SignoffListener implements OnModuleInit {
  constructor(
    private readonly steps: StepService,
    private readonly problems: ProblemsRepository,
    private readonly repo: SignoffRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.steps.onStep((e, m, scope) => this.handle(e, m, scope));
  }

  /** From the instance as the step leaves it (`scope`). */
  async handle(e: StepEvent, m: EntityManager, scope: StepScope): Promise<void> {
    if (e.type !== 'task.ended' && e.type !== 'instance.ended') return;
    const inst = scope.instance;
    if (inst.definition_key !== SIGNOFF || !inst.business_key) return;
    const vars = inst.variables ?? {};
    if (e.type === 'instance.ended') {
      if (!vars.signoffReturned) await this.repo.closeNotice(e.instanceId, 'passed', this.clock.date(), m);
      return;
    }
    if (e.payload.activityId === 'apply') return this.checkEvidence(inst.business_key, vars, m);
    if (e.payload.activityId === 'verify') {
      await this.checkFiles(inst.business_key, vars.sitePhotoFileIds, m);
      return;
    }
    if (e.payload.activityId === 'reviewObjection') {
      const comment = typeof vars.objectionComment === 'string' ? vars.objectionComment : null;
      const by = typeof vars.completedBy === 'string' ? vars.completedBy : null;
      await this.repo.decideObjections(
        e.instanceId,
        { decision: vars.objectionUpheld ? 'upheld' : 'rejected', comment, by, at: this.clock.date() },
        m,
      );
    }
  }

  /** 申请销号: at least one file of this problem, and the categories its type requires. */
  private async checkEvidence(code: string, vars: Record<string, unknown>, m: EntityManager): Promise<void> {
    const p = await this.problems.findByCode(code, m);
    if (!p) return;
    const files = await this.checkFiles(code, vars.evidenceFileIds ?? [], m, 'evidenceFileIds');
    const reason = missingEvidence(p.category, files);
    if (reason) throw evidenceError('evidenceFileIds', reason);
  }

  /** The files named are evidence files of this problem; their categories. */
  private async checkFiles(
    code: string,
    ids: unknown,
    m: EntityManager,
    field = 'sitePhotoFileIds',
  ): Promise<{ category: EvidenceCategory }[]> {
    if (ids === undefined || ids === null) return [];
    if (!Array.isArray(ids) || ids.length > 50 || ids.some((x) => typeof x !== 'string'))
      throw evidenceError(field, '应为文件编号的列表（最多 50 个）');
    if (!ids.length) return [];
    const rows: { id: string; type: string; category: EvidenceCategory | null }[] = await m.query(
      `SELECT f.id, f.type, f.category FROM evidence_file f JOIN problem p ON p.id = f.problem_id
       WHERE p.code = $1 AND f.id::text = ANY($2::text[])`,
      [code, ids],
    );
    const known = new Set(rows.map((r) => r.id));
    const unknown = (ids as string[]).filter((id) => !known.has(id));
    if (unknown.length) throw evidenceError(field, `文件 ${unknown.slice(0, 3).join('、')} 不是该问题的佐证材料`);
    return rows.map((r) => ({ category: categoryOf(r) }));
  }
}

function evidenceError(field: string, message: string): DomainException {
  return new DomainException('EVIDENCE_REQUIRED', 422, `${field}：${message}`, { fields: [{ field, message }] });
}
