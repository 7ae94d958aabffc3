/** A problem's stage; set from the rectification process (camunda:property "status" on each user task). */
export const PROBLEM_STATUSES = [
  'assigned',
  'planning',
  'rectifying',
  'applying',
  'closed',
  'rechecking',
  'rebounded',
] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const STATUS_LABELS: Record<ProblemStatus, string> = {
  assigned: '已交办',
  planning: '制定方案',
  rectifying: '整改中',
  applying: '申请销号',
  closed: '已销号',
  rechecking: '回头看',
  rebounded: '已反弹',
};

/** Still being rectified: these can be overdue. */
export const OPEN_STATUSES: readonly ProblemStatus[] = ['assigned', 'planning', 'rectifying', 'applying'];

export const LIGHTS = ['green', 'blue', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];

export const LIGHT_LABELS: Record<Light, string> = { green: '绿', blue: '蓝', yellow: '黄', red: '红' };

/** 短期 ≤ 3 months, 中期 ≤ 1 year, 长期 beyond, counted from assignment. */
export const TIERS = ['short', 'medium', 'long'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABELS: Record<Tier, string> = { short: '短期', medium: '中期', long: '长期' };

export function isProblemStatus(v: unknown): v is ProblemStatus {
  return typeof v === 'string' && (PROBLEM_STATUSES as readonly string[]).includes(v);
}
