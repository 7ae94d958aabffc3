import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../engine/definition.service.js';
import { returned } from '../common/sql.js';
import type { Light, ProblemStatus, Tier } from './problem-status.js';
import { OPEN_STATUSES } from './problem-status.js';
import { problemInUnits } from '../org/office-scope.js';
import type { StepWrites } from '../engine/step-writes.js';

export interface ProblemRow {
  id: string;
  code: string;
  source: string | null;
  title: string;
  description: string | null;
  category: string;
  lead_unit: string;
  responsible_units: string[];
  responsible_person: string | null;
  deadline: string;
  tier: Tier;
  goal: string | null;
  recheck_months: number;
  status: ProblemStatus;
  light: Light;
  process_instance_id: string | null;
  round: number;
  previous_problem_id: string | null;
  /** The problem this one was split from (拆分下达), if any. */
  parent_problem_id: string | null;
  /** How many problems were split from this one, and how many of them are signed off. */
  children_total: number;
  children_signed_off: number;
  created_at: Date;
  signed_off_at: Date | null;
  closed_at: Date | null;
  rechecked_at: Date | null;
  /** 见效: the 回头看 that first found the rectification holding and showing its effect. */
  effective_at: Date | null;
  /** 责任领导: the username of a leader's account. */
  responsible_leader: string | null;
  /** The level a problem came down from (交办 by a higher level's office); its sign-off is filed there (备案). */
  source_level: string | null;
}

export interface LeaderAccount {
  username: string;
  person_id: string | null;
  name: string;
}

export interface FilingRow {
  id: string;
  problem_id: string;
  code: string;
  title: string;
  unit_code: string;
  signed_off_at: Date;
  filed_at: Date;
}

export interface NewProblem {
  id: string;
  code: string;
  source: string | null;
  title: string;
  description: string | null;
  category: string;
  leadUnit: string;
  responsibleUnits: string[];
  person: string | null;
  deadline: string;
  tier: Tier;
  goal: string | null;
  recheckMonths: number;
  round: number;
  previousProblemId: string | null;
  importId: string | null;
}

/** One 回头看's conclusion on a struck-off problem: rebounded (反弹), effective (见效), or neither yet. */
export interface EffectCheckRow {
  id: string;
  problem_id: string;
  task_id: string;
  checked_at: Date;
  checked_by: string | null;
  rebound: boolean;
  effective: boolean;
  findings: string;
}

export interface ProblemFilter {
  status?: ProblemStatus;
  light?: Light;
  unit?: string;
  /** Units of a subtree: problems one of them leads or shares. */
  units?: string[];
  category?: string;
  /** 责任领导: the leader account's username. */
  leader?: string;
  overdueOn?: string;
  dueBefore?: string;
  q?: string;
  limit: number;
  offset: number;
}

const COLS = `id, code, source, title, description, category, lead_unit, responsible_units, responsible_person, deadline::text AS deadline,
  tier, goal, recheck_months, status, light, process_instance_id, round, previous_problem_id, parent_problem_id,
  (SELECT count(*)::int FROM problem c WHERE c.parent_problem_id = problem.id) AS children_total,
  (SELECT count(*)::int FROM problem c WHERE c.parent_problem_id = problem.id AND c.signed_off_at IS NOT NULL) AS children_signed_off,
  created_at, signed_off_at, closed_at, rechecked_at, effective_at, responsible_leader, source_level`;

/** The ledger's order: the open problems first, the most urgent light first (red, yellow, blue, green), then by deadline. */
const LEDGER_ORDER = `(status = ANY('{assigned,planning,rectifying,applying}')) DESC,
  CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'blue' THEN 2 ELSE 3 END, deadline, code`;

/** The problem ledger (台账): single-purpose queries; `q` is the caller's transaction when there is one. */
@Injectable()
export class ProblemsRepository {
  constructor(private readonly db: DataSource) {}

