/** A lead unit's figures on the dashboard, as the monthly bulletin counts them (as of now). */
export interface UnitFigures {
  unit: string;
  name: string;
  total: number;
  closed: number;
  /** Deadline over. */
  due: number;
  /** Of those due: signed off on or before the deadline. */
  onTime: number;
  /** Deadline over and not signed off. */
  overdue: number;
}

export interface RankedUnit extends UnitFigures {
  onTimeRate: number | null;
  rank: number;
}

/**
 * The monthly bulletin's order (src/reports' rankUnits, applied to today's figures): on-time rate, highest
 * first — nothing due yet counts as no deadline missed — then fewer overdue. Equal keys share a rank
 * (1, 2, 2, 4); within a rank, by unit code.
 */
export function rankUnits(units: UnitFigures[]): RankedUnit[] {
  const rated = units.map((u) => ({
    ...u,
    onTimeRate: u.due ? Math.round((u.onTime / u.due) * 10_000) / 10_000 : null,
    rank: 0,
  }));
  const key = (u: RankedUnit) => [-(u.onTimeRate ?? 1), u.overdue] as const;
  const same = (a: RankedUnit, b: RankedUnit) => key(a)[0] === key(b)[0] && key(a)[1] === key(b)[1];
  rated.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1] || a.unit.localeCompare(b.unit));
  rated.forEach((u, i) => (u.rank = i > 0 && same(rated[i - 1], u) ? rated[i - 1].rank : i + 1));
  return rated;
}

/** The `n` months up to and including `month` (YYYY-MM), oldest first. */
export function monthsUpTo(month: string, n: number): string[] {
  const [y, m] = month.split('-').map(Number);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const total = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
