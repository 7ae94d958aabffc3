import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { entryData, zipDirectory, type ZipEntry } from '../../files/sniff-zip.js';

/**
 * How much a workbook may make the spreadsheet parser build. The parser (exceljs over JSZip) inflates every
 * part whole, trusting nothing but the bytes, and expands ranges cell by cell: a merged range, a data
 * validation or a named range over a whole sheet is billions of objects from a few bytes of XML, a row
 * numbered in the billions stalls it, a part that lies about its size inflates to gigabytes. So the
 * package is checked first, inflating each part as a stream (nothing kept) and counting what it holds.
 */
export interface WorkbookLimits {
  /** Parts in the zip; a workbook has a few dozen. */
  maxEntries: number;
  /** Bytes of all parts inflated. */
  maxInflated: number;
  /** Rows holding a value, in any one sheet. */
  maxRowsPerSheet: number;
  /** Cells (`<c>`) over all sheets, values or only formatting. */
  maxCells: number;
  /** Entries of the shared string table. */
  maxSharedStrings: number;
  /** Cells covered by merged ranges. */
  maxMergedCells: number;
  /** Merged ranges (each new one is compared with every earlier one). */
  maxMerges: number;
  /** Cells covered by data validations and named ranges, which the parser lists one by one. */
  maxRangeCells: number;
}

export const EXCEL_MAX_ROW = 1_048_576;
export const EXCEL_MAX_COL = 16_384;
// Excel's own limit on a formula's length; a named range is one.
const MAX_TEXT = 64 * 1024;

class Refused extends Error {}

/** The zip's entries, or why the file is not a zip the parser can open. */
function zipEntries(buf: Buffer, maxEntries: number): ZipEntry[] | string {
  const dir = zipDirectory(buf, maxEntries);
  if (Array.isArray(dir)) return dir;
  switch (dir.problem) {
    case 'not a zip':
      return '文件不是 .xlsx 工作簿（没有 zip 目录：不是 zip 文件，或文件不完整）';
    case 'zip64':
      return '不接受 ZIP64 压缩包：问题清单远小于此';
    case 'too many entries':
      return `该 .xlsx 含 ${dir.count} 个部件；工作簿通常只有几十个（最多接受 ${maxEntries} 个）`;
    default:
      return '文件已损坏：zip 目录不完整或已损坏';
  }
}

export function cellRef(ref: string): { row?: number; col?: number } {
  let col = 0;
  let row = 0;
  let hasCol = false;
  let hasRow = false;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (!hasRow && c >= 65 && c <= 90) {
      hasCol = true;
      col = Math.min(col * 26 + c - 64, Number.MAX_SAFE_INTEGER);
    } else if (c >= 48 && c <= 57) {
      hasRow = true;
      row = Math.min(row * 10 + c - 48, Number.MAX_SAFE_INTEGER);
    } else if (hasRow && hasCol && c !== 36) break;
  }
  return { ...(hasRow && { row }), ...(hasCol && { col }) };
}

/** Cells in an `A1:B2` range (or one cell); a range without rows or columns expands to nothing in the parser. */
export function rangeArea(range: string): number {
  const [a, b = a] = range.split(':');
  const tl = cellRef(a.toUpperCase());
  const br = cellRef(b.toUpperCase());
  if (tl.row === undefined || tl.col === undefined || br.row === undefined || br.col === undefined) return 0;
  return (Math.abs(br.row - tl.row) + 1) * (Math.abs(br.col - tl.col) + 1);
}

/** Counts over every XML part, checked against the limits as the events come. */
class PartScanner {
  cells = 0;
  sharedStrings = 0;
  mergedCells = 0;
  merges = 0;
  rangeCells = 0;

  constructor(private readonly limits: WorkbookLimits) {}

