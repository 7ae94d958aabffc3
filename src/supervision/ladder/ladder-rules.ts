import type { SupervisionSettings } from '../settings/supervision-settings.js';

/** The rungs of the escalation ladder, in the order they are taken (DESIGN.md §2). */
export const RUNGS = ['reminder', 'notice', 'bulletin', 'interview', 'inspection'] as const;
export type Rung = (typeof RUNGS)[number];

/** What the ladder does next: take a rung now, wait for the next one's day, or stop. */
export type LadderNext = Rung | 'wait' | 'done';

export const RUNG_LABELS: Record<Rung, string> = {
  reminder: '提醒',
  notice: '督办单',
  bulletin: '通报',
  interview: '约谈',
  inspection: '专项督察',
};

export interface LadderInput {
  /** The problem's deadline now (the ledger's, not a remembered one). */
  deadline: string;
  /** Still being rectified (not signed off, not rebounded). */
  open: boolean;
  settings: Pick<SupervisionSettings, 'remindBefore' | 'bulletinAfter' | 'interviewAfter' | 'inspectionAfter'>;
  /** Rungs already taken for this deadline (an extension starts the ladder over). */
  taken: ReadonlySet<Rung>;
  /** The interview held for this deadline ended with its commitment missed: inspection at once. */
  commitmentMissed: boolean;
  now: number;
  today: string;
  /** Working days from a date (negative: before it), by the working-day calendar. */
  addWorkdays(from: string, n: number): string;
  /** When a rung of day `date` falls due: the end of that working day (`workdays(0, date)`). */
  endOfWorkday(date: string): number;
}

export interface LadderPlan {
  next: LadderNext;
  /** The next rung not yet taken; null when there is none or the problem is no longer open. */
  rung: Rung | null;
  /** The day that rung falls due on (its timer is `workdays(0, on)`). */
  on: string | null;
  /** Why the ladder stops: 'closed' (signed off or no longer open) or 'exhausted' (every rung taken). */
  end: 'closed' | 'exhausted' | null;
}

/** The day a rung falls due for a deadline, by the settings. */
export function rungDay(rung: Rung, deadline: string, s: LadderInput['settings'], addWorkdays: LadderInput['addWorkdays']): string {
  switch (rung) {
    case 'reminder':
      return addWorkdays(deadline, -s.remindBefore);
    case 'notice':
      return deadline;
    case 'bulletin':
      return addWorkdays(deadline, s.bulletinAfter);
    case 'interview':
      return addWorkdays(deadline, s.interviewAfter);
    case 'inspection':
      return addWorkdays(deadline, s.inspectionAfter);
  }
}

/**
 * The ladder's one decision, made afresh each time it wakes (a timer, a changed deadline, a rung done): the
 * first rung not yet taken for the current deadline, taken now when its day is over, else waited for.
 */
export function planLadder(i: LadderInput): LadderPlan {
  if (!i.open) return { next: 'done', rung: null, on: null, end: 'closed' };
  const rung = RUNGS.find((r) => !i.taken.has(r));
  if (!rung) return { next: 'done', rung: null, on: null, end: 'exhausted' };
  if (rung === 'inspection' && i.commitmentMissed) return { next: 'inspection', rung, on: i.today, end: null };
  const on = rungDay(rung, i.deadline, i.settings, i.addWorkdays);
  return { next: i.now >= i.endOfWorkday(on) ? rung : 'wait', rung, on, end: null };
}

/** The variables the ladder's gateway reads: one flag per way out, so conditions stay plain lookups. */
export function planVariables(plan: LadderPlan, deadline: string): Record<string, unknown> {
  const nextIs: Record<string, boolean> = { wait: false, done: false };
  for (const r of RUNGS) nextIs[r] = false;
  nextIs[plan.next] = true;
  return { ladderNext: plan.next, nextIs, nextRung: plan.rung, nextOn: plan.on, ladderDeadline: deadline, ladderEnd: plan.end };
}
