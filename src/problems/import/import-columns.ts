/** The columns of the problem list (问题清单), as the office's spreadsheets name them. */
export const COLUMNS = {
  code: '编号',
  title: '问题',
  category: '类别',
  leadUnit: '牵头单位',
  units: '责任单位',
  person: '责任人',
  deadline: '整改时限',
  goal: '整改目标',
  recheckMonths: '回头看周期（月）',
  source: '来源',
  description: '问题描述',
  responsibleLeader: '责任领导',
  /** 分级交办: the code of the problem (of a higher level) this row is a part of, for a unit below its lead unit. */
  parent: '上级问题编号',
} as const;

export type ColumnKey = keyof typeof COLUMNS;

export const REQUIRED: readonly ColumnKey[] = ['code', 'title', 'category', 'leadUnit', 'person', 'deadline', 'goal'];
export const TEMPLATE_COLUMNS: readonly ColumnKey[] = [
  'code',
  'title',
  'category',
  'leadUnit',
  'units',
  'person',
  'deadline',
  'goal',
  'recheckMonths',
  'responsibleLeader',
];
export const HEADER_REQUIRED: readonly ColumnKey[] = [
  'code',
  'title',
  'category',
  'leadUnit',
  'units',
  'person',
  'deadline',
  'goal',
];

export const MAX_ROWS = 20_000;
export const MAX_BYTES = 5 * 1024 * 1024;

/** Header text → column, tolerant of half-width brackets and stray spaces (回头看周期(月)). */
export function columnOf(header: string): ColumnKey | null {
  const norm = (s: string) => s.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
  const h = norm(header);
  for (const [key, label] of Object.entries(COLUMNS)) if (norm(label) === h) return key as ColumnKey;
  return null;
}

export interface CellError {
  row: number;
  column: string;
  message: string;
}
