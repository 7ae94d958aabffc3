import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { DomainException } from '../common/domain-exception.js';
import { returned } from '../common/sql.js';
import { DefinitionService } from '../engine/definition.service.js';
import { StepService, type StepScope } from '../engine/step.service.js';
import { ProblemsRepository } from '../problems/problems.repository.js';
import { RECTIFICATION, startVariables } from '../problems/rectification/rectification-variables.js';
import { addMonths, chinaDate } from '../problems/rules/china-date.js';
import { tierOf } from '../problems/rules/problem-rules.js';
import { PETITION } from './petition-handlers.js';
import { PetitionsRepository, type PetitionStatus } from './petitions.repository.js';
import { handlingOf, investigationOf } from './rules/task-results.js';

type StepEvent = { type: string; instanceId: string; payload: Record<string, unknown> };

const STATUSES: readonly string[] = ['assigned', 'investigating', 'handling', 'reviewing'];
/** A problem moved to the ledger gets this long to be rectified (the office may change it on the problem). */
const LEDGER_MONTHS = 6;

/**
 * Keeps the complaint row in step with its process, in the step's own transaction: its stage from the task
 * reached, what the unit found and did, the office's returns, and at the end the move to the ledger.
 */
@Injectable()
export class PetitionListener implements OnModuleInit {
  constructor(
    private readonly steps: StepService,
    private readonly definitions: DefinitionService,
    private readonly petitions: PetitionsRepository,
    private readonly problems: ProblemsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.steps.onStep((e, m, scope) => this.handle(e, m, scope));
  }

  /** From the rows the step holds (`scope`): the instance as the step leaves it, its tasks. */
  async handle(e: StepEvent, m: EntityManager, scope: StepScope): Promise<void> {
    if (e.type !== 'task.created' && e.type !== 'task.ended' && e.type !== 'instance.ended') return;
    const inst = scope.instance;
    if (inst.definition_key !== PETITION) return;
    const vars = inst.variables ?? {};
    const activity = String(e.payload.activityId ?? '');
    if (e.type === 'task.created') {
      const status = scope.tasks.get(String(e.payload.taskId))?.properties?.status;
      // A complaint is stored 交办 (assigned): its first task changes nothing.
      if (status && status !== 'assigned' && STATUSES.includes(status))
        await this.petitions.setStatus(e.instanceId, status as PetitionStatus, m);
      return;
    }
    if (e.type === 'task.ended') {
      // The tasks sit in the 调查处理 sub-process, whose variables stay in its own scope: what the unit
      // submitted is read from the completion itself.
      const sent = (e.payload.submitted ?? {}) as Record<string, unknown>;
      if (activity === 'investigate' || activity === 'handle') await this.checkFiles(e.instanceId, sent, m);
      if (activity === 'investigate') await this.petitions.recordInvestigation(e.instanceId, investigationOf(sent), m);
      if (activity === 'handle') await this.petitions.recordHandling(e.instanceId, handlingOf(sent), m);
      if (activity === 'review' && !sent.approved) {
        const c = typeof sent.reviewComment === 'string' ? sent.reviewComment.slice(0, 2000) : null;
        await this.petitions.recordReturn(e.instanceId, c, m);
      }
      return;
    }
    if (vars.toLedger === true) await this.toLedger(e.instanceId, m);
  }

  /** The files a unit names as its evidence are files of this complaint (uploaded on its tasks). */
  private async checkFiles(instanceId: string, sent: Record<string, unknown>, m: EntityManager): Promise<void> {
    const ids = Array.isArray(sent.evidenceFileIds) ? sent.evidenceFileIds.map(String) : [];
    if (!ids.length) return;
    const known = new Set(
      returned<{ id: string }>(
        await m.query(
          `SELECT f.id FROM evidence_file f JOIN petition p ON p.id = f.petition_id
           WHERE p.process_instance_id = $1 AND f.id::text = ANY($2::text[])`,
          [instanceId, ids],
        ),
      ).map((r) => r.id),
    );
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) {
      const message = `文件 ${unknown.slice(0, 3).join('、')} 不是该信访件的佐证材料`;
      throw new DomainException('EVIDENCE_UNKNOWN', 422, `evidenceFileIds：${message}`, {
        fields: [{ field: 'evidenceFileIds', message }],
      });
    }
  }

  /** 转入整改清单: a ledger problem linked to the complaint, its rectification process started here. */
  private async toLedger(instanceId: string, m: EntityManager): Promise<void> {
    const p = await this.petitions.findByInstance(instanceId, m);
    if (!p || p.problem_id) return;
    const batch = await this.petitions.findBatch(p.batch_id, m);
    const today = chinaDate(this.clock.now());
    const deadline = addMonths(today, LEDGER_MONTHS);
    const id = randomUUID();
    const code = `信访-${p.code}`.slice(0, 64);
    const draft = {
      code,
      title: p.summary.slice(0, 500),
      description: [p.investigation, p.handling].filter(Boolean).join('\n').slice(0, 4000) || null,
      category: p.pollution_type,
      source: `信访件转入（${batch?.title ?? ''}，受理编号 ${p.code}）`,
      leadUnit: p.unit_code,
      responsibleUnits: [p.unit_code],
      person: '单位主要负责人',
      deadline,
      tier: tierOf(today, deadline),
      goal: '彻底解决信访反映的问题，防止反弹',
      recheckMonths: 6,
    };
    await this.problems.insert(
      { id, ...draft, round: 1, previousProblemId: null, importId: null },
      this.clock.date(),
      m,
    );
    await this.petitions.linkProblem(p.id, id, m);
    const def = await this.definitions.latest(RECTIFICATION, m);
    const vars = startVariables({ ...draft, problemId: id, problemCode: code, round: 1 }, today);
    const inst = await this.steps.start(def, code, vars, undefined, m);
    await this.problems.bindInstance(id, inst.id, m);
  }
}
