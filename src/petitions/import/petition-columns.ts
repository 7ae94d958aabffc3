/** The columns of the inspection team's complaint sheet (信访件交办表), as the team names them. */
export const PETITION_COLUMNS = {
  code: '受理编号',
  summary: '交办问题基本情况',
  district: '行政区域',
  pollutionType: '污染类型',
  unit: '责任单位',
  investigation: '调查核实情况',
  verdict: '是否属实',
  handling: '处理和整改情况',
  accountability: '责任人被处理情况',
  complainantName: '投诉人',
  complainantPhone: '联系电话',
  complainantAddress: '投诉人地址',
} as const;

export type PetitionColumn = keyof typeof PETITION_COLUMNS;

/** The header row must name these; the rest may be missing. */
export const PETITION_HEADER_REQUIRED: readonly PetitionColumn[] = ['code', 'summary', 'district', 'pollutionType'];
/** Filled in by the units as they work the complaint, not by the team: blank when the batch comes in. */
export const FILLED_LATER: readonly PetitionColumn[] = ['investigation', 'verdict', 'handling', 'accountability'];
/** The columns of the template, in the team's order. */
export const PETITION_TEMPLATE: readonly PetitionColumn[] = [
  'code',
  'summary',
  'district',
  'pollutionType',
  'unit',
  'investigation',
  'verdict',
  'handling',
  'accountability',
];

/** A round has a few thousand complaints per batch (over 2,700 in one Hubei round); more is not one batch. */
export const MAX_PETITION_ROWS = 10_000;

/** Header text → column, tolerant of stray spaces. */
export function petitionColumnOf(header: string): PetitionColumn | null {
  const h = header.replace(/\s+/g, '');
  for (const [key, label] of Object.entries(PETITION_COLUMNS)) if (label === h) return key as PetitionColumn;
  return null;
}