  /** A parser for one part; feed it text, then close it. */
  part(name: string): SaxesParser {
    const l = this.limits;
    const parser = new SaxesParser({ position: false });
    let rowsWithValue = 0;
    let inRow = false;
    let rowCounted = false;
    let nameText: string[] | null = null;
    let nameLength = 0;
    // A malformed part fails in the spreadsheet parser as well; counting on is harmless.
    parser.on('error', () => undefined);
    parser.on('opentag', (tag) => {
      const local = tag.name.slice(tag.name.indexOf(':') + 1);
      const attr = (a: string) => (tag.attributes as Record<string, string>)[a];
      switch (local) {
        case 'row': {
          inRow = true;
          rowCounted = false;
          const r = attr('r');
          if (r !== undefined && parseInt(r, 10) > EXCEL_MAX_ROW)
            throw new Refused(`${name}：行号 ${r.slice(0, 20)} 超出 Excel 的最后一行 ${EXCEL_MAX_ROW}`);
          break;
        }
        case 'c': {
          if (++this.cells > l.maxCells)
            throw new Refused(`工作簿超过 ${l.maxCells} 个单元格，问题清单远用不了这么多：请删除不用的行和列`);
          const r = attr('r');
          if (r !== undefined) {
            const at = cellRef(r);
            if ((at.row ?? 0) > EXCEL_MAX_ROW || (at.col ?? 0) > EXCEL_MAX_COL)
              throw new Refused(`${name}：单元格 ${r.slice(0, 20)} 超出 Excel 工作表范围`);
          }
          break;
        }
        case 'v':
        case 'is':
        case 'f':
          if (inRow && !rowCounted) {
            rowCounted = true;
            if (++rowsWithValue > l.maxRowsPerSheet)
              throw new Refused(`工作表（${name}）有值的行超过 ${l.maxRowsPerSheet} 行：请把清单拆成几个文件`);
          }
          break;
        case 'si':
          if (++this.sharedStrings > l.maxSharedStrings)
            throw new Refused(`工作簿中不同的文字超过 ${l.maxSharedStrings} 个`);
          break;
        case 'col': {
          const max = parseInt(attr('max') ?? '0', 10);
          if (max > EXCEL_MAX_COL)
            throw new Refused(`${name}：列范围到达第 ${max} 列，超出 Excel 的最后一列 ${EXCEL_MAX_COL}`);
          break;
        }
        case 'mergeCell': {
          const ref = attr('ref') ?? '';
          this.mergedCells += rangeArea(ref);
          if (++this.merges > l.maxMerges) throw new Refused(`工作簿中的合并区域超过 ${l.maxMerges} 个：请取消合并`);
          if (this.mergedCells > l.maxMergedCells)
            throw new Refused(`合并单元格覆盖超过 ${l.maxMergedCells} 个单元格（如 ${ref.slice(0, 40)}）：请取消合并`);
          break;
        }
        case 'dataValidation':
          for (const range of (attr('sqref') ?? '').split(/\s+/)) this.addRangeCells(range);
          break;
        case 'definedName':
          nameText = [];
          nameLength = 0;
          break;
      }
    });
    parser.on('text', (text) => {
      if (!nameText) return;
      nameLength += text.length;
      if (nameLength > MAX_TEXT) throw new Refused(`${name}: a named range is longer than ${MAX_TEXT} characters`);
      nameText.push(text);
    });
    parser.on('closetag', (tag) => {
      const local = tag.name.slice(tag.name.indexOf(':') + 1);
      if (local === 'row') inRow = false;
      else if (local === 'definedName' && nameText) {
        for (const item of nameText.join('').split(',')) this.addRangeCells(item.split('!').pop() ?? '');
        nameText = null;
      }
    });
    return parser;
  }

  private addRangeCells(range: string) {
    this.rangeCells += rangeArea(range.trim());
    if (this.rangeCells > this.limits.maxRangeCells) {
      throw new Refused(
        `数据验证和名称区域覆盖超过 ${this.limits.maxRangeCells} 个单元格（如 ${range.slice(0, 40)}）：请只用于有数据的行`,
      );
    }
  }
}

