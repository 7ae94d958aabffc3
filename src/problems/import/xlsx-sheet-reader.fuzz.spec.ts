import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { chineseDaysCalendar } from '../../calendar/chinese-days-data.js';
import { WorkdayCalendar } from '../../calendar/workday-rules.js';
import { UnitDirectory } from '../../org/unit-directory.js';
import { unzip, zip } from '../../../test/support/zip.js';
import { COLUMNS } from './import-columns.js';
import { checkRow, type RowContext } from './row-rules.js';
import { readProblemSheet, type SheetResult } from './xlsx-sheet-reader.js';

const data = chineseDaysCalendar();
const calendar = new WorkdayCalendar([...data.years.values()].flat(), data.years.keys());
const units = new UnitDirectory([
  { code: 'HBJ', name: '市环保局', parent_code: null, created_at: new Date() },
  { code: 'SLJ', name: '市水利局', parent_code: null, created_at: new Date() },
]);
const context = (): RowContext => ({
  units,
  today: '2026-03-02',
  stored: new Set(['TM-STORED']),
  seen: new Map(),
  defaultSource: null,
  addWorkdays: (from, n) => calendar.addWorkdays(from, n),
});
const LABELS = new Set<string>(Object.values(COLUMNS));
const HEADERS = [
  '编号',
  '问题',
  '类别',
  '牵头单位',
  '责任单位',
  '责任人',
  '整改时限',
  '整改目标',
  '回头看周期（月）',
  '来源',
  '问题描述',
];

const cellValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '市环保局',
    'HBJ',
    'SLJ，市环保局',
    '市外星局',
    '2026-06-30',
    '2026年6月30日',
    '2026/2/30',
    '15',
    '=1+1',
    '@SUM(1)',
    'TM-1',
    'TM-STORED',
    '',
    '  ',
    '某'.repeat(600),
  ),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }),
  fc.boolean(),
  fc.constantFrom({ error: '#REF!' }, { error: '#N/A' }, { error: '#DIV/0!' }, { error: '#VALUE!' }),
  fc.record(
    {
      formula: fc.constantFrom('1+1', 'TODAY()+30', 'HYPERLINK("http://127.0.0.1:9/","x")', "cmd|' /C calc'!A0"),
      result: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
    },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      richText: fc.array(fc.record({ text: fc.string({ maxLength: 10 }) }, { noNullPrototype: true }), {
        minLength: 1,
        maxLength: 3,
      }),
    },
    { noNullPrototype: true },
  ),
  fc.record(
    { text: fc.string({ maxLength: 10 }), hyperlink: fc.constant('http://example.com/') },
    { noNullPrototype: true },
  ),
);

const sheetSpec = fc.record({
  name: fc.constantFrom('问题清单', 'Sheet1', '清单'),
  hidden: fc.boolean(),
  titleRows: fc.nat(5),
  header: fc.oneof(
    fc.constant(HEADERS.slice(0, 9)),
    fc.shuffledSubarray(HEADERS),
    fc.array(fc.constantFrom(...HEADERS, '备注', ''), { maxLength: 12 }),
  ),
  rows: fc.array(fc.array(cellValue, { maxLength: 11 }), { maxLength: 8 }),
  merges: fc.array(fc.tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 11 }), fc.nat(2), fc.nat(2)), {
    maxLength: 3,
  }),
});

type SheetSpec = {
  name: string;
  hidden: boolean;
  titleRows: number;
  header: string[];
  rows: unknown[][];
  merges: [number, number, number, number][];
};

