import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { DomainException } from '../common/domain-exception.js';
import { DefinitionService } from '../engine/definition.service.js';
import { EngineService } from '../engine/engine.service.js';
import { IncidentsService } from '../incidents/incidents.service.js';
import { StepService, type StepScope } from '../engine/step.service.js';
import { ProblemsRepository, type ProblemRow } from '../problems/problems.repository.js';
import { UNIT_PART } from '../problems/parts/part-rules.js';
import { PartsRepository } from '../problems/parts/parts.repository.js';
import { RECTIFICATION } from '../problems/rectification/rectification-variables.js';
import { chinaDate } from '../problems/rules/china-date.js';
import { EXTENSION } from './extension/extension.handlers.js';
import { checkForm, isSupervisionForm } from './forms.js';
import { isOpen } from './handler-support.js';
import { LADDER } from './ladder/ladder.handlers.js';
import { PART_KEY_SEPARATOR, partLadderKey, splitPartKey } from './ladder/part-target.js';
import { INTERVIEW_PROCESS } from './ladder/ladder-processes.js';
import { SettingsService } from './settings/settings.service.js';
import { SETTING_KEYS, settingsFromRows } from './settings/supervision-settings.js';
import { SIGNOFF } from './signoff/signoff-process.js';

type StepEvent = { type: string; instanceId: string; payload: Record<string, unknown> };

/** A ladder's start as read in one statement: whether a ladder is deployed and runs, the problem, the settings. */
interface LadderStartRow {
  deployed: boolean;
  running: boolean;
  problem: Pick<ProblemRow, 'id' | 'code' | 'title' | 'lead_unit' | 'deadline' | 'status'> | null;
  settings: { key: string; value: unknown }[];
}

export const MSG_DEADLINE_CHANGED = '期限变更';
export const MSG_SIGNED_OFF = '已销号';
export const MSG_COMMITMENT_KEPT = '承诺兑现';
export const MSG_COMMITMENT_MISSED = '承诺未兑现';

/**
 * How supervision follows the rectification process, without the problems module knowing of it:
 * - in the step's transaction: a problem's ladder starts with its first task (交办), and the supervision forms (by formKey) are checked when their task is completed (422 keeps it open);
 * - after the commit: a sign-off tells the ladder `已销号` (and a waiting interview `承诺兑现`), a granted
 *   extension tells it `期限变更`, an interview whose commitment was missed tells it `承诺未兑现`. A message lost here is caught up by the ladder itself: it re-reads the
 *   ledger each time it wakes.
 */
