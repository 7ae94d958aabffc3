import type { Cell } from '../../problems/import/xlsx-sheet-reader.js';
import type { CellError } from '../../problems/import/import-columns.js';
import { FILLED_LATER, PETITION_COLUMNS, type PetitionColumn } from '../import/petition-columns.js';
import type { PetitionSheetRow } from '../import/petition-sheet-reader.js';

export const VERDICTS = ['属实', '部分属实', '不属实'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A checked row of the team's sheet, ready to store. */
export interface PetitionDraft {
  row: number;
  code: string;
  summary: string;
  district: string;
  pollutionType: string;
  unitCode: string;
  dedupeKey: string;
  /** The 受理编号 of the earlier complaint this one repeats (重复件), in the file or already stored. */
  duplicateOf: string | null;
  complainantName: string | null;
  complainantPhone: string | null;
  complainantAddress: string | null;
}

export interface RowContext {
  /** A unit by code or name, or null. */
  resolveUnit(ref: string): string | null;
  /** 受理编号 already stored. */
  storedCodes: Set<string>;
  /** dedupe key → 受理编号 of the earliest stored complaint with it. */
  storedKeys: Map<string, string>;
  /** Filled as rows are checked: 受理编号 → row, dedupe key → 受理编号. */
  seenCodes: Map<string, number>;
  seenKeys: Map<string, string>;
}

const CODE = /^[A-Za-z0-9\u4e00-\u9fa5\-_.#/（）()]{1,64}$/;
const LIMITS: Partial<Record<PetitionColumn, number>> = {
  summary: 4000,
  district: 50,
  pollutionType: 50,
  complainantName: 100,
  complainantPhone: 50,
  complainantAddress: 500,
};

/**
 * 重复件: the same place and the same matter. The key is the district with the complaint's text stripped of
 * spaces and punctuation, so a complaint forwarded again with other line breaks or full-width commas matches.
 */
export function dedupeKey(district: string, summary: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
  return `${norm(district)}|${norm(summary)}`;
}

function text(cell: Cell | undefined): string | null | { bad: string } {
  if (!cell || cell.kind === 'empty') return null;
  if (cell.kind === 'text') return cell.text;
  if (cell.kind === 'number') return String(cell.value);
  if (cell.kind === 'bad') return { bad: cell.message };
  return { bad: '应填写文字，不是日期' };
}

/** One row checked; every bad cell is named in Chinese. */
export function checkPetitionRow(
  r: PetitionSheetRow,
  ctx: RowContext,
): { draft: PetitionDraft } | { errors: CellError[] } {
  const errors: CellError[] = [];
  const values: Partial<Record<PetitionColumn, string | null>> = {};
  const err = (k: PetitionColumn, message: string) => errors.push({ row: r.row, column: PETITION_COLUMNS[k], message });
  for (const k of Object.keys(PETITION_COLUMNS) as PetitionColumn[]) {
    const v = text(r.cells[k]);
    if (v && typeof v === 'object') err(k, v.bad);
    else values[k] = v;
  }
  for (const k of ['code', 'summary', 'district', 'pollutionType'] as const)
    if (!values[k] && !errors.some((e) => e.column === PETITION_COLUMNS[k])) err(k, '必填');
  for (const [k, max] of Object.entries(LIMITS) as [PetitionColumn, number][])
    if ((values[k]?.length ?? 0) > max) err(k, `最多 ${max} 个字`);
  for (const k of FILLED_LATER) if (values[k]) err(k, '交办时应留空：由责任单位在调查核实、处理环节填写');
  const code = values.code ?? '';
  if (code && !CODE.test(code)) err('code', '受理编号只能由字母、数字、汉字及 - _ . / # 括号组成，最多 64 个字符');
  else if (code && ctx.storedCodes.has(code)) err('code', `受理编号 ${code} 已导入过`);
  else if (code && ctx.seenCodes.has(code)) err('code', `与第 ${ctx.seenCodes.get(code)} 行的受理编号重复`);
  // The unit the complaint is handed to: the 责任单位 column, else the district when it names a unit.
  const ref = values.unit ?? values.district ?? '';
  const unitCode = ref ? ctx.resolveUnit(ref) : null;
  if (ref && !unitCode)
    err(values.unit ? 'unit' : 'district', `没有名为或编码为「${ref}」的单位：请填写“责任单位”列（单位名称或编码）`);
  if (errors.length) return { errors };
  ctx.seenCodes.set(code, r.row);
  const key = dedupeKey(values.district!, values.summary!);
  const duplicateOf = ctx.storedKeys.get(key) ?? ctx.seenKeys.get(key) ?? null;
  if (!duplicateOf) ctx.seenKeys.set(key, code);
  return {
    draft: {
      row: r.row,
      code,
      summary: values.summary!,
      district: values.district!,
      pollutionType: values.pollutionType!,
      unitCode: unitCode!,
      dedupeKey: key,
      duplicateOf,
      complainantName: values.complainantName ?? null,
      complainantPhone: values.complainantPhone ?? null,
      complainantAddress: values.complainantAddress ?? null,
    },
  };
}
