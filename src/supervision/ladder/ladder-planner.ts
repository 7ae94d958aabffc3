import { Injectable } from '@nestjs/common';
import { CalendarService } from '../../calendar/calendar.service.js';
import type { Queryable } from '../../engine/definition.service.js';
import type { ProblemRow } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository } from '../actions/actions.repository.js';
import { isOpen, settingsOf } from '../handler-support.js';
import { RUNGS, planLadder, type LadderPlan, type Rung } from './ladder-rules.js';

/** The ladder's plan for a problem as the ledger stands, in the caller's transaction. */
@Injectable()
export class LadderPlanner {
  constructor(
    private readonly calendar: CalendarService,
    private readonly actions: ActionsRepository,
  ) {}

  /** `vars`: the ladder's variables (its thresholds). */
  async plan(tx: Queryable, p: ProblemRow, vars: Record<string, unknown>, now: number): Promise<LadderPlan> {
    const done = await this.actions.ladderActions(tx, p.id, p.deadline);
    const taken = new Set(done.map((a) => a.type).filter((t): t is Rung => (RUNGS as readonly string[]).includes(t)));
    return planLadder({
      deadline: p.deadline,
      open: isOpen(p),
      settings: settingsOf(vars),
      taken,
      commitmentMissed: done.some((a) => a.type === 'interview' && a.status === 'missed'),
      now,
      today: chinaDate(now),
      addWorkdays: (from, n) => this.calendar.addWorkdays(from, n),
      endOfWorkday: (date) => this.endOfWorkday(date, now),
    });
  }

  /** When the ladder's timer `workdays(0, date)` fires. */
  endOfWorkday(date: string, now: number): number {
    return this.calendar.resolveLiteral(`workdays(0, ${date})`, now)!.expireAt;
  }
}
