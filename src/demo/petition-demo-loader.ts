import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { PetitionsRepository } from '../petitions/petitions.repository.js';
import { dedupeKey } from '../petitions/rules/petition-rules.js';
import { DEMO_PETITION_BATCHES } from './demo-petitions.js';

/**
 * The demo's two complaint batches of August 2017 (clearly marked as demo data), loaded once when the demo is:
 * records of the past, every complaint closed with its results (no process runs for them), the first batch
 * published. Their daily reports are those of /api/petitions/report?date=2017-08-14 … 2017-08-23.
 */
@Injectable()
export class PetitionDemoLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('demo');

  constructor(
    private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly petitions: PetitionsRepository,
  ) {}

  onApplicationBootstrap(): void {
    const demo = this.config.DUBAN_DEMO;
    if (demo === false) return;
    if (demo !== true && (!this.config.embedded || this.config.NODE_ENV === 'test')) return;
    setTimeout(() => void this.loadOnce().catch((e) => this.logger.error(`demo complaints not loaded: ${e}`)), 0);
  }

  async loadOnce(): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM petition_batch`);
    if (this.config.DUBAN_DEMO !== true && n > 0) return 0;
    // The demo's units come with the problems' demo (DemoLoader, at module init); wait for them.
    for (let i = 0; i < 100; i++) {
      const [{ u }] = await this.db.query(`SELECT count(*)::int AS u FROM org_unit WHERE code = 'YKZ'`);
      if (u > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    let loaded = 0;
    await this.db.transaction(async (m) => {
      const ids = new Map<string, string>();
      for (const b of DEMO_PETITION_BATCHES) {
        const [taken] = await m.query(`SELECT id FROM petition_batch WHERE code = $1`, [b.code]);
        if (taken) continue;
        const batchId = randomUUID();
        const at = new Date(`${b.receivedOn}T09:00:00+08:00`);
        const published = b.published ? new Date(`${b.closeBy}T17:00:00+08:00`) : null;
        await this.petitions.insertPastBatch({ id: batchId, ...b, rows: b.complaints.length, at }, published, m);
        for (const [i, c] of b.complaints.entries()) {
          const id = randomUUID();
          ids.set(c.code, id);
          const closed = new Date(at.getTime() + c.closedAfter * 86_400_000 + 8 * 3_600_000);
          await this.petitions.insertPast(
            {
              id,
              batchId,
              code: c.code,
              row: i + 2,
              summary: c.summary,
              district: c.district,
              pollutionType: c.pollutionType,
              unitCode: c.unit,
              dedupeKey: dedupeKey(c.district, c.summary),
              duplicateOf: c.duplicateOf ? (ids.get(c.duplicateOf) ?? null) : null,
              verdict: c.verdict,
              handling: c.handling,
              accountability: c.accountability ?? null,
              orderedRectify: c.orderedRectify ?? false,
              caseFiled: (c.fineWan ?? 0) > 0,
              fineWan: c.fineWan ?? 0,
              detained: c.detained ?? 0,
              interviewed: c.interviewed ?? 0,
              accountablePeople: c.accountablePeople ?? 0,
              assignedOn: b.receivedOn,
              closedAt: c.duplicateOf ? null : closed,
              createdAt: at,
            },
            m,
          );
          loaded++;
        }
      }
    });
    if (loaded) this.logger.log(`demo loaded: ${loaded} complaints in ${DEMO_PETITION_BATCHES.length} batches`);
    return loaded;
  }
}
