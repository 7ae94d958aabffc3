import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { DomainException } from '../../common/domain-exception.js';
import type { Queryable } from '../../engine/definition.service.js';
import { LadderThresholds, type ThresholdChange } from '../ladder/ladder-thresholds.js';
import { checkSettings, settingsFromRows, SETTING_KEYS, type SupervisionSettings } from './supervision-settings.js';

/** The ladder's thresholds in `supervision_setting`; read in the caller's transaction when there is one. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly thresholds: LadderThresholds,
  ) {}

  async get(q: Queryable = this.db): Promise<SupervisionSettings> {
    const rows: { key: string; value: unknown }[] = await q.query(
      `SELECT key, value FROM supervision_setting WHERE key = ANY($1)`,
      [SETTING_KEYS],
    );
    return settingsFromRows(rows);
  }

  /**
   * A partial update, checked as a whole against the stored values; 422 naming every bad field. Running
   * ladders take the new thresholds: their open rung timers are recomputed, and so are the pending chases of
   * every running process when the chase's interval changes (answered in `recomputed`).
   */
  async put(patch: Record<string, unknown>): Promise<SupervisionSettings & { recomputed: ThresholdChange }> {
    const result = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('supervision_setting'))`);
      const current = await this.get(m);
      const { merged, problems } = checkSettings(current, patch);
      if (problems.length) {
        throw new DomainException('VALIDATION', 422, problems.map((p) => `${p.field}：${p.message}`).join('；'), {
          fields: problems,
        });
      }
      for (const key of Object.keys(patch)) {
        await m.query(
          `INSERT INTO supervision_setting (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
          [key, JSON.stringify(merged[key as keyof SupervisionSettings]), this.clock.date()],
        );
      }
      const recomputed = await this.thresholds.apply(m, current, merged, this.clock.now());
      return { ...merged, recomputed };
    });
    await this.thresholds.reschedule(result.recomputed);
    return result;
  }
}
