import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../../engine/definition.service.js';
import type { PartMilestone, PartPlan } from './part-rules.js';

export interface PartRow {
  id: string;
  problem_id: string;
  unit_code: string;
  measures: string;
  deadline: string;
  milestones: PartMilestone[];
  status: 'planned' | 'open' | 'done';
  process_instance_id: string | null;
  report: string | null;
  created_at: Date;
  started_at: Date | null;
  done_at: Date | null;
}

const COLS = `id, problem_id, unit_code, measures, deadline::text AS deadline, milestones, status, process_instance_id, report,
  created_at, started_at, done_at`;

/** 配合单位分工: each co-unit's part of a problem, from the plan to its completion. */
@Injectable()
export class PartsRepository {
  constructor(private readonly db: DataSource) {}

  /** The plan's parts, replacing those not started (a plan returned and made again). */
  async replacePlanned(problemId: string, parts: PartPlan[], at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(`DELETE FROM problem_part WHERE problem_id = $1 AND status = 'planned'`, [problemId]);
    for (const p of parts) {
      await q.query(
        `INSERT INTO problem_part (id, problem_id, unit_code, measures, deadline, milestones, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'planned', $7) ON CONFLICT (problem_id, unit_code) DO NOTHING`,
        [randomUUID(), problemId, p.unit, p.measures, p.deadline, JSON.stringify(p.milestones), at],
      );
    }
  }

  async ofProblem(problemId: string, q: Queryable = this.db): Promise<PartRow[]> {
    return q.query(`SELECT ${COLS} FROM problem_part WHERE problem_id = $1 ORDER BY unit_code`, [problemId]);
  }

  async find(id: string, q: Queryable = this.db): Promise<PartRow | null> {
    const [row]: PartRow[] = await q.query(`SELECT ${COLS} FROM problem_part WHERE id = $1`, [id]);
    return row ?? null;
  }

  async findByInstance(instanceId: string, q: Queryable = this.db): Promise<PartRow | null> {
    const [row]: PartRow[] = await q.query(`SELECT ${COLS} FROM problem_part WHERE process_instance_id = $1`, [
      instanceId,
    ]);
    return row ?? null;
  }

  async markStarted(id: string, instanceId: string, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE problem_part SET status = 'open', process_instance_id = $2, started_at = $3 WHERE id = $1 AND status = 'planned'`,
      [id, instanceId, at],
    );
  }

  async markDone(id: string, report: string | null, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE problem_part SET status = 'done', report = $2, done_at = $3 WHERE id = $1 AND status = 'open'`,
      [id, report, at],
    );
  }

  async openCount(problemId: string, q: Queryable = this.db): Promise<number> {
    const [row]: { n: number }[] = await q.query(
      `SELECT count(*)::int AS n FROM problem_part WHERE problem_id = $1 AND status <> 'done'`,
      [problemId],
    );
    return row?.n ?? 0;
  }

  /** Every part started before the cut-off, for the bulletin (dates only). */
  async startedBefore(cutoff: Date, q: Queryable = this.db): Promise<PartRow[]> {
    return q.query(`SELECT ${COLS} FROM problem_part WHERE started_at < $1 ORDER BY problem_id, unit_code`, [cutoff]);
  }
}
