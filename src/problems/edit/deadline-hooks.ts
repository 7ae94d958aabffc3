import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../engine/definition.service.js';
import type { ProblemRow } from '../problems.repository.js';

/** What follows a problem's deadline, in the transaction that changes it; answers what moved (for the trail). */
export type DeadlineFollower = {
  inTransaction(
    tx: Queryable,
    p: ProblemRow,
    before: string,
    after: string,
    now: number,
  ): Promise<Record<string, unknown>>;
  afterCommit(p: ProblemRow, after: string): Promise<void>;
};

/**
 * The problems module changes a deadline by hand; the ladder, due dates and timers that hang on it belong to
 * supervision, which registers here (the dependency points from supervision to problems, never back).
 */
@Injectable()
export class DeadlineHooks {
  private follower: DeadlineFollower | null = null;

  register(f: DeadlineFollower): void {
    this.follower = f;
  }

  get registered(): DeadlineFollower | null {
    return this.follower;
  }
}
