import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../engine/definition.service.js';

export interface MilestoneRow {
  id: string;
  seq: number;
  title: string;
  due_date: string;
  done_date: string | null;
}

export interface ProgressRow {
  id: string;
  month: string;
  unit_code: string;
  text: string;
  percent: number;
  reported_at: Date;
}

export interface OpenTaskRow {
  id: string;
  activity_id: string;
  name: string | null;
  assignee: string | null;
  candidate_groups: string[];
  form_key: string | null;
  due_at: Date | null;
  created_at: Date;
}

/** What hangs off a problem: its plan's milestones (倒排工期), monthly progress, and its open tasks. */
@Injectable()
export class ProblemDetailsRepository {
  constructor(private readonly db: DataSource) {}

  async milestones(problemId: string, q: Queryable = this.db): Promise<MilestoneRow[]> {
    return q.query(
      `SELECT id, seq, title, due_date::text AS due_date, done_date::text AS done_date FROM problem_milestone WHERE problem_id = $1 ORDER BY seq`,
      [problemId],
    );
  }

  /** A new or revised plan replaces the schedule; milestones already done keep their done date. */
  async replaceMilestones(
    problemId: string,
    items: { title: string; dueDate: string; doneDate: string | null }[],
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(`DELETE FROM problem_milestone WHERE problem_id = $1`, [problemId]);
    let seq = 0;
    for (const m of items) {
      await q.query(
        `INSERT INTO problem_milestone (id, problem_id, seq, title, due_date, done_date) VALUES ($1,$2,$3,$4,$5,$6)`,
        [randomUUID(), problemId, ++seq, m.title, m.dueDate, m.doneDate],
      );
    }
  }

  async progress(problemId: string, q: Queryable = this.db): Promise<ProgressRow[]> {
    return q.query(
      `SELECT id, month, unit_code, text, percent, reported_at FROM problem_progress WHERE problem_id = $1 ORDER BY month, unit_code`,
      [problemId],
    );
  }

  /** One report per problem, month and unit; a second one that month replaces the first. */
  async upsertProgress(
    r: { problemId: string; month: string; unitCode: string; text: string; percent: number },
    at: Date,
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(
      `INSERT INTO problem_progress (id, problem_id, month, unit_code, text, percent, reported_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (problem_id, month, unit_code) DO UPDATE SET text = EXCLUDED.text, percent = EXCLUDED.percent, reported_at = EXCLUDED.reported_at`,
      [randomUUID(), r.problemId, r.month, r.unitCode, r.text, r.percent, at],
    );
  }

  async openTasks(businessKey: string, q: Queryable = this.db): Promise<OpenTaskRow[]> {
    return q.query(
      `SELECT id, activity_id, name, assignee, candidate_groups, form_key, due_at, created_at FROM engine_task
       WHERE business_key = $1 AND definition_key = 'rectification' ORDER BY created_at, activity_id`,
      [businessKey],
    );
  }
}
