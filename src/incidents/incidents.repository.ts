import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface IncidentRow {
  id: string;
  /** 'step': a step failed inside a running instance; 'start': the process could not start at all. */
  kind: 'step' | 'start';
  /** Null when the process could not start. */
  instance_id: string | null;
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

// The element: the one that failed, else where the instance waits (a timer's step names no element). A process
// that could not start (process_start_failure) has no instance and no element; it is named by its latest definition.
const incidents = (where: string) => `
  SELECT u.* FROM (
    SELECT x.id::text AS id, 'step' AS kind, x.instance_id::text AS instance_id, i.definition_key, i.business_key, d.name AS process_name,
           x.message, x.created_at, x.resolved_at, e.element_id,
           (SELECT a->>'name' FROM jsonb_array_elements(d.context->'activities') a WHERE a->>'id' = e.element_id LIMIT 1) AS element_name
      FROM engine_incident x
      JOIN engine_instance i ON i.id = x.instance_id
      JOIN engine_definition d ON d.id = i.definition_id
      LEFT JOIN LATERAL (
        SELECT COALESCE(x.activity_id, (SELECT h.activity_id FROM engine_history h WHERE h.instance_id = x.instance_id AND h.ended_at IS NULL
                                         ORDER BY h.started_at DESC, h.id DESC LIMIT 1)) AS element_id
      ) e ON true
    UNION ALL
    SELECT f.id::text, 'start', NULL, f.definition_key, f.business_key,
           (SELECT d.name FROM engine_definition d WHERE d.key = f.definition_key ORDER BY d.version DESC LIMIT 1),
           f.message, f.created_at, f.resolved_at, NULL, NULL
      FROM process_start_failure f
  ) u${where}`;

const withProblem = (where: string) => `
  SELECT w.*, p.id AS problem_id, p.code AS problem_code, p.title AS problem_title
    FROM (${incidents(where)}) w
    LEFT JOIN problem p ON p.code = w.business_key`;

/** SQL of the incidents as the office sees them: the problem of the instance (its business key) and the element. */
@Injectable()
export class IncidentsRepository {
  constructor(private readonly db: DataSource) {}

  private where(f: IncidentFilter, params: unknown[]): string {
    const parts: string[] = [];
    if (f.open !== undefined) parts.push(f.open ? 'u.resolved_at IS NULL' : 'u.resolved_at IS NOT NULL');
    if (f.problemCode !== undefined) {
      params.push(f.problemCode);
      parts.push(`u.business_key = $${params.length}`);
    }
    return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
  }

  async page(f: IncidentFilter, offset: number, limit: number): Promise<{ rows: IncidentRow[]; total: number }> {
    const params: unknown[] = [];
    const where = this.where(f, params);
    const [rows, [count]] = await Promise.all([
      this.db.query(
        `SELECT * FROM (${withProblem(where)}) r ORDER BY r.created_at DESC, r.id OFFSET ${offset} LIMIT ${limit}`,
        params,
      ) as Promise<IncidentRow[]>,
      this.db.query(`SELECT count(*)::int AS n FROM (${incidents(where)}) c`, params) as Promise<{ n: number }[]>,
    ]);
    return { rows, total: count.n };
  }

  async get(id: string): Promise<IncidentRow | null> {
    const [row] = (await this.db.query(withProblem(' WHERE u.id = $1'), [id])) as IncidentRow[];
    return row ?? null;
  }
}

/** A process that could not start, kept for the office (one open per process and business key). */
export async function recordStartFailure(
  q: { query(sql: string, params?: unknown[]): Promise<unknown> },
  row: { id: string; key: string; businessKey: string; message: string; at: Date },
): Promise<string> {
  const rows = (await q.query(
    `INSERT INTO process_start_failure (id, definition_key, business_key, message, created_at) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (definition_key, business_key) WHERE resolved_at IS NULL DO UPDATE SET message = EXCLUDED.message
     RETURNING id::text AS id`,
    [row.id, row.key, row.businessKey, row.message, row.at],
  )) as { id: string }[];
  return rows[0].id;
}
