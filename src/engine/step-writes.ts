import type { Queryable } from './definition.service.js';

interface Part {
  sql: string;
  params: unknown[];
  onRows?: (rows: unknown[]) => void;
}

interface Collected {
  items: unknown[];
  build: (items: unknown[]) => { sql: string; params: unknown[] };
}

/**
 * A step's writes, sent as one statement: each part a data-modifying statement of its own (INSERT, UPDATE,
 * DELETE, its parameters numbered from $1), joined as the common table expressions of one `WITH … SELECT`.
 * The parts see the database as it was before the statement, never each other's changes, so none may touch a
 * row another part writes. Parts that ask for their rows (RETURNING) get them once the statement ran.
 */
export class StepWrites {
  private parts: Part[] = [];
  private collected = new Map<string, Collected>();

  add(sql: string, params: unknown[], onRows?: (rows: unknown[]) => void): void {
    this.parts.push({ sql, params, ...(onRows ? { onRows } : {}) });
  }

  /**
   * Items gathered under `key` into one part, built when the statement is sent, in the order they came (the
   * trail's entries, chained in that order).
   */
  collect(key: string, item: unknown, build: (items: unknown[]) => { sql: string; params: unknown[] }): void {
    const c = this.collected.get(key);
    if (c) c.items.push(item);
    else this.collected.set(key, { items: [item], build });
  }

  get empty(): boolean {
    return !this.parts.length && !this.collected.size;
  }

  /** Sends everything gathered so far as one statement (none when nothing was), and starts over. */
  async flush(q: Queryable): Promise<void> {
    const parts: Part[] = [...this.parts, ...[...this.collected.values()].map((c) => c.build(c.items))];
    this.parts = [];
    this.collected = new Map();
    if (!parts.length) return;
    const params: unknown[] = [];
    const ctes: string[] = [];
    const outputs: string[] = [];
    parts.forEach((p, i) => {
      const offset = params.length;
      params.push(...p.params);
      ctes.push(`w${i} AS (${p.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`);
      if (p.onRows) outputs.push(`(SELECT coalesce(json_agg(w${i}), '[]'::json) FROM w${i}) AS w${i}`);
    });
    const sql = `WITH ${ctes.join(',\n')}\nSELECT ${outputs.length ? outputs.join(', ') : '1 AS done'}`;
    const [row] = (await q.query(sql, params)) as Record<string, unknown[]>[];
    parts.forEach((p, i) => {
      p.onRows?.(row?.[`w${i}`] ?? []);
    });
  }
}