async function workbook(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  sheets.forEach((s, i) => {
    const ws = wb.addWorksheet(`${s.name}${i ? i : ''}`, { state: s.hidden ? 'hidden' : 'visible' });
    for (let r = 0; r < s.titleRows; r++) ws.addRow([`标题${r}`]);
    ws.addRow(s.header);
    for (const row of s.rows) ws.addRow(row as ExcelJS.CellValue[]);
    for (const [r, c, h, w] of s.merges) {
      try {
        ws.mergeCells(r, c, r + h, c + w);
      } catch {
        // Overlapping merges are refused by the writer; the sheet goes without that one.
      }
    }
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A result as the import uses it: rows to check, or a refusal; every error names a row and a column. */
function wellFormed(r: SheetResult): void {
  for (const e of r.errors)
    expect({ row: typeof e.row, column: LABELS.has(e.column), message: typeof e.message }).toEqual({
      row: 'number',
      column: true,
      message: 'string',
    });
  if ('refused' in r) {
    expect(typeof r.refused).toBe('string');
    return;
  }
  const ctx = context();
  for (const row of r.rows) {
    const res = checkRow(row, ctx);
    if ('errors' in res) {
      expect(res.errors.length).toBeGreaterThan(0);
      for (const e of res.errors) {
        expect({ row: e.row, column: LABELS.has(e.column), message: typeof e.message }).toEqual({
          row: row.row,
          column: true,
          message: 'string',
        });
        expect(e.message.length).toBeLessThan(300);
      }
    } else {
      expect(res.draft).toMatchObject({
        row: row.row,
        code: expect.any(String),
        deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
    }
  }
}

describe('the problem-list reader under fuzzing', () => {
  it('reads workbooks of any cells, headers, sheets and merges into rows or named errors, never throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sheetSpec, { minLength: 1, maxLength: 3 }), async (sheets) => {
        wellFormed(await readProblemSheet(await workbook(sheets)));
      }),
      { numRuns: 200 },
    );
  });

  it('takes damaged workbooks (bytes flipped, cut, spliced) without throwing', async () => {
    const base = await workbook([
      {
        name: '问题清单',
        hidden: false,
        titleRows: 0,
        header: HEADERS,
        rows: [['TM-1', '油烟', '大气', '市环保局', 'SLJ', '张三', '2026-06-30', '达标', 6]],
        merges: [],
      },
    ]);
    const damage = fc.array(
      fc.oneof(
        fc.tuple(fc.constant('flip' as const), fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })),
        fc.tuple(fc.constant('cut' as const), fc.nat(base.length - 1), fc.constant(0)),
        fc.tuple(fc.constant('splice' as const), fc.nat(base.length - 1), fc.nat(64)),
      ),
      { minLength: 1, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(damage, async (ops) => {
        let b = Buffer.from(base);
        for (const [op, at, n] of ops) {
          if (op === 'flip') b[at % b.length] ^= n;
          else if (op === 'cut') b = b.subarray(0, at % b.length);
          else b = Buffer.concat([b.subarray(0, at % b.length), Buffer.alloc(n, 0x41), b.subarray(at % b.length)]);
        }
        const t0 = Date.now();
        wellFormed(await readProblemSheet(b));
        // Bounds a hang, not speed: a shared machine under load takes seconds for one damaged workbook.
        expect(Date.now() - t0).toBeLessThan(30_000);
      }),
      { numRuns: 250 },
    );
  });

  it('takes workbooks whose XML parts are damaged or stuffed with odd elements, re-zipped intact', async () => {
    const base = await workbook([
      {
        name: '问题清单',
        hidden: false,
        titleRows: 1,
        header: HEADERS,
        rows: [
          ['TM-1', '油烟', '大气', '市环保局', 'SLJ', '张三', new Date(Date.UTC(2026, 5, 30)), '达标', 6],
          ['TM-2', { richText: [{ text: '水' }] }, '水', 'HBJ', null, '李四', 20, '达标'],
        ],
        merges: [[1, 1, 0, 3]],
      },
    ]);
    const parts = [...unzip(base)];
    const xmlParts = parts.map(([name]) => name).filter((n) => /\.xml$/.test(n));
    const stuff = fc.constantFrom(
      '<row r="99999999">',
      '<row r="0"><c r="A0"><v>1</v></c></row>',
      '<c r="XFD1" t="s"><v>99999</v></c>',
      '<c r="B2" t="b"><v>2</v></c>',
      '<c r="B2" t="e"><v>#BAD!</v></c>',
      '<c r="B2" t="d"><v>not a date</v></c>',
      '<c r="B2" s="9999"><v>1e400</v></c>',
      '<mergeCell ref="A1:B2"/>',
      '<mergeCell ref="Z9:A1"/>',
      '<mergeCell ref="A1"/>',
      '<dataValidation sqref="A1:A3 B"/>',
      '<col min="0" max="-1"/>',
      "<definedName name=\"x\">'a''b'!$A$1:$B$2,</definedName>",
      '<si><t>_xD800_</t></si>',
      '<f t="shared" si="0"/>',
      '</sheetData>',
      '<sheetData>',
      '&amp;',
      ']]>',
      '<!-- -->',
      '<![CDATA[<row>]]>',
    );
    const edit = fc.tuple(
      fc.constantFrom(...xmlParts),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.oneof(stuff, fc.string({ maxLength: 12 })),
      fc.nat(30),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const changed = new Map(parts);
        for (const [name, f, insert, cut] of edits) {
          const xml = changed.get(name)!.toString('utf8');
          const at = xml.indexOf('<', Math.floor(f * xml.length));
          const i = at < 0 ? xml.length : at;
          changed.set(name, Buffer.from(xml.slice(0, i) + insert + xml.slice(i + cut)));
        }
        const t0 = Date.now();
        wellFormed(await readProblemSheet(zip([...changed].map(([name, data]) => ({ name, data })))));
        // Bounds a hang, not speed: a shared machine under load takes seconds for one damaged workbook.
        expect(Date.now() - t0).toBeLessThan(30_000);
      }),
      { numRuns: 250 },
    );
  });
});
