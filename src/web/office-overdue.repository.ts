import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OfficeOverdueRow {
  id: string;
  name: string | null;
  activity_id: string;
  definition_key: string;
  due_at: Date;
  created_at: Date;
  problem_id: string | null;
  code: string | null;
  title: string | null;
  light: string | null;
  total: number;
}

/** The office group's open tasks past their due time (whatever process they stand in). */
@Injectable()
export class OfficeOverdueRepository {
  constructor(private readonly db: DataSource) {}

  async page(now: Date, group: string, limit: number, offset: number): Promise<OfficeOverdueRow[]> {
    return this.db.query(
      `SELECT t.id, t.name, t.activity_id, t.definition_key, t.due_at, t.created_at,
              p.id AS problem_id, p.code, p.title, p.light, (count(*) OVER ())::int AS total
         FROM engine_task t LEFT JOIN problem p ON p.code = t.business_key
        WHERE $2 = ANY(t.candidate_groups) AND t.due_at IS NOT NULL AND t.due_at <= $1
        ORDER BY t.due_at, t.id LIMIT $3 OFFSET $4`,
      [now, group, limit, offset],
    );
  }
}