/** Inflates `data` as a stream, handing each piece to `sink`; never holds more than a piece. Rejects past `limit` bytes. */
function inflateCounting(data: Buffer, limit: number, sink: (chunk: Buffer) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const z = createInflateRaw({ chunkSize: 64 * 1024 });
    let total = 0;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      z.destroy();
      reject(err);
    };
    z.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > limit) return fail(new RangeError('over'));
      try {
        sink(chunk);
      } catch (err) {
        fail(err as Error);
      }
    });
    z.on('error', (err) => fail(err));
    z.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(total);
    });
    z.end(data);
  });
}

const XML_PART = /\.(xml|rels|vml)$/i;

/**
 * Checks an .xlsx package before the spreadsheet parser sees it: the reason it is refused, or null.
 * Every part is inflated once as a stream, its real size held to what the directory declares and to the
 * budget, and its XML counted against the limits.
 */
export async function checkWorkbookPackage(buf: Buffer, limits: WorkbookLimits): Promise<string | null> {
  const entries = zipEntries(buf, limits.maxEntries);
  if (typeof entries === 'string') return entries;
  if (!entries.some((e) => e.name.replace(/^\//, '') === 'xl/workbook.xml')) {
    return '文件是 zip 压缩包，但不是 .xlsx 工作簿（没有 xl/workbook.xml）';
  }
  const declaredTotal = entries.reduce((sum, e) => sum + e.declared, 0);
  if (declaredTotal > limits.maxInflated) return `工作簿解压后超过 ${limits.maxInflated / 1024 / 1024} MB`;

  const scanner = new PartScanner(limits);
  let inflated = 0;
  try {
    for (const e of entries) {
      if (e.flags & 1) return '工作簿已加密：请取消密码后重新保存';
      if (e.method !== 0 && e.method !== 8)
        return `文件已损坏或不是 .xlsx：部件 ${e.name.slice(0, 80)} 使用了 zip 压缩方法 ${e.method}`;
      const data = entryData(buf, e);
      if (typeof data === 'string')
        return `文件已损坏：部件 ${e.name.slice(0, 80)} ${data === 'missing' ? '缺失' : data === 'cut short' ? '不完整' : data}`;
      const parser = XML_PART.test(e.name) && !/^\/?xl\/media\//.test(e.name) ? scanner.part(e.name) : null;
      const decoder = new StringDecoder('utf8');
      const feed = (chunk: Buffer) => parser?.write(decoder.write(chunk));
      // The parser trusts the declared size only after inflating everything: hold each part to it.
      const budget = Math.min(e.declared, limits.maxInflated - inflated);
      let size: number;
      if (e.method === 0) {
        size = data.length;
        if (size > budget) return oversize(e, size, limits);
        for (let i = 0; i < data.length; i += 64 * 1024) feed(data.subarray(i, i + 64 * 1024));
      } else {
        try {
          size = await inflateCounting(data, budget, feed);
        } catch (err) {
          if (err instanceof Refused) throw err;
          if (err instanceof RangeError && err.message === 'over') return oversize(e, budget + 1, limits);
          return `文件已损坏：部件 ${e.name.slice(0, 80)} 无法解压`;
        }
      }
      if (size !== e.declared)
        return `文件已损坏：部件 ${e.name.slice(0, 80)} 为 ${size} 字节，而目录声明为 ${e.declared} 字节`;
      parser?.write(decoder.end());
      parser?.close();
      inflated += size;
    }
  } catch (err) {
    if (err instanceof Refused) return err.message;
    throw err;
  }
  return null;
}

function oversize(e: ZipEntry, size: number, limits: WorkbookLimits): string {
  return size > e.declared
    ? `部件 ${e.name.slice(0, 80)} 解压后超过目录声明的 ${e.declared} 字节：文件已损坏或意在耗尽内存`
    : `工作簿解压后超过 ${limits.maxInflated / 1024 / 1024} MB`;
}
