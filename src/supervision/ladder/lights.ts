import type { Queryable } from '../../engine/definition.service.js';
import { OPEN_STATUSES, type Light } from '../../problems/problem-status.js';

/** Severity of a light: a rung only ever raises it (a reminder does not turn a lagging yellow back to blue). */
const RANK: Record<Light, number> = { green: 0, blue: 1, yellow: 2, red: 3 };
const RANK_SQL = `CASE light WHEN 'green' THEN 0 WHEN 'blue' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END`;

/** Raise an open problem's light to `light`; answers whether it changed. */
export async function raiseLight(q: Queryable, problemId: string, light: Light): Promise<boolean> {
  const rows = await q.query(
    `UPDATE problem SET light = $2 WHERE id = $1 AND status = ANY($3) AND ${RANK_SQL} < $4 RETURNING id`,
    [problemId, light, OPEN_STATUSES, RANK[light]],
  );
  return returnedCount(rows) > 0;
}

/** Back to green: a granted extension moved the deadline into the future. */
export async function resetLight(q: Queryable, problemId: string): Promise<void> {
  await q.query(`UPDATE problem SET light = 'green' WHERE id = $1 AND status = ANY($2)`, [problemId, OPEN_STATUSES]);
}

function returnedCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0].length;
  return Array.isArray(result) ? result.length : 0;
}
