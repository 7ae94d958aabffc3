import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, type AuditInput } from '../audit/audit.service.js';
import { runInCallContext, type PastAct } from '../auth/call-context.js';
import { Clock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DefinitionService } from '../engine/definition.service.js';
import { EngineService } from '../engine/engine.service.js';
import { StepService } from '../engine/step.service.js';
import { ProblemsRepository } from '../problems/problems.repository.js';
import { RECTIFICATION, startVariables } from '../problems/rectification/rectification-variables.js';
import { newAfterCommit, type StepAfterCommit } from '../problems/rectification/step-after-commit.js';
import { chinaDate } from '../problems/rules/china-date.js';
import { tierOf } from '../problems/rules/problem-rules.js';
import { BulletinService } from '../reports/bulletin.service.js';
import { IndicatorRepository } from '../reports/indicators/indicator.repository.js';
import { MONTHLY_CYCLE } from '../reports/monthly/monthly-cycle-handlers.js';
import { MonthlyCycleStarter } from '../reports/monthly/monthly-cycle.starter.js';
import { addMonthsTo, monthEnd, monthOf } from '../reports/rules/month.js';
import { DEMO_TARGETS, demoValues } from './demo-indicators.js';
import { DEMO_CITY, DEMO_UNITS, demoPerson } from './demo-org.js';
import { DEMO_ASSIGNED_ON, DEMO_PROBLEMS, DEMO_SOURCE } from './demo-problems.js';
import { TaskActor } from './task-actor.js';

export interface DemoLoadResult {
  units: number;
  problems: number;
  closed: number;
  started: number;
  walked: number;
}

