/** The levels of government an office may sit at, from the top (省 → 市 → 县 → 乡镇). */
export const UNIT_LEVELS = ['province', 'city', 'county', 'town'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export const LEVEL_LABELS: Record<UnitLevel, string> = {
  province: '省级',
  city: '市级',
  county: '县级',
  town: '乡镇级',
};

/** A tree of units is at most this deep (a province's office down to a town's station has room to spare). */
export const MAX_TREE_DEPTH = 8;

export function levelRank(level: UnitLevel): number {
  return UNIT_LEVELS.indexOf(level);
}

/**
 * The level a unit acts at: its own, or for a department (no level of its own) the nearest level above it.
 * `chain` is the unit's own level followed by its ancestors' levels, nearest first.
 */
export function effectiveLevel(chain: (UnitLevel | null)[]): UnitLevel | null {
  return chain.find((l): l is UnitLevel => l !== null) ?? null;
}

/**
 * Why `level` cannot sit under a parent acting at `parentLevel`, or null when it can: a child's own level is
 * below its parent's.
 */
export function levelProblem(level: UnitLevel | null, parentLevel: UnitLevel | null): string | null {
  if (!level || !parentLevel) return null;
  if (levelRank(level) > levelRank(parentLevel)) return null;
  return `下级单位的层级（${LEVEL_LABELS[level]}）须低于上级单位的层级（${LEVEL_LABELS[parentLevel]}）`;
}
