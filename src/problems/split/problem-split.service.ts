import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { CalendarService } from '../../calendar/calendar.service.js';
import { Clock } from '../../clock/clock.js';
import { DomainException, notFound } from '../../common/domain-exception.js';
import { DefinitionService } from '../../engine/definition.service.js';
import { isUuid } from '../../engine/engine.service.js';
import { StepService } from '../../engine/step.service.js';
import { OrgService } from '../../org/org.service.js';
import { MAX_CHILDREN, type SplitProblemDto } from '../dto/split-problem.dto.js';
import { OPEN_STATUSES } from '../problem-status.js';
import { ProblemsRepository } from '../problems.repository.js';
import { ProblemsService } from '../problems.service.js';
import { RECTIFICATION, startVariables } from '../rectification/rectification-variables.js';
import { newAfterCommit } from '../rectification/step-after-commit.js';
import { chinaDate, isValidDate } from '../rules/china-date.js';
import { tierOf } from '../rules/problem-rules.js';

export interface SplitBy {
  actor: string;
  actorName: string | null;
  /** The splitter's office unit (an office of a lower level), or null for the root office and admin. */
  root: string | null;
}

function invalid(field: string, message: string): DomainException {
  return new DomainException('VALIDATION', 422, `${field}：${message}`, { fields: [{ field, message }] });
}

/**
 * 拆分下达: a problem assigned at one level split into child problems for units below its lead unit, each with
 * its own rectification process, in one transaction with the trail. The parent is signed off only when every
 * child is (RectificationListener), and each child's sign-off is filed up to it (备案).
 */
@Injectable()
export class ProblemSplitService {
  constructor(
    private readonly db: DataSource,
    private readonly problems: ProblemsRepository,
    private readonly reader: ProblemsService,
    private readonly org: OrgService,
    private readonly calendar: CalendarService,
    private readonly definitions: DefinitionService,
    private readonly steps: StepService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async split(idOrCode: string, dto: SplitProblemDto, by: SplitBy) {
    const today = chinaDate(this.clock.now());
    const found = isUuid(idOrCode) ? await this.problems.findById(idOrCode) : await this.problems.findByCode(idOrCode);
    if (!found) throw notFound('problem', idOrCode);
    const units = await this.org.directory();
    const below = new Set((await this.org.subtreeCodes(found.lead_unit)).filter((c) => c !== found.lead_unit));
    const mine = by.root ? new Set(await this.org.subtreeCodes(by.root)) : null;
    const seen = new Set<string>();
    const children = dto.children.map((c, i) => {
      const unit = units.resolve(c.unitCode);
      if (!unit) throw invalid(`children.${i}.unitCode`, `没有编码为 ${c.unitCode} 的单位`);
      if (!below.has(unit.code))
        throw invalid(`children.${i}.unitCode`, `${unit.name} 不是牵头单位 ${units.name(found.lead_unit)} 的下级单位`);
      if (mine && !mine.has(unit.code))
        throw invalid(`children.${i}.unitCode`, `${unit.name} 不在本办公室督办的范围内`);
      if (seen.has(unit.code)) throw invalid(`children.${i}.unitCode`, `${unit.name} 在本次拆分中出现了两次`);
      seen.add(unit.code);
      if (!isValidDate(c.deadline)) throw invalid(`children.${i}.deadline`, '不是有效的日期');
      if (c.deadline < today) throw invalid(`children.${i}.deadline`, `整改时限 ${c.deadline} 早于今天（${today}）`);
      if (c.deadline > found.deadline)
        throw invalid(`children.${i}.deadline`, `整改时限 ${c.deadline} 晚于上级问题的整改时限 ${found.deadline}`);
      try {
        this.calendar.addWorkdays(c.deadline, 0);
      } catch (e) {
        throw invalid(`children.${i}.deadline`, `工作日历无法计算此日期：${(e as Error).message}`);
      }
      return { unitCode: unit.code, title: c.title.trim(), deadline: c.deadline };
    });
    const def = await this.definitions.latest(RECTIFICATION).catch(() => {
      throw new DomainException('NOT_DEPLOYED', 409, '整改流程（rectification）尚未部署，不能拆分下达');
    });
    const heads = new Map<string, string | null>();
    for (const c of children) {
      const persons = await this.org.persons(c.unitCode);
      heads.set(c.unitCode, (persons.find((p) => p.role === 'head') ?? persons[0])?.name ?? null);
    }
    const after = newAfterCommit();
    const created: { id: string; code: string }[] = [];
    await this.db.transaction(async (m) => {
      await m.query(`SELECT 1 FROM problem WHERE id = $1 FOR UPDATE`, [found.id]);
      const p = (await this.problems.findById(found.id, m))!;
      if (!OPEN_STATUSES.includes(p.status))
        throw new DomainException('PROBLEM_CLOSED', 409, `问题 ${p.code} 已不在整改中，不能拆分下达`);
      const existing = await this.problems.children(p.id, m);
      if (existing.length + children.length > MAX_CHILDREN)
        throw invalid('children', `一个问题最多拆分为 ${MAX_CHILDREN} 个下级问题，已有 ${existing.length} 个`);
      const codes = children.map((_, i) => `${p.code}-${existing.length + i + 1}`);
      const taken = await this.problems.storedCodes(codes, m);
      if (taken.size) throw new DomainException('CONFLICT', 409, `编号 ${[...taken].join('、')} 已在台账中`);
      for (const [i, c] of children.entries()) {
        const id = randomUUID();
        const draft = {
          code: codes[i],
          title: c.title,
          description: p.description,
          category: p.category,
          source: p.source,
          leadUnit: c.unitCode,
          responsibleUnits: [c.unitCode],
          person: heads.get(c.unitCode) ?? null,
          deadline: c.deadline,
          tier: tierOf(today, c.deadline),
          goal: p.goal,
          recheckMonths: p.recheck_months,
        };
        await this.problems.insert(
          { id, ...draft, round: 1, previousProblemId: null, importId: null },
          this.clock.date(),
          m,
        );
        await this.problems.setParent(id, p.id, m);
        const vars = startVariables({ ...draft, problemId: id, problemCode: draft.code, round: 1 }, today);
        const inst = await this.steps.start(def, draft.code, vars, undefined, { m, after });
        await this.problems.bindInstance(id, inst.id, m);
        const entry = { actor: by.actor, actorName: by.actorName, entityType: 'problem', entityId: id, problemId: id };
        await this.audit.record(
          { ...entry, action: 'problem.created', after: { ...draft, parentProblemId: p.id, parentCode: p.code } },
          m,
        );
        created.push({ id, code: draft.code });
      }
      await this.audit.record(
        {
          actor: by.actor,
          actorName: by.actorName,
          action: 'problem.split',
          entityType: 'problem',
          entityId: p.id,
          problemId: p.id,
          after: { children: created.map((x, i) => ({ ...x, ...children[i] })) },
        },
        m,
      );
    });
    await this.steps.deliver(after);
    return this.reader.get(found.id);
  }
}