  async storedCodes(codes: string[], q: Queryable = this.db): Promise<Set<string>> {
    if (!codes.length) return new Set();
    const rows: { code: string }[] = await q.query(`SELECT code FROM problem WHERE code = ANY($1)`, [codes]);
    return new Set(rows.map((r) => r.code));
  }

  async insert(p: NewProblem, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO problem (id, code, source, title, description, category, lead_unit, responsible_units, responsible_person, deadline, tier, goal,
         recheck_months, status, round, previous_problem_id, import_id, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'assigned',$14,$15,$16,$17)`,
      [
        p.id,
        p.code,
        p.source,
        p.title,
        p.description,
        p.category,
        p.leadUnit,
        p.responsibleUnits,
        p.person,
        p.deadline,
        p.tier,
        p.goal,
        p.recheckMonths,
        p.round,
        p.previousProblemId,
        p.importId,
        at,
      ],
    );
  }

  /** The office's correction of a problem's own fields (not its units, status or process). */
  async updateFields(
    id: string,
    f: {
      title: string;
      description: string | null;
      category: string;
      person: string | null;
      deadline: string;
      goal: string | null;
      source: string | null;
    },
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `UPDATE problem SET title = $2, description = $3, category = $4, responsible_person = $5, deadline = $6, goal = $7, source = $8 WHERE id = $1`,
      [id, f.title, f.description, f.category, f.person, f.deadline, f.goal, f.source],
    );
  }

  /** Many problems in one statement (an import's batch); `at` is their assignment time. */
  async insertMany(ps: NewProblem[], at: Date, q: Queryable = this.db): Promise<void> {
    if (!ps.length) return;
    const params: unknown[] = [];
    const values = ps.map((p) => {
      const base = params.length;
      params.push(
        p.id,
        p.code,
        p.source,
        p.title,
        p.description,
        p.category,
        p.leadUnit,
        p.responsibleUnits,
        p.person,
        p.deadline,
        p.tier,
        p.goal,
        p.recheckMonths,
        p.round,
        p.previousProblemId,
        p.importId,
        at,
      );
      return `(${Array.from({ length: 17 }, (_, i) => (i === 13 ? `'assigned',$${base + i + 1}` : `$${base + i + 1}`)).join(',')})`;
    });
    await q.query(
      `INSERT INTO problem (id, code, source, title, description, category, lead_unit, responsible_units, responsible_person, deadline, tier, goal,
         recheck_months, status, round, previous_problem_id, import_id, created_at)
       VALUES ${values.join(',')}`,
      params,
    );
  }

  /** Each problem of a batch bound to its process, in one statement. */
  async bindInstances(pairs: { id: string; instanceId: string }[], q: Queryable = this.db): Promise<void> {
    if (!pairs.length) return;
    await q.query(
      `UPDATE problem p SET process_instance_id = v.inst FROM unnest($1::uuid[], $2::uuid[]) AS v(id, inst) WHERE p.id = v.id`,
      [pairs.map((x) => x.id), pairs.map((x) => x.instanceId)],
    );
  }

  async findById(id: string, q: Queryable = this.db): Promise<ProblemRow | null> {
    const [row] = await q.query(`SELECT ${COLS} FROM problem WHERE id = $1`, [id]);
    return row ?? null;
  }

  async findByCode(code: string, q: Queryable = this.db): Promise<ProblemRow | null> {
    const [row] = await q.query(`SELECT ${COLS} FROM problem WHERE code = $1`, [code]);
    return row ?? null;
  }

  async findByInstance(instanceId: string, q: Queryable = this.db): Promise<ProblemRow | null> {
    const [row] = await q.query(`SELECT ${COLS} FROM problem WHERE process_instance_id = $1`, [instanceId]);
    return row ?? null;
  }

  async findByImport(importId: string, q: Queryable = this.db): Promise<ProblemRow[]> {
    return q.query(`SELECT ${COLS} FROM problem WHERE import_id = $1 ORDER BY created_at, code`, [importId]);
  }

  async findNextRound(problemId: string, q: Queryable = this.db): Promise<ProblemRow | null> {
    const [row] = await q.query(`SELECT ${COLS} FROM problem WHERE previous_problem_id = $1`, [problemId]);
    return row ?? null;
  }

  async bindInstance(id: string, instanceId: string, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE problem SET process_instance_id = $2 WHERE id = $1`, [id, instanceId]);
  }

  /** The stage reached by the problem's process; binds the process to the problem on its first task. */
  /** 责任领导 and the level the problem came from (null clears them). */
  async setResponsibility(
    id: string,
    r: { leader: string | null; sourceLevel: string | null },
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(`UPDATE problem SET responsible_leader = $2, source_level = $3 WHERE id = $1`, [
      id,
      r.leader,
      r.sourceLevel,
    ]);
  }

  /** An enabled leader account by its username or its person's name (every match, at most two). */
  async leaderAccounts(ref: string, q: Queryable = this.db): Promise<LeaderAccount[]> {
    return q.query(
      `SELECT a.username, a.person_id, coalesce(op.name, a.username) AS name FROM account a LEFT JOIN org_person op ON op.id = a.person_id
       WHERE a.role = 'leader' AND NOT a.disabled AND (a.username = $1 OR op.name = $1) ORDER BY a.username LIMIT 2`,
      [ref],
    );
  }

  /** Every enabled leader account (the 责任领导 a problem may name), bounded. */
  async allLeaders(q: Queryable = this.db): Promise<LeaderAccount[]> {
    return q.query(
      `SELECT a.username, a.person_id, coalesce(op.name, a.username) AS name FROM account a LEFT JOIN org_person op ON op.id = a.person_id
       WHERE a.role = 'leader' AND NOT a.disabled ORDER BY name, a.username LIMIT 500`,
    );
  }

  async setStage(code: string, instanceId: string, status: ProblemStatus, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE problem SET status = $3, process_instance_id = $2 WHERE code = $1 AND (process_instance_id IS NULL OR process_instance_id = $2)`,
      [code, instanceId, status],
    );
  }

  /**
   * As `setStage`, as a part of an engine step's one write; of the stages one step reaches, the last is kept
   * (the parts of one statement must not write the same row twice).
   */
  setStageInStep(code: string, instanceId: string, status: ProblemStatus, writes: StepWrites): void {
    writes.collect(`problem-stage:${code}`, { code, instanceId, status }, (items) => {
      const last = items[items.length - 1] as { code: string; instanceId: string; status: ProblemStatus };
      return {
        sql: `UPDATE problem SET status = $3, process_instance_id = $2 WHERE code = $1 AND (process_instance_id IS NULL OR process_instance_id = $2)`,
        params: [last.code, last.instanceId, last.status],
      };
    });
  }

  async markSignedOff(instanceId: string, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE problem SET status = 'closed', signed_off_at = COALESCE(signed_off_at, $2), closed_at = COALESCE(closed_at, $2) WHERE process_instance_id = $1`,
      [instanceId, at],
    );
  }

  /** 回头看 found it holding: closed for good. */
  async markRecheckPassed(instanceId: string, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE problem SET status = 'closed', rechecked_at = COALESCE(rechecked_at, $2) WHERE process_instance_id = $1 AND status <> 'rebounded'`,
      [instanceId, at],
    );
  }

  /**
   * 回头看 recorded (once per task: a re-run of the step finds the row): effective marks the problem 见效; neither
   * rebounded nor effective, it stays signed off (closed) and waits for the next 回头看.
   */
  async recordEffectCheck(c: Omit<EffectCheckRow, 'id'>, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO problem_effect_check (id, problem_id, task_id, checked_at, checked_by, rebound, effective, findings)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (task_id) DO NOTHING`,
      [randomUUID(), c.problem_id, c.task_id, c.checked_at, c.checked_by, c.rebound, c.effective, c.findings],
    );
    if (c.effective)
      await q.query(`UPDATE problem SET effective_at = COALESCE(effective_at, $2) WHERE id = $1`, [
        c.problem_id,
        c.checked_at,
      ]);
    else if (!c.rebound)
      await q.query(`UPDATE problem SET status = 'closed' WHERE id = $1 AND status = 'rechecking'`, [c.problem_id]);
  }

  async effectChecksOf(problemId: string, q: Queryable = this.db): Promise<EffectCheckRow[]> {
    return q.query(
      `SELECT id, problem_id, task_id, checked_at, checked_by, rebound, effective, findings FROM problem_effect_check
       WHERE problem_id = $1 ORDER BY checked_at, id LIMIT 100`,
      [problemId],
    );
  }

  async markRebounded(id: string, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE problem SET status = 'rebounded', rechecked_at = COALESCE(rechecked_at, $2) WHERE id = $1`, [
      id,
      at,
    ]);
  }

  async list(f: ProblemFilter, q: Queryable = this.db): Promise<{ rows: ProblemRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    if (f.status) where.push(`status = ${p(f.status)}`);
    if (f.light) where.push(`light = ${p(f.light)}`);
    if (f.unit) {
      const u = p(f.unit);
      where.push(`(lead_unit = ${u} OR ${u} = ANY(responsible_units))`);
    }
    if (f.units) where.push(problemInUnits(p(f.units)));
    if (f.category) where.push(`category = ${p(f.category)}`);
    if (f.leader) where.push(`responsible_leader = ${p(f.leader)}`);
    if (f.overdueOn) where.push(`status = ANY(${p(OPEN_STATUSES)}) AND deadline < ${p(f.overdueOn)}::date`);
    if (f.dueBefore) where.push(`deadline < ${p(f.dueBefore)}::date`);
    if (f.q) {
      const like = p(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(code ILIKE ${like} OR title ILIKE ${like})`);
    }
    const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM problem ${sql}`, params);
    const rows = await q.query(
      `SELECT ${COLS} FROM problem ${sql} ORDER BY ${LEDGER_ORDER} LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
      params,
    );
    return { rows, total: n };
  }

  /** The whole ledger in code order, a page at a time (keyset) so a big ledger never sits in one result. */
  async ledgerPage(
    afterCode: string,
    limit: number,
    units: string[] | null = null,
    q: Queryable = this.db,
  ): Promise<ProblemRow[]> {
    return q.query(
      `SELECT ${COLS} FROM problem WHERE code > $1 AND ($3::text[] IS NULL OR ${problemInUnits('$3')}) ORDER BY code LIMIT $2`,
      [afterCode, limit, units],
    );
  }

  async setParent(id: string, parentId: string, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE problem SET parent_problem_id = $2 WHERE id = $1`, [id, parentId]);
  }

  /** 备案: the sign-offs of the problems split from this one, filed up to it, oldest first. */
  async filings(parentId: string, q: Queryable = this.db): Promise<FilingRow[]> {
    return q.query(
      `SELECT f.id, f.problem_id, p.code, p.title, f.unit_code, f.signed_off_at, f.filed_at
         FROM problem_filing f JOIN problem p ON p.id = f.problem_id WHERE f.parent_problem_id = $1 ORDER BY f.filed_at, p.code`,
      [parentId],
    );
  }

  /** The problems split from this one (拆分下达), in code order. */
  async children(parentId: string, q: Queryable = this.db): Promise<ProblemRow[]> {
    return q.query(`SELECT ${COLS} FROM problem WHERE parent_problem_id = $1 ORDER BY code`, [parentId]);
  }

  async count(q: Queryable = this.db): Promise<number> {
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM problem`);
    return n;
  }

  async deleteImport(importId: string, q: Queryable = this.db): Promise<string[]> {
    const rows = returned<{ process_instance_id: string | null }>(
      await q.query(`DELETE FROM problem WHERE import_id = $1 RETURNING process_instance_id`, [importId]),
    );
    return rows.map((r) => r.process_instance_id).filter((x): x is string => Boolean(x));
  }
}