const ASSIGNED_AT = Date.parse(`${DEMO_ASSIGNED_ON}T09:00:00+08:00`);
const DAY = 86_400_000;
const at = (day: string, hour: number) => new Date(Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`));

/**
 * When the plan's steps happened: 签收 the day after 交办, the plan on its date, its review two days later,
 * 整改落实 from then.
 */
function planTimes(planned: string) {
  const signed = at(chinaDate(ASSIGNED_AT + DAY), 10);
  const plannedAt = at(planned, 17);
  const reviewed = new Date(plannedAt.getTime() + 2 * DAY - 6 * 3_600_000);
  return { assigned: new Date(ASSIGNED_AT), signed, plannedAt, reviewed };
}

/** The city's office (督办办公室 of 天门市), who assigns, reviews and signs off in the demo's history. */
const OFFICE = { person: demoPerson(DEMO_CITY), unitCode: DEMO_CITY };

/**
 * The seed's plan as demo content: its units with a person each, its problems with their deadlines, its
 * indicator targets, and a rectification process for each problem still open. It is loaded as of the
 * clock: what the plan's history (demo-problems.ts) says happened before now is applied — problems signed
 * off by now are records of the past (closed, with their sign-off and 回头看 dates, no process); problems
 * still open keep their 2017 assignment and deadline, get their process, and are taken to 整改落实 when
 * their plan was approved by now. At the plan's own date (the simulation) every problem is simply assigned.
 */
@Injectable()
export class DemoLoader implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('demo');

  constructor(
    private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly definitions: DefinitionService,
    private readonly steps: StepService,
    private readonly problems: ProblemsRepository,
    private readonly indicators: IndicatorRepository,
    private readonly actor: TaskActor,
    private readonly engine: EngineService,
    private readonly cycle: MonthlyCycleStarter,
    private readonly audit: AuditService,
    private readonly bulletins: BulletinService,
  ) {}

  private autoload = false;

  /**
   * Only on the embedded default with an empty ledger (never in tests), or when DUBAN_DEMO=true. The units go
   * in before start-up ends (the first-start accounts are made for one of them); the problems after listen.
   */
  async onModuleInit(): Promise<void> {
    const demo = this.config.DUBAN_DEMO;
    if (demo === false) return;
    if (demo !== true && (!this.config.embedded || this.config.NODE_ENV === 'test')) return;
    if (demo !== true && (await this.problems.count()) > 0) return;
    if (await this.problems.findByCode(DEMO_PROBLEMS[0].code)) return;
    await this.loadUnits();
    this.autoload = true;
  }

  onApplicationBootstrap(): void {
    // After listen: starting the processes takes a few seconds on the embedded database.
    if (this.autoload) setTimeout(() => void this.loadWhenDeployed(), 0);
  }

  private async loadWhenDeployed(): Promise<void> {
    try {
      for (let i = 0; i < 100 && !(await this.definitions.latest(RECTIFICATION).catch(() => null)); i++)
        await new Promise((r) => setTimeout(r, 200));
      const r = await this.load();
      this.logger.log(
        `demo loaded: ${r.units} units, ${r.problems} problems (${r.closed} signed off in the plan's history, ${r.started} processes started, ${r.walked} at 整改落实)`,
      );
      await this.restartEmptyRound();
    } catch (e) {
      this.logger.error(`demo not loaded: ${(e as Error).message}`);
    }
  }

  /**
   * The monthly cycle started at boot on the empty ledger and asked nobody this month: start it over, so
   * the units of the demo's open problems are asked for this month's report.
   */
  private async restartEmptyRound(): Promise<void> {
    const [cycle] = await this.db.query(
      `SELECT i.id FROM engine_instance i WHERE i.definition_key = $1 AND i.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM engine_task t WHERE t.instance_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM monthly_report_request r WHERE r.instance_id = i.id)`,
      [MONTHLY_CYCLE],
    );
    if (!cycle) return;
    await this.engine.deleteInstance(cycle.id, 'started over once the demo data was loaded');
    const res = await this.cycle.ensure();
    if (res.started) this.logger.log(`monthly cycle started over for the demo (instance ${res.instanceId})`);
  }

  async load(): Promise<DemoLoadResult> {
    const now = this.clock.now();
    const today = chinaDate(now);
    const def = await this.definitions.latest(RECTIFICATION);
    const units = await this.loadUnits();
    const after = newAfterCommit();
    const result: DemoLoadResult = { units: units.size, problems: 0, closed: 0, started: 0, walked: 0 };
    const open: string[] = [];
    const started: string[] = [];
    await this.db.transaction(async (m) => {
      for (const p of DEMO_PROBLEMS) {
        if (await this.problems.findByCode(p.code, m)) continue;
        const lead = units.get(p.lead)!;
        const responsible = [lead, ...p.units.map((u) => units.get(u)!).filter((u) => u !== lead)];
        const id = randomUUID();
        const assignedAt = Math.min(ASSIGNED_AT, now);
        await this.problems.insert(
          {
            id,
            code: p.code,
            source: p.source ?? DEMO_SOURCE,
            title: p.title,
            description: null,
            category: p.category,
            leadUnit: lead,
            responsibleUnits: responsible,
            person: DEMO_UNITS.find((u) => u.code === p.lead)?.person ?? null,
            deadline: p.deadline,
            tier: tierOf(chinaDate(assignedAt), p.deadline),
            goal: p.goal,
            recheckMonths: 6,
            round: 1,
            previousProblemId: null,
            importId: null,
          },
          new Date(assignedAt),
          m,
        );
        result.problems++;
        const parent = p.parent ? await this.problems.findByCode(p.parent, m) : null;
        if (parent) await this.problems.setParent(id, parent.id, m);
        const h = p.history;
        // Loaded after its date, the assignment is history: the trail says when it was and who did it.
        const assigned: PastAct | undefined = assignedAt < now ? { at: new Date(assignedAt), ...OFFICE } : undefined;
        if (assigned)
          await this.recordPast(m, assigned, {
            action: 'problem.created',
            entityType: 'problem',
            entityId: id,
            problemId: id,
            after: {
              code: p.code,
              title: p.title,
              leadUnit: lead,
              responsibleUnits: responsible,
              deadline: p.deadline,
            },
          });
        if (h.signedOff && h.signedOff <= today) {
          const rechecked = h.rechecked && h.rechecked <= today ? h.rechecked : null;
          await this.closeAsRecord(m, id, h.signedOff, rechecked);
          await this.recordPast(
            m,
            { at: at(h.signedOff, 9), ...OFFICE },
            {
              action: 'problem.signed_off',
              entityType: 'problem',
              entityId: id,
              problemId: id,
              details: { businessKey: p.code, comment: '整改到位，同意销号' },
            },
          );
          if (rechecked)
            await this.recordPast(
              m,
              { at: at(rechecked, 9), ...OFFICE },
              {
                action: 'problem.rechecked',
                entityType: 'problem',
                entityId: id,
                problemId: id,
                details: { businessKey: p.code, comment: '回头看现场检查，整改成果巩固，未见反弹' },
              },
            );
          if (parent) await this.fileUp(m, id, parent.id, lead, h.signedOff);
          result.closed++;
          continue;
        }
        // Lit from the first second: past its deadline is red now, not when the ladder gets to it.
        if (p.deadline < today) await m.query(`UPDATE problem SET light = 'red' WHERE id = $1`, [id]);
        const vars = startVariables(
          {
            problemId: id,
            problemCode: p.code,
            title: p.title,
            leadUnit: lead,
            responsibleUnits: responsible,
            deadline: p.deadline,
            recheckMonths: 6,
            round: 1,
          },
          chinaDate(assignedAt),
        );
        const start = () => this.steps.start(def, p.code, vars, undefined, { m, after });
        const inst = assigned ? await runInCallContext({ kind: 'history', past: assigned }, start) : await start();
        await this.problems.bindInstance(id, inst.id, m);
        result.started++;
        started.push(p.code);
        if (h.planned && h.planned <= today) open.push(p.code);
      }
      await this.loadIndicators(m, monthOf(now));
    });
    await this.steps.deliver(after);
    // From the ledger's dates, before the walks: the history's months are over whatever the steps do now.
    await this.publishHistory();
    for (const [i, code] of open.entries()) {
      const p = DEMO_PROBLEMS.find((x) => x.code === code)!;
      const r = await this.actor.walkToRectifying(code, this.pastSteps(p.lead, p.history.planned!, units));
      if (!r.failed.length) result.walked++;
      await this.onPlanDates(code, p.history.planned!);
      this.logger.log(`demo: ${code} at 整改落实 (${i + 1}/${open.length})`);
    }
    await this.runParked(started);
    return result;
  }

  /**
   * 月通报 of the history's months (from the assignment to its last sign-off or 回头看), each published on the
   * 5th of the next month as the office did then: the units and leaders find them among what is copied to
   * them (抄送), with their own numbers and dates.
   */
  private async publishHistory(): Promise<void> {
    const now = this.clock.now();
    const last = DEMO_PROBLEMS.flatMap((p) => [p.history.signedOff, p.history.rechecked])
      .filter((d): d is string => !!d)
      .sort()
      .at(-1);
    if (!last) return;
    for (let month = DEMO_ASSIGNED_ON.slice(0, 7); month <= last.slice(0, 7); month = addMonthsTo(month, 1)) {
      const publishedAt = at(`${addMonthsTo(month, 1)}-05`, 10);
      if (monthEnd(month) > now || publishedAt.getTime() > now) break;
      await this.bulletins.publishIfAbsent(month, 'demo', undefined, publishedAt);
    }
  }

  /**
   * The service tasks the open problems' processes parked (the escalation ladder's first rung, started with the
   * rectification): run now, not at the next reconcile a minute later, so that an overdue problem carries its
   * supervision action and its document from the first second. A rung that starts another process (约谈,
   * 专项督察) may park again: a few passes.
   */
  private async runParked(codes: string[]): Promise<void> {
    for (let pass = 0; pass < 3 && codes.length; pass++) {
      const parked: { id: string }[] = await this.db.query(
        `SELECT id FROM engine_instance WHERE status = 'active' AND pending_services AND business_key = ANY($1::text[])`,
        [codes],
      );
      if (!parked.length) return;
      for (const r of parked) await this.engine.runServices(r.id);
    }
  }

  /**
   * The walked steps as acts of the past (planTimes): 签收 and the plan by the lead unit's person, the review by
   * the office; none when the plan's dates are not all past (the simulation walks on its own clock).
   */
  private pastSteps(lead: string, planned: string, units: Map<string, string>) {
    const { signed, plannedAt, reviewed } = planTimes(planned);
    if (ASSIGNED_AT > this.clock.now() || reviewed.getTime() > this.clock.now()) return undefined;
    const unit = { person: demoPerson(lead), unitCode: units.get(lead) ?? lead };
    const by: Record<string, PastAct> = {
      sign: { at: signed, ...unit },
      plan: { at: plannedAt, ...unit },
      review: { at: reviewed, ...OFFICE },
    };
    return (t: { activityId: string }) => by[t.activityId];
  }

  /** An entry of the trail for an act of the past, recorded now with the date and actor it happened with. */
  private recordPast(m: EntityManager, past: PastAct, entry: Omit<AuditInput, 'actor'>): Promise<void> {
    const details = entry.details && typeof entry.details === 'object' ? entry.details : {};
    return this.audit.record(
      {
        ...entry,
        actor: 'system',
        details: {
          ...details,
          occurredAt: past.at.toISOString(),
          actedBy: { person: past.person, unitCode: past.unitCode },
        },
      },
      m,
    );
  }

  /**
   * The steps walked just now took seconds; the plan says when they happened (planTimes). The history (and
   * the step averages built on it) tells those dates.
   */
  private async onPlanDates(code: string, planned: string): Promise<void> {
    const { signed, plannedAt, reviewed } = planTimes(planned);
    const spans: [string, Date, Date | null][] = [
      ['sign', new Date(ASSIGNED_AT), signed],
      ['plan', signed, plannedAt],
      ['review', plannedAt, reviewed],
      ['rectify', reviewed, null],
      ['coRectify', reviewed, null],
    ];
    if (ASSIGNED_AT > this.clock.now() || reviewed.getTime() > this.clock.now()) return;
    for (const [activity, start, end] of spans) {
      await this.db.query(
        `UPDATE engine_history h SET started_at = $3, ended_at = CASE WHEN h.ended_at IS NULL THEN NULL ELSE $4::timestamptz END
           FROM engine_instance i WHERE i.id = h.instance_id AND i.business_key = $1 AND i.definition_key = $5 AND h.activity_id = $2`,
        [code, activity, start, end ?? start, RECTIFICATION],
      );
    }
    await this.db.query(
      `UPDATE engine_task SET created_at = $2 WHERE business_key = $1 AND activity_id IN ('rectify', 'coRectify', 'partRectify')`,
      [code, reviewed],
    );
  }

  /** Units by demo code → the code used here (a unit of that name may exist under another code). */
  async loadUnits(): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    await this.db.transaction(async (m) => {
      for (const u of DEMO_UNITS) {
        const [byCode] = await m.query(`SELECT code FROM org_unit WHERE code = $1`, [u.code]);
        const [byName] = byCode ? [byCode] : await m.query(`SELECT code FROM org_unit WHERE name = $1`, [u.name]);
        let code = byName?.code as string | undefined;
        if (!code) {
          await m.query(`INSERT INTO org_unit (code, name, parent_code, level, created_at) VALUES ($1,$2,$3,$4,$5)`, [
            u.code,
            u.name,
            u.parent ? map.get(u.parent) : null,
            u.level ?? null,
            this.clock.date(),
          ]);
          code = u.code;
        }
        map.set(u.code, code);
        const [person] = await m.query(`SELECT 1 FROM org_person WHERE unit_code = $1 LIMIT 1`, [code]);
        if (!person) {
          await m.query(
            `INSERT INTO org_person (id, name, unit_code, role, phone, created_at) VALUES ($1,$2,$3,'handler',$4,$5)`,
            [randomUUID(), u.person, code, u.phone, this.clock.date()],
          );
        }
      }
    });
    return map;
  }

  /** 销号 and 回头看 that happened before now, as the ledger records them (09:00 China time on the day). */
  private async closeAsRecord(
    m: EntityManager,
    id: string,
    signedOff: string,
    rechecked: string | null,
  ): Promise<void> {
    await m.query(
      `UPDATE problem SET status = 'closed', signed_off_at = $2, closed_at = $2, rechecked_at = $3, effective_at = $3 WHERE id = $1`,
      [id, at(signedOff, 9), rechecked ? at(rechecked, 9) : null],
    );
  }

  /** 备案: a child problem's sign-off of the plan's history, filed up to its parent. */
  private async fileUp(m: EntityManager, id: string, parentId: string, unit: string, signedOff: string) {
    const at = new Date(`${signedOff}T09:00:00+08:00`);
    await m.query(
      `INSERT INTO problem_filing (id, problem_id, parent_problem_id, unit_code, signed_off_at, filed_at)
       VALUES ($1,$2,$3,$4,$5,$5) ON CONFLICT (problem_id) DO NOTHING`,
      [randomUUID(), id, parentId, unit, at],
    );
  }

  private async loadIndicators(m: EntityManager, month: string): Promise<void> {
    for (const t of DEMO_TARGETS) await this.indicators.upsertTarget(t, m);
    for (const v of demoValues(month)) await this.indicators.upsertValue(v, this.clock.date(), m);
  }
}
