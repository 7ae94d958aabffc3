import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface IncidentRow {
  id: string;
  instance_id: string;
  definition_key: string;
  process_name: string | null;
  element_id: string | null;
  element_name: string | null;
  message: string;
  created_at: Date;
  resolved_at: Date | null;
  problem_id: string | null;
  problem_code: string | null;
  problem_title: string | null;
}

export interface IncidentFilter {
  /** true: open only; false: resolved only; undefined: both. */
  open?: boolean;
  /** A problem's code: the incidents of its processes. */
  problemCode?: string;
}

// The element: the one that failed, else where the instance waits (a timer's step names no element).
const SELECT = `
  SELECT x.id, x.instance_id, i.definition_key, d.name AS process_name, x.message, x.created_at, x.resolved_at,
         e.element_id,
         (SELECT a->>'name' FROM jsonb_array_elements(d.context->'activities') a WHERE a->>'id' = e.element_id LIMIT 1) AS element_name,
         p.id AS problem_id, p.code AS problem_code, p.title AS problem_title
    FROM engine_incident x
    JOIN engine_instance i ON i.id = x.instance_id
    JOIN engine_definition d ON d.id = i.definition_id
    LEFT JOIN LATERAL (
      SELECT COALESCE(x.activity_id, (SELECT h.activity_id FROM engine_history h WHERE h.instance_id = x.instance_id AND h.ended_at IS NULL
                                       ORDER BY h.started_at DESC, h.id DESC LIMIT 1)) AS element_id
    ) e ON true
    LEFT JOIN problem p ON p.code = i.business_key`;

/** SQL of the incidents as the office sees them: the problem of the instance (its business key) and the element. */
@Injectable()
export class IncidentsRepository {
  constructor(private readonly db: DataSource) {}

  private where(f: IncidentFilter, params: unknown[]): string {
    const parts: string[] = [];
    if (f.open !== undefined) parts.push(f.open ? 'x.resolved_at IS NULL' : 'x.resolved_at IS NOT NULL');
    if (f.problemCode !== undefined) {
      params.push(f.problemCode);
      parts.push(`i.business_key = $${params.length}`);
    }
    return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
  }

  async page(f: IncidentFilter, offset: number, limit: number): Promise<{ rows: IncidentRow[]; total: number }> {
    const params: unknown[] = [];
    const where = this.where(f, params);
    const [rows, [count]] = await Promise.all([
      this.db.query(`${SELECT}${where} ORDER BY x.created_at DESC, x.id OFFSET ${offset} LIMIT ${limit}`, params) as Promise<IncidentRow[]>,
      this.db.query(`SELECT count(*)::int AS n FROM engine_incident x JOIN engine_instance i ON i.id = x.instance_id${where}`, params) as Promise<{ n: number }[]>,
    ]);
    return { rows, total: count.n };
  }

  async get(id: string): Promise<IncidentRow | null> {
    const [row] = (await this.db.query(`${SELECT} WHERE x.id = $1`, [id])) as IncidentRow[];
    return row ?? null;
  }
}
