import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { EngineService } from '../engine.service.js';
import { TimerDriver } from './timer-driver.js';

/**
 * Redis may lose everything (here it keeps nothing on disk): at boot and periodically every pending timer
 * is scheduled again from the table, and every instance with parked services is run.
 */
@Injectable()
export class TimerReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('reconciler');
  private interval: NodeJS.Timeout | null = null;
  /** The periodic pass still running: a slow queue (Redis away) must not pile passes up behind it. */
  private periodic: Promise<unknown> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly driver: TimerDriver,
    private readonly engine: EngineService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.driver.start({
      fireTimer: (timerId, instanceId) => this.engine.fireTimer(timerId, instanceId).then(() => undefined),
      runServices: (instanceId) => this.engine.runServices(instanceId),
    });
    await this.reconcile();
    this.interval = setInterval(() => {
      if (this.periodic) return;
      this.periodic = this.reconcile().finally(() => (this.periodic = null));
    }, this.config.DUBAN_RECONCILE_MS);
    this.interval.unref();
  }

  // Stops delivering before the database pool closes.
  async onModuleDestroy(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    await this.driver.stop();
  }

  async reconcile(): Promise<{ timers: number; services: number }> {
    try {
      let timers = 0;
      let after = '';
      for (;;) {
        // Timers of an instance with an open incident wait for its retry, which schedules them again.
        const batch: { id: string; instance_id: string; expire_at: Date }[] = await this.db.query(
          `SELECT t.id, t.instance_id, t.expire_at FROM engine_timer t WHERE t.id > $1
             AND NOT EXISTS (SELECT 1 FROM engine_incident x
                             WHERE x.instance_id = t.instance_id AND x.resolved_at IS NULL)
           ORDER BY t.id LIMIT 5000`,
          [after],
        );
        if (!batch.length) break;
        const due = batch.map((t) => ({ id: t.id, instanceId: t.instance_id, expireAt: +new Date(t.expire_at) }));
        timers += await this.schedule(due);
        after = batch[batch.length - 1].id;
      }
      const services: { id: string }[] = await this.db.query(
        `SELECT id FROM engine_instance i WHERE pending_services AND status = 'active'
           AND NOT EXISTS (SELECT 1 FROM engine_incident x WHERE x.instance_id = i.id AND x.resolved_at IS NULL)`,
      );
      let ran = 0;
      for (const s of services) {
        try {
          await this.driver.runServices(s.id);
          ran++;
        } catch (e) {
          this.logger.warn(`reconcile: services of instance ${s.id}: ${(e as Error).message}`);
        }
      }
      return { timers, services: ran };
    } catch (e) {
      this.logger.warn(`reconcile failed: ${(e as Error).message}`);
      return { timers: 0, services: 0 };
    }
  }

  /** A batch the queue refuses is scheduled row by row: one bad row does not keep the others back. */
  private async schedule(batch: { id: string; instanceId: string; expireAt: number }[]): Promise<number> {
    try {
      await this.driver.schedule(batch);
      return batch.length;
    } catch (e) {
      if (batch.length === 1) throw e;
    }
    let scheduled = 0;
    for (const t of batch) {
      try {
        await this.driver.schedule([t]);
        scheduled++;
      } catch (e) {
        this.logger.warn(`reconcile: timer ${t.id} of instance ${t.instanceId}: ${(e as Error).message}`);
      }
    }
    return scheduled;
  }
}
