import ExcelJS from 'exceljs';
import type { CellError } from '../../problems/import/import-columns.js';
import {
  WORKBOOK_LIMITS,
  cellText,
  clean,
  columnLetter,
  notAWorkbook,
  readCell,
  type Cell,
} from '../../problems/import/xlsx-sheet-reader.js';
import { checkWorkbookPackage } from '../../problems/import/zip-guard.js';
import {
  MAX_PETITION_ROWS,
  PETITION_COLUMNS,
  PETITION_HEADER_REQUIRED,
  petitionColumnOf,
  type PetitionColumn,
} from './petition-columns.js';

export interface PetitionSheetRow {
  row: number;
  cells: Partial<Record<PetitionColumn, Cell>>;
}

export type PetitionSheet = { rows: PetitionSheetRow[] } | { refused: string; errors: CellError[] };

const HEADER_SEARCH = 5;

/**
 * The team's sheet read into typed cells, with the same guards as the problem list (zip-guard before the parser,
 * formulas refused, hidden sheets never read): the first visible sheet with a header row naming 受理编号.
 */
export async function readPetitionSheet(buf: Buffer): Promise<PetitionSheet> {
  const other = notAWorkbook(buf);
  if (other) return { refused: other, errors: [] };
  const unsafe = await checkWorkbookPackage(buf, { ...WORKBOOK_LIMITS, maxRowsPerSheet: MAX_PETITION_ROWS + 5 });
  if (unsafe) return { refused: unsafe, errors: [] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch (e) {
    return { refused: `文件不是可读取的 .xlsx 工作簿（${String((e as Error).message).slice(0, 200)}）`, errors: [] };
  }
  const visible = wb.worksheets.filter((w) => w.state !== 'hidden' && w.state !== 'veryHidden');
  let found: { ws: ExcelJS.Worksheet; row: number; columns: Map<PetitionColumn, number[]> } | null = null;
  for (const ws of visible) {
    for (let r = 1; r <= Math.min(HEADER_SEARCH, ws.rowCount) && !found; r++) {
      const columns = new Map<PetitionColumn, number[]>();
      ws.getRow(r).eachCell((cell, col) => {
        const key = petitionColumnOf(clean(cellText(cell)));
        if (key) columns.set(key, [...(columns.get(key) ?? []), col]);
      });
      if (columns.has('code')) found = { ws, row: r, columns };
    }
    if (found) break;
  }
  if (!found) return { refused: `没有可见工作表在前 ${HEADER_SEARCH} 行中有含“受理编号”的表头行`, errors: [] };
  const { ws, row: headerRow, columns } = found;
  const dup = [...columns].filter(([, cols]) => cols.length > 1);
  if (dup.length)
    return {
      refused: `工作表 ${ws.name} 的表头中有重复的列`,
      errors: dup.map(([k, cols]) => ({
        row: headerRow,
        column: PETITION_COLUMNS[k],
        message: `“${PETITION_COLUMNS[k]}”出现在 ${cols.map(columnLetter).join('、')} 列：只保留一列`,
      })),
    };
  const missing = PETITION_HEADER_REQUIRED.filter((k) => !columns.has(k));
  if (missing.length)
    return {
      refused: '缺少必需的列',
      errors: missing.map((k) => ({
        row: headerRow,
        column: PETITION_COLUMNS[k],
        message: `缺少“${PETITION_COLUMNS[k]}”列`,
      })),
    };
  const rows: PetitionSheetRow[] = [];
  let tooMany = false;
  ws.eachRow((row, r) => {
    if (r <= headerRow || tooMany) return;
    const cells: PetitionSheetRow['cells'] = {};
    let any = false;
    for (const [key, [col]] of columns) {
      const cell = readCell(row.getCell(col), headerRow);
      if (cell.kind !== 'empty') any = true;
      cells[key] = cell;
    }
    if (!any) return;
    if (rows.length === MAX_PETITION_ROWS) {
      tooMany = true;
      return;
    }
    rows.push({ row: r, cells });
  });
  if (tooMany) return { refused: `一个批次的信访件超过 ${MAX_PETITION_ROWS} 件，请拆分成几个批次`, errors: [] };
  if (!rows.length) return { refused: '工作表只有表头，没有信访件', errors: [] };
  return { rows };
}
