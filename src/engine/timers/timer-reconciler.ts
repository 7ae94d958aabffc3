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
        const batch: { id: string; instance_id: string; expire_at: Date }[] = await this.db.query(
          `SELECT id, instance_id, expire_at FROM engine_timer WHERE id > $1 ORDER BY id LIMIT 5000`,
          [after],
        );
        if (!batch.length) break;
        await this.driver.schedule(batch.map((t) => ({ id: t.id, instanceId: t.instance_id, expireAt: new Date(t.expire_at).getTime() })));
        timers += batch.length;
        after = batch[batch.length - 1].id;
      }
      const services: { id: string }[] = await this.db.query(
        `SELECT id FROM engine_instance i WHERE pending_services AND status = 'active'
           AND NOT EXISTS (SELECT 1 FROM engine_incident x WHERE x.instance_id = i.id AND x.resolved_at IS NULL)`,
      );
      for (const s of services) await this.driver.runServices(s.id);
      return { timers, services: services.length };
    } catch (e) {
      this.logger.warn(`reconcile failed: ${(e as Error).message}`);
      return { timers: 0, services: 0 };
    }
  }
}