@Injectable()
export class SupervisionEvents implements OnModuleInit {
  private readonly logger = new Logger('supervision');
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: DataSource,
    private readonly steps: StepService,
    private readonly engine: EngineService,
    private readonly definitions: DefinitionService,
    private readonly problems: ProblemsRepository,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly incidents: IncidentsService,
    private readonly parts: PartsRepository,
  ) {}

  onModuleInit(): void {
    this.incidents.registerStarter(LADDER, (code) => this.retryLadder(code));
    this.steps.onStep((e, m, scope) => this.inStep(e, m, scope));
    this.steps.onCommitted((events) => {
      for (const e of events) {
        const work = this.afterCommit(e).catch((err) =>
          this.logger.warn(`after ${e.type} of ${e.instanceId}: ${(err as Error).message}`),
        );
        this.pending.add(work);
        void work.finally(() => this.pending.delete(work));
      }
    });
  }

  /** Resolves once the messages sent after the last commits are delivered (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private async inStep(e: StepEvent, m: EntityManager, scope: StepScope): Promise<void> {
    const inst = scope.instance;
    if (e.type === 'task.created') {
      if (inst.definition_key === RECTIFICATION && inst.business_key) await this.ensureLadder(inst.business_key, m);
      if (inst.definition_key === UNIT_PART && inst.business_key) await this.ensurePartLadder(inst.variables, m);
      return;
    }
    if (e.type === 'instance.ended' && e.payload.definitionKey === UNIT_PART)
      return this.endPartLadder(e.instanceId, m);
    if (e.type === 'task.ended') {
      const formKey = await this.formKey(inst.definition_id, String(e.payload.activityId), m);
      if (!isSupervisionForm(formKey)) return;
      const problems = checkForm(formKey, inst.variables ?? {}, chinaDate(this.clock.now()));
      if (problems.length) {
        throw new DomainException('INVALID_FORM', 422, problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
          fields: problems,
        });
      }
      return;
    }
  }

  /** One ladder per problem (business key = problem code), started with the thresholds in force. */
  private async ensureLadder(code: string, m: EntityManager): Promise<void> {
    await this.startLadder(code, await this.ladderStart(code, m), m);
  }

  /**
   * A co-unit's part has a ladder of its own against the part's deadline, with the co-unit as its target
   * (business key `problem code:unit`), started with the part's first task.
   */
  private async ensurePartLadder(variables: Record<string, unknown>, m: EntityManager): Promise<void> {
    // The part's process is starting: its id is not on the part yet, its `partId` variable is.
    const partId = variables.partId;
    const part = typeof partId === 'string' ? await this.parts.find(partId, m) : null;
    if (!part || part.status === 'done') return;
    const p = await this.problems.findById(part.problem_id, m);
    if (!p) return;
    const key = partLadderKey(p.code, part.unit_code);
    await this.startLadder(key, await this.partLadderStart(key, m), m);
  }

  private async partLadderStart(key: string, m: EntityManager) {
    if (!(await this.deployed(LADDER, m))) return null;
    const [code, unit] = splitPartKey(key);
    const p = await this.problems.findByCode(code, m);
    if (!p || !isOpen(p)) return null;
    const part = (await this.parts.ofProblem(p.id, m)).find((x) => x.unit_code === unit);
    if (!part || part.status === 'done') return null;
    const [exists] = await m.query(
      `SELECT 1 FROM engine_instance WHERE definition_key = $1 AND business_key = $2 LIMIT 1`,
      [LADDER, key],
    );
    if (exists) return null;
    const vars = {
      problemId: p.id,
      problemCode: p.code,
      title: p.title,
      leadUnit: p.lead_unit,
      targetUnit: part.unit_code,
      partId: part.id,
      deadline: part.deadline,
      ...(await this.settings.get(m)),
    };
    return vars;
  }

  /** A part done ends its ladder, in the same step. */
  private async endPartLadder(partInstanceId: string, m: EntityManager): Promise<void> {
    const part = await this.parts.findByInstance(partInstanceId, m);
    const p = part ? await this.problems.findById(part.problem_id, m) : null;
    if (!part || !p) return;
    const [sub]: { instance_id: string; ref_id: string }[] = await m.query(
      `SELECT s.instance_id, s.ref_id FROM engine_subscription s JOIN engine_instance i ON i.id = s.instance_id
       WHERE i.definition_key = $1 AND i.business_key = $2 AND i.status = 'active' AND s.kind = 'message' AND s.name = $3 LIMIT 1`,
      [LADDER, partLadderKey(p.code, part.unit_code), MSG_SIGNED_OFF],
    );
    if (sub) await this.steps.stepWithin(m, sub.instance_id, { kind: 'message', refId: sub.ref_id, variables: {} });
  }

  private async startLadder(code: string, vars: Record<string, unknown> | null, m: EntityManager): Promise<void> {
    if (!vars) return;
    // A ladder that cannot start (its first timer cannot be computed) must not undo the assignment: the
    // rectification goes on, and the office sees the failure among the incidents, with a retry.
    await m.query(`SAVEPOINT ladder_start`);
    try {
      // The latest ladder, found by the start's own read.
      await this.steps.startDeferred(LADDER, code, vars, m);
      await m.query(`RELEASE SAVEPOINT ladder_start`);
    } catch (err) {
      await m.query(`ROLLBACK TO SAVEPOINT ladder_start`);
      this.logger.error(`督办升级未能启动（${code}）：${(err as Error).message}`);
      await this.incidents.startFailed(LADDER, code, (err as Error).message, m);
    }
  }

  /**
   * What a problem's ladder starts with, or null when it needs none (not deployed, already running, closed): read
   * in one statement, as an import starts one per row.
   */
  private async ladderStart(code: string, m: EntityManager) {
    const [row] = (await m.query(
      `SELECT EXISTS (SELECT 1 FROM engine_definition WHERE $1 = ANY(process_keys)) AS deployed,
         EXISTS (SELECT 1 FROM engine_instance WHERE definition_key = $1 AND business_key = $2) AS running,
         (SELECT json_build_object('id', p.id, 'code', p.code, 'title', p.title, 'lead_unit', p.lead_unit,
            'deadline', p.deadline::text, 'status', p.status) FROM problem p WHERE p.code = $2) AS problem,
         coalesce((SELECT json_agg(json_build_object('key', s.key, 'value', s.value)) FROM supervision_setting s
            WHERE s.key = ANY($3)), '[]'::json) AS settings`,
      [LADDER, code, SETTING_KEYS],
    )) as LadderStartRow[];
    const p = row?.problem;
    if (!row?.deployed || row.running || !p || !isOpen(p)) return null;
    const vars = {
      problemId: p.id,
      problemCode: p.code,
      title: p.title,
      leadUnit: p.lead_unit,
      deadline: p.deadline,
      ...settingsFromRows(row.settings),
    };
    return vars;
  }

  /** The office's retry of a ladder that could not start: started in its own transaction, or the reason thrown. */
  private async retryLadder(code: string): Promise<void> {
    const vars = await this.db.transaction((m) =>
      code.includes(PART_KEY_SEPARATOR) ? this.partLadderStart(code, m) : this.ladderStart(code, m),
    );
    if (vars) await this.steps.start(LADDER, code, vars);
  }

  private async afterCommit(e: StepEvent): Promise<void> {
    const signoffEnded = e.type === 'instance.ended' && e.payload.definitionKey === SIGNOFF;
    if (signoffEnded || (e.type === 'task.ended' && e.payload.activityId === 'verify')) {
      const p = signoffEnded
        ? await this.problems.findByCode(String(e.payload.businessKey ?? ''))
        : await this.problems.findByInstance(e.instanceId);
      if (!p || !p.signed_off_at) return;
      await this.tell(MSG_COMMITMENT_KEPT, p.code, { keptBy: 'signOff' });
      await this.tell(MSG_SIGNED_OFF, p.code, { signedOffAt: p.signed_off_at });
      return;
    }
    if (e.type === 'instance.ended' && e.payload.definitionKey === INTERVIEW_PROCESS && e.payload.businessKey) {
      // The interview ran beside the ladder: a missed commitment moves the ladder to 专项督察 at once.
      const [inst] = await this.db.query(`SELECT variables FROM engine_instance WHERE id = $1`, [e.instanceId]);
      // A part's interview answers to the part's own ladder.
      const target = inst?.variables?.targetUnit;
      const ladderKey =
        typeof target === 'string' && target
          ? partLadderKey(String(e.payload.businessKey), target)
          : String(e.payload.businessKey);
      if (inst?.variables?.commitmentMissed === true)
        await this.tell(MSG_COMMITMENT_MISSED, ladderKey, { commitmentMissed: true });
      return;
    }
    if (e.type === 'instance.ended' && e.payload.definitionKey === EXTENSION && e.payload.businessKey) {
      const [inst] = await this.db.query(`SELECT variables FROM engine_instance WHERE id = $1`, [e.instanceId]);
      if (inst?.variables?.extensionApplied)
        await this.tell(MSG_DEADLINE_CHANGED, String(e.payload.businessKey), { deadline: inst.variables.newDeadline });
    }
  }

  /** A message to whatever of this problem waits for it; nothing waiting is no error. */
  async tell(message: string, code: string, variables: Record<string, unknown>): Promise<boolean> {
    try {
      await this.engine.correlateMessage(message, { businessKey: code, variables });
      return true;
    } catch (err) {
      if (err instanceof DomainException && err.code === 'NO_CORRELATION') return false;
      throw err;
    }
  }

  /** The `camunda:formKey` of a user task as deployed (a literal; supervision forms name no variable). */
  private async formKey(definitionId: string, activityId: string, m: EntityManager): Promise<unknown> {
    const ctx = (await this.definitions.context(definitionId, m)) as {
      getActivityById?(id: string): { behaviour?: { formKey?: unknown } } | undefined;
    };
    return ctx.getActivityById?.(activityId)?.behaviour?.formKey ?? null;
  }

  private async deployed(key: string, m: EntityManager): Promise<boolean> {
    const [row] = await m.query(`SELECT 1 FROM engine_definition WHERE key = $1 LIMIT 1`, [key]);
    return Boolean(row);
  }
}
