import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { CalendarService } from '../../calendar/calendar.service.js';
import { Clock } from '../../clock/clock.js';
import { DomainException, notFound } from '../../common/domain-exception.js';
import { DefinitionService, type Queryable } from '../../engine/definition.service.js';
import { isUuid } from '../../engine/engine.service.js';
import { StepService } from '../../engine/step.service.js';
import { OrgService } from '../../org/org.service.js';
import type { CreateProblemDto, MilestoneDto, UpdateProblemDto } from '../dto/problem-input.dto.js';
import { ProblemDetailsRepository } from '../problem-details.repository.js';
import { OPEN_STATUSES } from '../problem-status.js';
import { ProblemsRepository } from '../problems.repository.js';
import { ProblemsService } from '../problems.service.js';
import { RECTIFICATION, startVariables } from '../rectification/rectification-variables.js';
import { newAfterCommit } from '../rectification/step-after-commit.js';
import { chinaDate, isValidDate } from '../rules/china-date.js';
import { tierOf } from '../rules/problem-rules.js';
import { DeadlineHooks } from './deadline-hooks.js';

export interface EditedBy {
  actor: string;
  actorName: string | null;
  /** An office of a lower level: the unit whose subtree its problems' units must lie in. */
  root?: string | null;
}

/** 422 naming one field, in the validation pipe's shape. */
function invalid(field: string, message: string): DomainException {
  return new DomainException('VALIDATION', 422, `${field}：${message}`, { fields: [{ field, message }] });
}

/**
 * One problem entered or corrected by hand (the import does many): checked like a row of the problem list,
 * stored with its rectification process started (交办) or its fields changed, with its trail entry, in one
 * transaction. A new deadline moves whatever hangs on it (DeadlineHooks: the ladder, due dates, timers).
 */
@Injectable()
export class ProblemEditService {
  constructor(
    private readonly db: DataSource,
    private readonly problems: ProblemsRepository,
    private readonly details: ProblemDetailsRepository,
    private readonly reader: ProblemsService,
    private readonly org: OrgService,
    private readonly calendar: CalendarService,
    private readonly definitions: DefinitionService,
    private readonly steps: StepService,
    private readonly audit: AuditService,
    private readonly hooks: DeadlineHooks,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateProblemDto, by: EditedBy) {
    const today = chinaDate(this.clock.now());
    const units = await this.org.directory();
    const lead = units.resolve(dto.leadUnit);
    if (!lead) throw invalid('leadUnit', `没有名为或编码为「${dto.leadUnit}」的单位`);
    const co: string[] = [];
    for (const [i, ref] of (dto.coUnits ?? []).entries()) {
      const u = units.resolve(ref);
      if (!u) throw invalid(`coUnits.${i}`, `没有名为或编码为「${ref}」的单位`);
      if (u.code !== lead.code && !co.includes(u.code)) co.push(u.code);
    }
    if (by.root) {
      const mine = new Set(await this.org.subtreeCodes(by.root));
      const outside = [lead.code, ...co].find((u) => !mine.has(u));
      if (outside) {
        const field = outside === lead.code ? 'leadUnit' : `coUnits.${co.indexOf(outside)}`;
        throw invalid(field, `${units.name(outside)} 不在本办公室督办的范围内`);
      }
    }
    this.checkDeadline(dto.deadline, today);
    const milestones = this.checkMilestones(dto.milestones ?? [], dto.deadline);
    const leader = dto.responsibleLeader ? await this.leaderOf(dto.responsibleLeader) : null;
    const sourceLevel = dto.sourceLevel ?? null;
    const def = await this.definitions.latest(RECTIFICATION).catch(() => {
      throw new DomainException('NOT_DEPLOYED', 409, '整改流程（rectification）尚未部署，不能交办问题');
    });
    const id = randomUUID();
    const code = dto.code.trim();
    const responsibleUnits = [lead.code, ...co];
    const draft = {
      code,
      title: dto.title.trim(),
      description: dto.description?.trim() || null,
      category: dto.category.trim(),
      source: dto.source?.trim() || null,
      leadUnit: lead.code,
      responsibleUnits,
      person: dto.person.trim(),
      deadline: dto.deadline,
      tier: tierOf(today, dto.deadline),
      goal: dto.goal?.trim() || null,
      recheckMonths: dto.recheckMonths ?? 6,
    };
    const after = newAfterCommit();
    await this.db
      .transaction(async (m) => {
        if ((await this.problems.storedCodes([code], m)).size) throw invalid('code', `编号 ${code} 已在台账中`);
        await this.problems.insert(
          { id, ...draft, round: 1, previousProblemId: null, importId: null },
          this.clock.date(),
          m,
        );
        if (milestones.length) await this.details.replaceMilestones(id, milestones, m);
        if (leader || sourceLevel) await this.problems.setResponsibility(id, { leader, sourceLevel }, m);
        const vars = startVariables({ ...draft, problemId: id, problemCode: code, round: 1 }, today);
        const inst = await this.steps.start(def, code, vars, undefined, { m, after });
        await this.problems.bindInstance(id, inst.id, m);
        const entry = { ...by, action: 'problem.created', entityType: 'problem', entityId: id, problemId: id };
        await this.audit.record(
          { ...entry, after: { ...draft, responsibleLeader: leader, sourceLevel, milestones } },
          m,
        );
      })
      .catch((e) => {
        if ((e as { code?: string }).code === '23505') throw invalid('code', `编号 ${code} 已在台账中`);
        throw e;
      });
    await this.steps.deliver(after);
    return this.reader.get(id);
  }

