import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../../engine/definition.service.js';
import type { IndicatorTarget, IndicatorValue } from './indicator-rules.js';

/** Indicator targets by year and their monthly values; numeric columns come back from `pg` as text. */
@Injectable()
export class IndicatorRepository {
  constructor(private readonly db: DataSource) {}

  async targets(code?: string, q: Queryable = this.db): Promise<IndicatorTarget[]> {
    const rows: any[] = await q.query(
      `SELECT code, name, unit, year, target::float8 AS target, direction FROM indicator WHERE ($1::text IS NULL OR code = $1) ORDER BY code, year`,
      [code ?? null],
    );
    return rows.map((r) => ({ ...r, target: Number(r.target) }));
  }

  async values(year?: number, q: Queryable = this.db): Promise<IndicatorValue[]> {
    const rows: any[] = await q.query(
      `SELECT code, month, value::float8 AS value FROM indicator_value WHERE ($1::int IS NULL OR month LIKE $1::text || '-%') ORDER BY code, month`,
      [year ?? null],
    );
    return rows.map((r) => ({ code: r.code, month: r.month, value: Number(r.value) }));
  }

  async upsertTarget(t: IndicatorTarget, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO indicator (code, year, name, unit, target, direction) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (code, year) DO UPDATE SET name = EXCLUDED.name, unit = EXCLUDED.unit, target = EXCLUDED.target, direction = EXCLUDED.direction`,
      [t.code, t.year, t.name, t.unit, t.target, t.direction],
    );
  }

  async upsertValue(v: IndicatorValue, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO indicator_value (code, month, value, updated_at) VALUES ($1,$2,$3,$4)
       ON CONFLICT (code, month) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [v.code, v.month, v.value, at],
    );
  }
}
