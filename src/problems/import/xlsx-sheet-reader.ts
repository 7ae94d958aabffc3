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
    return { refused: `文件不是可读取的 .xlsx 工作簿（${String((e as Error).message).slice(0, 200)}）`, errors: [] };
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
    const unhide = hiddenList.length ? `；工作表 ${hiddenList.join('、')} 是隐藏的，不会读取：取消隐藏后再导入` : '';
    if (!visible.some((w) => w.actualRowCount > 0))
      return { refused: `工作簿的可见工作表中没有数据${unhide}`, errors: [] };
    return {
      refused: `没有可见工作表在前 ${HEADER_SEARCH} 行中有含“${COLUMNS.code}”的表头行（工作表：${visible.map((w) => w.name).join('、')}）${unhide}`,
      errors: [],
    };
  }
  const { ws, header } = found;
  const dup = [...header.columnsOf].filter(([, cols]) => cols.length > 1);
  if (dup.length) {
    return {
      refused: `工作表 ${ws.name} 的表头中有重复的列`,
      errors: dup.map(([k, cols]) => ({
        row: header.row,
        column: COLUMNS[k],
        message: `“${COLUMNS[k]}”出现在 ${cols.map(columnLetter).join('、')} 列（合并的表头单元格每列都算）：只保留一列`,
      })),
    };
  }
  const present = new Set(header.columnsOf.keys());
  const missing = HEADER_REQUIRED.filter((k) => !present.has(k));
  if (missing.length) {
    return {
      refused: '缺少必需的列',
      errors: missing.map((k) => ({ row: header.row, column: COLUMNS[k], message: `缺少“${COLUMNS[k]}”列` })),
    };
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
  if (tooMany) return { refused: `一个文件中的问题超过 ${MAX_ROWS} 个，请拆分成几个文件`, errors: [] };
  if (!rows.length) return { refused: '工作表只有表头，没有问题', errors };
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
export function notAWorkbook(buf: Buffer): string | null {
  const s = sniff(buf);
  const not = (what: string) => `文件不是 .xlsx 工作簿，而是${what}`;
  switch (s.type) {
    case 'xlsx':
    case 'xlsm':
    case 'office-macro':
    case 'zip':
      return null;
    case 'empty':
      return '文件是空的';
    case 'xls':
      return '文件是 Excel 97-2003 工作簿（.xls）：请打开后另存为 Excel 工作簿（.xlsx）';
    case 'ole2':
      return inspectCfb(buf)?.includes('EncryptedPackage')
        ? '工作簿设有密码：请取消密码后重新保存'
        : not('OLE2 复合文档，不是电子表格');
    case 'docx':
    case 'docm':
      return not(' Word 文档');
    case 'pptx':
    case 'pptm':
      return not(' PowerPoint 演示文稿');
    case 'text':
      return not('纯文本（CSV 文件？）：请打开后另存为 Excel 工作簿（.xlsx）');
    default:
      return not(` ${s.type.toUpperCase()} 内容（${s.mime}）`);
  }
}

export function columnLetter(n: number): string {
  let s = '';
  for (let m = n; m > 0; m = Math.floor((m - 1) / 26)) s = String.fromCharCode(65 + ((m - 1) % 26)) + s;
  return s;
}

// Excel writes control characters as _xHHHH_ escapes and the parser restores them; PostgreSQL refuses
// U+0000 and none of them is visible in a cell. Word's line breaks (U+000B, U+000C) become new lines.
export function clean(s: string): string {
  return s.replace(/[\u000B\u000C]/g, '\n').replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, '');
}

export function readCell(cell: ExcelJS.Cell, headerRow: number): Cell {
  if (cell.type === ExcelJS.ValueType.Merge) {
    const master = cell.master;
    if (master.col !== cell.col) return { kind: 'bad', message: `与 ${master.address} 跨列合并：请取消合并并逐列填写` };
    if (Number(master.row) <= headerRow)
      return { kind: 'bad', message: `与表头单元格 ${master.address} 合并：请取消合并` };
    // Merged down a column: each row takes the value shown.
  }
  const v = cell.value;
  if (
    cell.type === ExcelJS.ValueType.Formula ||
    (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))
  ) {
    return { kind: 'bad', message: '不接受公式，请粘贴为数值' };
  }
  if (v === null || v === undefined) return { kind: 'empty' };
  if (v instanceof Date)
    return isNaN(v.getTime()) ? { kind: 'bad', message: '不是有效日期' } : { kind: 'date', date: v };
  if (typeof v === 'number')
    return Number.isFinite(v) ? { kind: 'number', value: v } : { kind: 'bad', message: '不是数字' };
  if (typeof v === 'boolean') return { kind: 'bad', message: `此处不接受逻辑值 ${v ? 'TRUE' : 'FALSE'}：请填写文字` };
  if (typeof v === 'object' && 'error' in v)
    return { kind: 'bad', message: `单元格中是错误值 ${String((v as ExcelJS.CellErrorValue).error)}` };
  const text = clean(cellText(cell)).trim();
  return text ? { kind: 'text', text } : { kind: 'empty' };
}

export function cellText(cell: ExcelJS.Cell): string {
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
