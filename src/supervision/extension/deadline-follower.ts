import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DeadlineHooks } from '../../problems/edit/deadline-hooks.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { resetLight } from '../ladder/lights.js';
import { MSG_DEADLINE_CHANGED, SupervisionEvents } from '../supervision.events.js';
import { DeadlineMover } from './deadline-mover.js';

/**
 * A deadline the office corrects by hand moves like a granted extension: the light back to green when the new
 * deadline is ahead, every due date and timer that hangs on it (DeadlineMover) in the same transaction, and
 * the ladder told `期限变更` after the commit.
 */
@Injectable()
export class DeadlineFollowerRegistration implements OnModuleInit {
  constructor(
    private readonly hooks: DeadlineHooks,
    private readonly mover: DeadlineMover,
    private readonly events: SupervisionEvents,
  ) {}

  onModuleInit(): void {
    this.hooks.register({
      inTransaction: async (tx, p, before, after, now) => {
        if (after >= chinaDate(now)) await resetLight(tx, p.id);
        const moved = await this.mover.move(tx, p, before, after, now);
        return {
          tasksMoved: moved.tasks.length,
          timersMoved: moved.timers.length,
          instancesUpdated: moved.instances.length,
        };
      },
      afterCommit: async (p, after) => {
        await this.events.tell(MSG_DEADLINE_CHANGED, p.code, { deadline: after });
      },
    });
  }
}
