import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, ControlledClock } from '../../clock/clock.js';
import { EngineService } from '../engine.service.js';

/**
 * Stops one advance of the clock makes at most; past them the rest is one jump (each cycle's occurrences are
 * bounded by DUBAN_MAX_TIMER_REPEAT, but a process may loop through a timer without end).
 */
export const MAX_WALK_STOPS = 20_000;

export interface ClockWalk {
  epochMilli: number;
  timersFired: number;
  /** Due times the clock stopped at on the way. */
  stops: number;
  /** True when the stops ran out and the rest of the way was one jump (later occurrences coalesced). */
  jumped: boolean;
}

/**
 * Moving the controlled clock forward as if the time had passed: the clock stops at each due time on the way
 * (the earliest pending one not after the target), everything due then fires, and it goes on from there. So a
 * cycle fires each of its occurrences, interleaved with other timers by due time, and each firing computes its
 * next occurrence from its own due time. The firing goes through the engine, whatever delivers timers
 * otherwise (BullMQ or the in-process loop), so every node path behaves the same.
 */
@Injectable()
export class ClockWalker {
  private readonly logger = new Logger('clock');

  constructor(
    private readonly db: DataSource,
    private readonly engine: EngineService,
    private readonly clock: Clock,
  ) {}

  /** Walks to `target`; a target in the past moves the clock back at once (nothing fires backwards). */
  async advanceTo(target: number, maxStops = MAX_WALK_STOPS): Promise<ClockWalk> {
    const clock = this.controlled();
    let timersFired = await this.engine.drainDue();
    let stops = 0;
    let jumped = false;
    while (clock.now() < target) {
      const next = await this.nextDue(target);
      if (next === null) break;
      if (stops >= maxStops) {
        jumped = true;
        this.logger.warn(`clock walk: ${maxStops} stops, the rest to ${new Date(target).toISOString()} in one jump`);
        break;
      }
      clock.set(next);
      stops++;
      timersFired += await this.engine.drainDue();
    }
    clock.set(target);
    timersFired += await this.engine.drainDue();
    return { epochMilli: clock.now(), timersFired, stops, jumped };
  }

  /** The earliest due time after now and not after `target` of a timer that can fire. */
  private async nextDue(target: number): Promise<number | null> {
    const [row]: { next: Date | null }[] = await this.db.query(
      `SELECT min(t.expire_at) AS next FROM engine_timer t
         JOIN engine_instance i ON i.id = t.instance_id AND i.status = 'active'
       WHERE t.expire_at > $1 AND t.expire_at <= $2
         AND NOT EXISTS (SELECT 1 FROM engine_incident x WHERE x.instance_id = t.instance_id AND x.resolved_at IS NULL)`,
      [new Date(this.clock.now()), new Date(target)],
    );
    return row?.next ? new Date(row.next).getTime() : null;
  }

  private controlled(): ControlledClock {
    if (this.clock instanceof ControlledClock) return this.clock;
    throw new Error('the clock is not controlled (set DUBAN_CLOCK_CONTROLLED=true)');
  }
}
