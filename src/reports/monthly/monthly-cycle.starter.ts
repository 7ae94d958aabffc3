import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DefinitionService } from '../../engine/definition.service.js';
import { StepService } from '../../engine/step.service.js';
import { newAfterCommit } from '../../problems/rectification/step-after-commit.js';
import { MONTHLY_CYCLE } from './monthly-cycle-handlers.js';

/** Set by a caller that starts the cycle itself, later (the simulation pins its clock and loads data first). */
export const CYCLE_OPTIONS = Symbol('CYCLE_OPTIONS');
export interface CycleOptions {
  startAtBoot: boolean;
}

/**
 * The durable runtime has no timer start events, so the monthly cycle is one long-lived instance that loops
 * month after month. It is started at boot when none is active (and the process is deployed); an advisory
 * lock keeps two nodes booting together from starting two.
 */
@Injectable()
export class MonthlyCycleStarter implements OnApplicationBootstrap {
  private readonly logger = new Logger('monthly-cycle');

  constructor(
    private readonly db: DataSource,
    private readonly definitions: DefinitionService,
    private readonly steps: StepService,
    @Optional() @Inject(CYCLE_OPTIONS) private readonly options?: CycleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options?.startAtBoot === false) return;
    const res = await this.ensure().catch((e) => {
      this.logger.error(`could not start the monthly cycle: ${(e as Error).message}`);
      return null;
    });
    if (res?.started) this.logger.log(`monthly cycle started (instance ${res.instanceId})`);
    else if (res?.reason === 'not-deployed')
      this.logger.warn(`monthly cycle not started: ${MONTHLY_CYCLE} is not deployed`);
  }

  /** Starts the cycle unless an instance is active; answers which instance runs it. */
  async ensure(): Promise<{ started: boolean; instanceId: string | null; reason?: 'running' | 'not-deployed' }> {
    const after = newAfterCommit();
    const res = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:monthly-cycle'))`);
      const [active] = await m.query(
        `SELECT id FROM engine_instance WHERE definition_key = $1 AND status = 'active' AND parent_id IS NULL LIMIT 1`,
        [MONTHLY_CYCLE],
      );
      if (active) return { started: false, instanceId: active.id as string, reason: 'running' as const };
      const def = await this.definitions.latest(MONTHLY_CYCLE, m).catch(() => null);
      if (!def) return { started: false, instanceId: null, reason: 'not-deployed' as const };
      const inst = await this.steps.start(def, MONTHLY_CYCLE, {}, undefined, { m, after });
      return { started: true, instanceId: inst.id as string };
    });
    await this.steps.deliver(after);
    return res;
  }
}
