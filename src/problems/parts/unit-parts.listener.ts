import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { DomainException } from '../../common/domain-exception.js';
import { DefinitionService } from '../../engine/definition.service.js';
import { StepService, type InstanceRow, type StepScope } from '../../engine/step.service.js';
import { ProblemsRepository, type ProblemRow } from '../problems.repository.js';
import { RECTIFICATION } from '../rectification/rectification-variables.js';
import { checkParts, UNIT_PART } from './part-rules.js';
import { PartsRepository } from './parts.repository.js';

type StepEvent = { type: string; instanceId: string; payload: Record<string, unknown> };

/** The rectification's wait for its parts (`coRectify`, a receive task) and its message's id in the BPMN. */
const PARTS_DONE_REF = 'msgPartsDone';

/**
 * 配合单位分工, in the step's transaction: the plan's parts are checked and kept when the plan is made; the
 * approved plan starts one `unit-part` process per part; a part's process ending marks it done, and the last
 * part done lets the rectification go on to 申请销号 (its `coRectify` wait takes `分工全部完成`).
 */
@Injectable()
export class UnitPartsListener implements OnModuleInit {
  constructor(
    private readonly steps: StepService,
    private readonly definitions: DefinitionService,
    private readonly problems: ProblemsRepository,
    private readonly parts: PartsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.steps.onStep((e, m, scope) => this.handle(e, m, scope));
  }

  /** From the instance as the step leaves it (`scope`). */
  async handle(e: StepEvent, m: EntityManager, scope: StepScope): Promise<void> {
    const inst = scope.instance;
    if (e.type === 'instance.ended' && inst.definition_key === UNIT_PART) return this.partEnded(inst, m);
    if (e.type !== 'task.ended' || (e.payload.activityId !== 'plan' && e.payload.activityId !== 'review')) return;
    if (inst.definition_key !== RECTIFICATION) return;
    const vars = inst.variables ?? {};
    const problem = await this.problems.findByInstance(e.instanceId, m);
    if (!problem) return;
    if (e.payload.activityId === 'plan') return this.planMade(problem, vars, m);
    // Truthiness, as the gateway after 审核 reads the same variable.
    if (vars.planApproved) return this.startParts(problem, vars, m);
  }

  private coUnits(p: ProblemRow): string[] {
    return (p.responsible_units ?? []).filter((u) => u !== p.lead_unit);
  }

  private async unitNames(m: EntityManager): Promise<(code: string) => string> {
    const rows: { code: string; name: string }[] = await m.query(`SELECT code, name FROM org_unit`);
    const names = new Map(rows.map((r) => [r.code, r.name]));
    return (code) => names.get(code) ?? code;
  }

  private async planMade(p: ProblemRow, vars: Record<string, unknown>, m: EntityManager): Promise<void> {
    const co = this.coUnits(p);
    if (!co.length && (vars.parts === undefined || vars.parts === null)) return;
    const parts = checkParts(vars.parts, co, p.deadline, vars.summary, await this.unitNames(m));
    await this.parts.replacePlanned(p.id, parts, this.clock.date(), m);
  }

  /** One `unit-part` process per part, business key the problem's code (its task is the problem's). */
  private async startParts(p: ProblemRow, vars: Record<string, unknown>, m: EntityManager): Promise<void> {
    const co = this.coUnits(p);
    if (!co.length) return;
    let parts = await this.parts.ofProblem(p.id, m);
    if (!parts.length) {
      // A plan made before parts existed: each co-unit carries out the plan by the lead's deadline.
      await this.parts.replacePlanned(
        p.id,
        checkParts(undefined, co, p.deadline, vars.summary, (c) => c),
        this.clock.date(),
        m,
      );
      parts = await this.parts.ofProblem(p.id, m);
    }
    const [deployed] = await m.query(`SELECT 1 FROM engine_definition WHERE $1 = ANY(process_keys) LIMIT 1`, [
      UNIT_PART,
    ]);
    if (!deployed)
      throw new DomainException(
        'PROCESS_NOT_DEPLOYED',
        409,
        `配合单位分工流程（${UNIT_PART}.bpmn）未部署，无法下达 ${co.length} 个配合单位的分工：请先部署该流程`,
      );
    const def = await this.definitions.latest(UNIT_PART, m);
    for (const part of parts.filter((x) => x.status === 'planned')) {
      const inst = await this.steps.start(
        def,
        p.code,
        {
          problemId: p.id,
          problemCode: p.code,
          title: p.title,
          leadUnit: p.lead_unit,
          partId: part.id,
          unit: part.unit_code,
          partDeadline: part.deadline,
          measures: part.measures,
          milestones: part.milestones,
        },
        undefined,
        m,
      );
      await this.parts.markStarted(part.id, inst.id, this.clock.date(), m);
    }
  }

  private async partEnded(inst: InstanceRow, m: EntityManager): Promise<void> {
    const part = await this.parts.findByInstance(inst.id, m);
    if (!part || part.status !== 'open') return;
    const v = inst.variables ?? {};
    const report = [v.summary, v.report].find((x): x is string => typeof x === 'string' && x.trim() !== '') ?? null;
    await this.parts.markDone(part.id, report?.trim().slice(0, 5000) ?? null, this.clock.date(), m);
    if ((await this.parts.openCount(part.problem_id, m)) > 0) return;
    const p = await this.problems.findById(part.problem_id, m);
    if (!p?.process_instance_id) return;
    const [waiting] = await m.query(
      `SELECT 1 FROM engine_subscription WHERE instance_id = $1 AND kind = 'message' AND ref_id = $2 LIMIT 1`,
      [p.process_instance_id, PARTS_DONE_REF],
    );
    if (waiting)
      await this.steps.stepWithin(m, p.process_instance_id, { kind: 'message', refId: PARTS_DONE_REF, variables: {} });
  }
}
