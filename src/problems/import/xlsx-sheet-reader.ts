import ExcelJS from 'exceljs';
import { inspectCfb } from '../../files/sniff-cfb.js';
import { sniff } from '../../files/sniff.js';
import { COLUMNS, HEADER_REQUIRED, MAX_ROWS, columnOf, type CellError, type ColumnKey } from './import-columns.js';
import { checkWorkbookPackage, type WorkbookLimits } from './zip-guard.js';

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

const HEADER_SEARCH = 5;
/** The sheet the template names; read first when present. */
export const SHEET_NAME = '问题清单';

/** What a problem list may hold before the spreadsheet parser is let at it (see zip-guard.ts). */
export const WORKBOOK_LIMITS: WorkbookLimits = {
  maxEntries: 1000,
  maxInflated: 200 * 1024 * 1024,
  maxRowsPerSheet: MAX_ROWS + HEADER_SEARCH,
  maxCells: 1_000_000,
  maxSharedStrings: 1_000_000,
  maxMergedCells: 200_000,
  maxMerges: 10_000,
  maxRangeCells: 2_200_000,
};

/**
 * Reads the problem list of a workbook into typed cells: the visible sheet named 问题清单, else the first
 * visible sheet with a header row. Formulas are refused, never evaluated; hidden sheets are never read.
 */
export async function readProblemSheet(buf: Buffer, limits: WorkbookLimits = WORKBOOK_LIMITS): Promise<SheetResult> {
  const other = notAWorkbook(buf);
  if (other) return { refused: other, errors: [] };
  const unsafe = await checkWorkbookPackage(buf, limits);
  if (unsafe) return { refused: unsafe, errors: [] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch (e) {
    return { refused: `the file is not a readable .xlsx workbook (${String((e as Error).message).slice(0, 200)})`, errors: [] };
  }

  const hidden = (w: ExcelJS.Worksheet) => w.state === 'hidden' || w.state === 'veryHidden';
  const visible = wb.worksheets.filter((w) => !hidden(w));
  const ordered = [...visible.filter((w) => w.name === SHEET_NAME), ...visible.filter((w) => w.name !== SHEET_NAME)];
  let found: { ws: ExcelJS.Worksheet; header: Header } | null = null;
  for (const ws of ordered) {
    const header = findHeader(ws);
    if (header) {
      found = { ws, header };
      break;
    }
  }
  if (!found) {
    const hiddenList = wb.worksheets.filter((w) => hidden(w) && findHeader(w)).map((w) => w.name);
    const unhide = hiddenList.length ? `; sheet ${hiddenList.join('、')} is hidden and is not read: unhide it to import it` : '';
    if (!visible.some((w) => w.actualRowCount > 0)) return { refused: `the workbook has no rows in a visible sheet${unhide}`, errors: [] };
    return { refused: `no visible sheet has a header row with ${COLUMNS.code} in its first ${HEADER_SEARCH} rows (sheets: ${visible.map((w) => w.name).join('、')})${unhide}`, errors: [] };
  }
  const { ws, header } = found;
  const dup = [...header.columnsOf].filter(([, cols]) => cols.length > 1);
  if (dup.length) {
    return {
      refused: `the header of sheet ${ws.name} names a column more than once`,
      errors: dup.map(([k, cols]) => ({ row: header.row, column: COLUMNS[k], message: `${COLUMNS[k]} is in columns ${cols.map(columnLetter).join(', ')} (merged header cells count for each column): keep one` })),
    };
  }
  const present = new Set(header.columnsOf.keys());
  const missing = HEADER_REQUIRED.filter((k) => !present.has(k));
  if (missing.length) {
    return { refused: 'required columns are missing', errors: missing.map((k) => ({ row: header.row, column: COLUMNS[k], message: `column ${COLUMNS[k]} is missing` })) };
  }

  const rows: SheetRow[] = [];
  const errors: CellError[] = [];
  let tooMany = false;
  // eachRow visits the rows the file holds, not every number up to the last one.
  ws.eachRow((row, r) => {
    if (r <= header.row || tooMany) return;
    const cells: SheetRow['cells'] = {};
    let any = false;
    for (const [key, [col]] of header.columnsOf) {
      const cell = readCell(row.getCell(col), header.row);
      if (cell.kind !== 'empty') any = true;
      cells[key] = cell;
    }
    if (!any) return;
    if (rows.length === MAX_ROWS) {
      tooMany = true;
      return;
    }
    rows.push({ row: r, cells });
  });
  if (tooMany) return { refused: `more than ${MAX_ROWS} problems in one file; split it`, errors: [] };
  if (!rows.length) return { refused: 'the sheet has a header but no problems', errors };
  return { rows, errors };
}

interface Header {
  row: number;
  /** Each column key with the sheet columns that name it. */
  columnsOf: Map<ColumnKey, number[]>;
}

function findHeader(ws: ExcelJS.Worksheet): Header | null {
  for (let r = 1; r <= Math.min(HEADER_SEARCH, ws.rowCount); r++) {
    const columnsOf = new Map<ColumnKey, number[]>();
    ws.getRow(r).eachCell((cell, col) => {
      const key = columnOf(clean(cellText(cell)));
      if (key) columnsOf.set(key, [...(columnsOf.get(key) ?? []), col]);
    });
    if (columnsOf.has('code')) return { row: r, columnsOf };
  }
  return null;
}

/** Why the bytes are not an .xlsx workbook, when they are plainly something else; null for a zip to look into. */
function notAWorkbook(buf: Buffer): string | null {
  const s = sniff(buf);
  const not = (what: string) => `the file is not an .xlsx workbook: it is ${what}`;
  switch (s.type) {
    case 'xlsx':
    case 'xlsm':
    case 'office-macro':
    case 'zip':
      return null;
    case 'empty':
      return 'the file is empty';
    case 'xls':
      return 'the file is an Excel 97-2003 workbook (.xls): open it and save it as an Excel Workbook (.xlsx)';
    case 'ole2':
      return inspectCfb(buf)?.includes('EncryptedPackage')
        ? 'the workbook is password-protected: remove the password and save it again'
        : not('an OLE2 compound document, not a spreadsheet');
    case 'docx':
    case 'docm':
      return not('a Word document');
    case 'pptx':
    case 'pptm':
      return not('a PowerPoint presentation');
    case 'text':
      return not('plain text (a CSV file?): open it and save it as an Excel Workbook (.xlsx)');
    default:
      return not(`${s.type.toUpperCase()} content (${s.mime})`);
  }
}

function columnLetter(n: number): string {
  let s = '';
  for (let m = n; m > 0; m = Math.floor((m - 1) / 26)) s = String.fromCharCode(65 + ((m - 1) % 26)) + s;
  return s;
}

// Excel writes control characters as _xHHHH_ escapes and the parser restores them; PostgreSQL refuses
// U+0000 and none of them is visible in a cell. Word's line breaks (U+000B, U+000C) become new lines.
function clean(s: string): string {
  return s.replace(/[\u000B\u000C]/g, '\n').replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, '');
}

