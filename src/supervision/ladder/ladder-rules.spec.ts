import { planLadder, planVariables, rungDay, type LadderInput, type Rung } from './ladder-rules.js';

/** Plain weekdays for the rules; the service counts with the Chinese calendar. */
function addWeekdays(from: string, n: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  const isWork = (x: Date) => x.getUTCDay() !== 0 && x.getUTCDay() !== 6;
  if (n === 0) {
    while (!isWork(d)) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + step);
    if (isWork(d)) left--;
  }
  return d.toISOString().slice(0, 10);
}
const endOfWorkday = (date: string) => Date.parse(`${addWeekdays(date, 0)}T00:00:00+08:00`) + 86_400_000;
const at = (iso: string) => Date.parse(iso);

function input(over: Partial<LadderInput> = {}): LadderInput {
  return {
    deadline: '2026-03-20',
    open: true,
    settings: { remindBefore: 5, bulletinAfter: 10, interviewAfter: 20, inspectionAfter: 30 },
    taken: new Set<Rung>(),
    commitmentMissed: false,
    now: at('2026-03-02T09:00:00+08:00'),
    today: '2026-03-02',
    addWorkdays: addWeekdays,
    endOfWorkday,
    ...over,
  };
}

describe('the escalation ladder rules', () => {
  it('puts the rungs on their days: reminder before the deadline, the rest after it', () => {
    const s = input().settings;
    expect(['reminder', 'notice', 'bulletin', 'interview', 'inspection'].map((r) => rungDay(r as Rung, '2026-03-20', s, addWeekdays))).toEqual([
      '2026-03-13', '2026-03-20', '2026-04-03', '2026-04-17', '2026-05-01',
    ]);
  });

  it('waits for the first rung not taken until its working day is over, then takes it', () => {
    expect(planLadder(input())).toEqual({ next: 'wait', rung: 'reminder', on: '2026-03-13', end: null });
    expect(planLadder(input({ now: at('2026-03-13T23:59:59+08:00') })).next).toBe('wait');
    expect(planLadder(input({ now: at('2026-03-14T00:00:00+08:00') })).next).toBe('reminder');
    expect(planLadder(input({ now: at('2026-03-14T00:00:00+08:00'), taken: new Set<Rung>(['reminder']) }))).toEqual({ next: 'wait', rung: 'notice', on: '2026-03-20', end: null });
  });

  it('takes rungs missed while away one at a time, in order', () => {
    const late = at('2026-06-01T09:00:00+08:00');
    expect(planLadder(input({ now: late })).next).toBe('reminder');
    expect(planLadder(input({ now: late, taken: new Set<Rung>(['reminder', 'notice']) })).next).toBe('bulletin');
  });

  it('inspects at once when the interview commitment was missed', () => {
    const taken = new Set<Rung>(['reminder', 'notice', 'bulletin', 'interview']);
    const now = at('2026-04-20T09:00:00+08:00');
    expect(planLadder(input({ now, taken })).next).toBe('wait');
    expect(planLadder(input({ now, taken, commitmentMissed: true, today: '2026-04-20' }))).toEqual({ next: 'inspection', rung: 'inspection', on: '2026-04-20', end: null });
  });

  it('stops when the problem is no longer open or every rung is taken', () => {
    expect(planLadder(input({ open: false }))).toMatchObject({ next: 'done', end: 'closed' });
    expect(planLadder(input({ taken: new Set<Rung>(['reminder', 'notice', 'bulletin', 'interview', 'inspection']) }))).toMatchObject({ next: 'done', end: 'exhausted' });
  });

  it('gives the gateway one flag per way out', () => {
    const v = planVariables({ next: 'notice', rung: 'notice', on: '2026-03-20', end: null }, '2026-03-20');
    expect(v).toEqual({
      ladderNext: 'notice',
      nextIs: { wait: false, done: false, reminder: false, notice: true, bulletin: false, interview: false, inspection: false },
      nextRung: 'notice',
      nextOn: '2026-03-20',
      ladderDeadline: '2026-03-20',
      ladderEnd: null,
    });
  });
});
