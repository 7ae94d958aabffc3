import ExcelJS from 'exceljs';
import { COLUMNS, HEADER_REQUIRED, MAX_ROWS, columnOf, type CellError, type ColumnKey } from './import-columns.js';
import { inflatedSize } from './zip-guard.js';

export type Cell =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'date'; date: Date }
  | { kind: 'bad'; message: string };

export interface SheetRow {
  /** The row number as the spreadsheet shows it. */
  row: number;
  cells: Partial<Record<ColumnKey, Cell>>;
}

export type SheetResult = { rows: SheetRow[]; errors: CellError[] } | { refused: string; errors: CellError[] };

const MAX_INFLATED = 200 * 1024 * 1024;
const HEADER_SEARCH = 5;

/** Reads the first worksheet of a problem list into typed cells; formulas are refused, not evaluated. */
export async function readProblemSheet(buf: Buffer): Promise<SheetResult> {
  const inflated = inflatedSize(buf);
  if (inflated === null) return { refused: 'the file is not an .xlsx workbook', errors: [] };
  if (inflated > MAX_INFLATED) return { refused: 'the workbook inflates to more than 200 MB', errors: [] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch (e) {
    return { refused: `the file is not a readable .xlsx workbook (${(e as Error).message})`, errors: [] };
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) return { refused: 'the workbook has no rows', errors: [] };

  let headerRow = 0;
  const columns = new Map<number, ColumnKey>();
  for (let r = 1; r <= Math.min(HEADER_SEARCH, ws.rowCount) && !headerRow; r++) {
    const found = new Map<number, ColumnKey>();
    ws.getRow(r).eachCell((cell, col) => {
      const key = columnOf(cellText(cell));
      if (key) found.set(col, key);
    });
    if ([...found.values()].includes('code')) {
      headerRow = r;
      for (const [c, k] of found) columns.set(c, k);
    }
  }
  if (!headerRow) return { refused: `no header row with ${COLUMNS.code} in the first ${HEADER_SEARCH} rows`, errors: [] };
  const present = new Set(columns.values());
  const missing = HEADER_REQUIRED.filter((k) => !present.has(k));
  if (missing.length) {
    return { refused: 'required columns are missing', errors: missing.map((k) => ({ row: headerRow, column: COLUMNS[k], message: `column ${COLUMNS[k]} is missing` })) };
  }

  const rows: SheetRow[] = [];
  const errors: CellError[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.hasValues) continue;
    const cells: SheetRow['cells'] = {};
    let any = false;
    for (const [col, key] of columns) {
      const cell = readCell(row.getCell(col));
      if (cell.kind !== 'empty') any = true;
      cells[key] = cell;
    }
    if (!any) continue;
    if (rows.length === MAX_ROWS) return { refused: `more than ${MAX_ROWS} problems in one file; split it`, errors: [] };
    rows.push({ row: r, cells });
  }
  if (!rows.length) return { refused: 'the sheet has a header but no problems', errors };
  return { rows, errors };
}

function readCell(cell: ExcelJS.Cell): Cell {
  const v = cell.value;
  if (cell.type === ExcelJS.ValueType.Formula || (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))) {
    return { kind: 'bad', message: 'formulas are not accepted; paste the values instead' };
  }
  if (v === null || v === undefined) return { kind: 'empty' };
  if (v instanceof Date) return isNaN(v.getTime()) ? { kind: 'bad', message: 'not a valid date' } : { kind: 'date', date: v };
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'boolean') return { kind: 'text', text: v ? 'TRUE' : 'FALSE' };
  if (typeof v === 'object' && 'error' in v) return { kind: 'bad', message: `the cell holds the error ${String((v as ExcelJS.CellErrorValue).error)}` };
  const text = cellText(cell).trim();
  return text ? { kind: 'text', text } : { kind: 'empty' };
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((t) => t.text).join('');
    if (typeof o.text === 'string') return o.text;
    if (o.text && typeof o.text === 'object') return cellText({ value: o.text } as ExcelJS.Cell);
  }
  return String(v);
}