  async update(idOrCode: string, dto: UpdateProblemDto, by: EditedBy) {
    const found = isUuid(idOrCode) ? await this.problems.findById(idOrCode) : await this.problems.findByCode(idOrCode);
    if (!found) throw notFound('problem', idOrCode);
    if (dto.leadUnit !== undefined || dto.coUnits !== undefined) {
      const field = dto.leadUnit !== undefined ? 'leadUnit' : 'coUnits';
      throw new DomainException(
        'UNITS_FIXED',
        422,
        '问题已交办，牵头单位和配合单位不能在此修改；如交办有误，请撤销后重新交办',
        {
          fields: [{ field, message: '交办后不能修改' }],
        },
      );
    }
    const keys = [
      'title',
      'description',
      'category',
      'person',
      'deadline',
      'goal',
      'source',
      'milestones',
      'responsibleLeader',
      'sourceLevel',
    ] as const;
    if (!keys.some((k) => dto[k] !== undefined))
      throw new DomainException('VALIDATION', 422, '没有要修改的内容', { fields: [] });
    const today = chinaDate(this.clock.now());
    const now = this.clock.now();
    const follower = this.hooks.registered;
    const leader = dto.responsibleLeader ? await this.leaderOf(dto.responsibleLeader) : dto.responsibleLeader;
    let moved: Record<string, unknown> | null = null;
    const result = await this.db.transaction(async (m) => {
      // The problem's processes before its row, in the order their own steps take them (instance, then ledger).
      await m.query(
        `SELECT id FROM engine_instance WHERE business_key = $1 AND status = 'active' ORDER BY id FOR UPDATE`,
        [found.code],
      );
      await m.query(`SELECT 1 FROM problem WHERE id = $1 FOR UPDATE`, [found.id]);
      const p = (await this.problems.findById(found.id, m))!;
      const deadline = dto.deadline ?? p.deadline;
      const deadlineMoves = deadline !== p.deadline;
      if (deadlineMoves) {
        if (!OPEN_STATUSES.includes(p.status))
          throw new DomainException('PROBLEM_CLOSED', 409, `问题 ${p.code} 已不在整改中，不能修改整改时限`);
        this.checkDeadline(deadline, today);
      }
      const milestones = dto.milestones ? this.checkMilestones(dto.milestones, deadline) : null;
      if (!milestones && deadlineMoves) await this.checkKeptMilestones(p.id, deadline, m);
      const next = {
        title: dto.title?.trim() ?? p.title,
        description: dto.description === undefined ? p.description : dto.description?.trim() || null,
        category: dto.category?.trim() ?? p.category,
        person: dto.person?.trim() ?? p.responsible_person,
        deadline,
        goal: dto.goal === undefined ? p.goal : dto.goal?.trim() || null,
        source: dto.source === undefined ? p.source : dto.source?.trim() || null,
      };
      await this.problems.updateFields(p.id, next, m);
      const responsibility = {
        leader: leader === undefined ? p.responsible_leader : leader,
        sourceLevel: dto.sourceLevel === undefined ? p.source_level : dto.sourceLevel,
      };
      await this.problems.setResponsibility(p.id, responsibility, m);
      if (milestones) await this.details.replaceMilestones(p.id, milestones, m);
      if (deadlineMoves && follower)
        moved = await follower.inTransaction(m, { ...p, deadline }, p.deadline, deadline, now);
      const before = {
        title: p.title,
        description: p.description,
        category: p.category,
        person: p.responsible_person,
        deadline: p.deadline,
        goal: p.goal,
        source: p.source,
        responsibleLeader: p.responsible_leader,
        sourceLevel: p.source_level,
      };
      const changed = Object.fromEntries(
        Object.entries({
          ...next,
          responsibleLeader: responsibility.leader,
          sourceLevel: responsibility.sourceLevel,
        }).filter(([k, v]) => before[k as keyof typeof before] !== v),
      );
      const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]]));
      const entry = { ...by, action: 'problem.updated', entityType: 'problem', entityId: p.id, problemId: p.id };
      const details = {
        reason: dto.reason?.trim() || null,
        ...(milestones ? { milestones } : {}),
        ...(moved ? { moved } : {}),
      };
      await this.audit.record({ ...entry, before: was, after: changed, details }, m);
      return { p, deadlineMoves, deadline };
    });
    if (result.deadlineMoves && follower)
      await follower.afterCommit({ ...result.p, deadline: result.deadline }, result.deadline);
    return this.reader.get(found.id);
  }

  /** 责任领导: an enabled leader account, by username or person name; its username. */
  private async leaderOf(ref: string): Promise<string> {
    const found = await this.problems.leaderAccounts(ref.trim());
    if (!found.length) throw invalid('responsibleLeader', `没有用户名或姓名为「${ref}」的领导账号`);
    if (found.length > 1) throw invalid('responsibleLeader', `姓名「${ref}」对应多个领导账号，请填写用户名`);
    return found[0].username;
  }

  /** Not before today, and on a day the working-day calendar can count (the ladder counts from it). */
  private checkDeadline(date: string, today: string): void {
    if (!isValidDate(date)) throw invalid('deadline', '不是有效的日期');
    if (date < today) throw invalid('deadline', `整改时限 ${date} 早于今天（${today}）`);
    try {
      this.calendar.addWorkdays(date, 0);
    } catch (e) {
      throw invalid('deadline', `工作日历无法计算此日期：${(e as Error).message}`);
    }
  }

  private checkMilestones(
    items: MilestoneDto[],
    deadline: string,
  ): { title: string; dueDate: string; doneDate: null }[] {
    return items.map((ms, i) => {
      if (!isValidDate(ms.dueDate)) throw invalid(`milestones.${i}.dueDate`, '不是有效的日期');
      if (ms.dueDate > deadline)
        throw invalid(`milestones.${i}.dueDate`, `节点日期 ${ms.dueDate} 晚于整改时限 ${deadline}`);
      return { title: ms.title.trim(), dueDate: ms.dueDate, doneDate: null };
    });
  }

  /** An earlier deadline must still hold the plan's open milestones. */
  private async checkKeptMilestones(problemId: string, deadline: string, q: Queryable): Promise<void> {
    const late = (await this.details.milestones(problemId, q)).find((ms) => !ms.done_date && ms.due_date > deadline);
    if (late)
      throw invalid('deadline', `整改时限早于未完成节点「${late.title}」的日期 ${late.due_date}，请同时调整节点计划`);
  }
}
