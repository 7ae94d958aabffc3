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
  /** Of those signed off: found effective (见效) at 回头看. */
  effective?: number;
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
  return rankBy(units, (u) => [-(rateOf(u.onTime, u.due) ?? 1), u.overdue]);
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

/** A co-unit's parts (分工) on the dashboard, as the monthly bulletin counts them (as of now). */
export interface CoUnitFigures {
  unit: string;
  name: string;
  parts: number;
  /** Part deadline over. */
  due: number;
  /** Of those due: done on or before the part's deadline. */
  onTime: number;
  /** Part deadline over and not done. */
  late: number;
}

export interface RankedCoUnit extends CoUnitFigures {
  onTimeRate: number | null;
  rank: number;
}

/** The bulletin's order for co-units: part on-time rate, highest first (none due: none late), then fewer late parts. */
export function rankCoUnits(units: CoUnitFigures[]): RankedCoUnit[] {
  return rankBy(units, (u) => [-(rateOf(u.onTime, u.due) ?? 1), u.late]);
}

/** onTime ÷ due to four places; null when nothing is due. */
export function rateOf(onTime: number, due: number): number | null {
  return due ? Math.round((onTime / due) * 10_000) / 10_000 : null;
}

function rankBy<T extends { unit: string; onTime: number; due: number }>(
  units: T[],
  key: (u: T) => readonly number[],
): (T & { onTimeRate: number | null; rank: number })[] {
  const rated = units.map((u) => ({ ...u, onTimeRate: rateOf(u.onTime, u.due), rank: 0 }));
  const cmp = (a: T, b: T) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  };
  rated.sort((a, b) => cmp(a, b) || a.unit.localeCompare(b.unit));
  rated.forEach((u, i) => (u.rank = i > 0 && cmp(rated[i - 1], u) === 0 ? rated[i - 1].rank : i + 1));
  return rated;
}