function readCell(cell: ExcelJS.Cell, headerRow: number): Cell {
  if (cell.type === ExcelJS.ValueType.Merge) {
    const master = cell.master;
    if (master.col !== cell.col) return { kind: 'bad', message: `merged with ${master.address} across columns: unmerge the cells and fill in each column` };
    if (Number(master.row) <= headerRow) return { kind: 'bad', message: `merged with the header cell ${master.address}: unmerge it` };
    // Merged down a column: each row takes the value shown.
  }
  const v = cell.value;
  if (cell.type === ExcelJS.ValueType.Formula || (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))) {
    return { kind: 'bad', message: 'formulas are not accepted; paste the values instead' };
  }
  if (v === null || v === undefined) return { kind: 'empty' };
  if (v instanceof Date) return isNaN(v.getTime()) ? { kind: 'bad', message: 'not a valid date' } : { kind: 'date', date: v };
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'number', value: v } : { kind: 'bad', message: 'not a number' };
  if (typeof v === 'boolean') return { kind: 'bad', message: `the logical value ${v ? 'TRUE' : 'FALSE'} is not accepted here: enter text` };
  if (typeof v === 'object' && 'error' in v) return { kind: 'bad', message: `the cell holds the error ${String((v as ExcelJS.CellErrorValue).error)}` };
  const text = clean(cellText(cell)).trim();
  return text ? { kind: 'text', text } : { kind: 'empty' };
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((t) => String(t?.text ?? '')).join('');
    if (typeof o.text === 'string') return o.text;
    if (o.text && typeof o.text === 'object') return cellText({ value: o.text } as ExcelJS.Cell);
  }
  return String(v);
}
