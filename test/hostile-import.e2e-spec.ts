import { readFileSync } from 'node:fs';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  HEADERS,
  binary,
  importFile,
  problemRow,
  problemSheet,
  readWorkbook,
  seedUnits,
  type SheetValue,
} from './support/xlsx.js';
import {
  colName,
  oleCompound,
  repeatedDeflate,
  sharedStringsWorkbook,
  textCell,
  unzip,
  xlsxParts,
  zip,
} from './support/zip.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const HEADER_ROW = `<row r="1">${HEADERS.map((h, i) => textCell(`${colName(i + 1)}1`, h)).join('')}</row>`;
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
  Buffer.alloc(300, 1),
]);
const cast = (v: unknown) => v as SheetValue;

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A sheet1.xml of about `gigabytes` GB: the header, then the same row over and over (about 3 MB deflated per GB). */
function hugeSheet(rowXml: string, bytes: number) {
  const block = rowXml.repeat(Math.ceil((1024 * 1024) / rowXml.length));
  return repeatedDeflate(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${HEADER_ROW}`,
    block,
    Math.ceil(bytes / block.length),
    '</sheetData></worksheet>',
  );
}

describe('hostile problem lists (交办 import)', () => {
  let t: TestApp;
  let stored: { problems: number; instances: number; jobs: number };

  // A refused file leaves no job behind either: it is refused before any job exists.
  const counts = async (): Promise<{ problems: number; instances: number; jobs: number }> =>
    (
      await t.db
        .query(`SELECT (SELECT count(*)::int FROM problem) AS problems, (SELECT count(*)::int FROM engine_instance) AS instances,
      (SELECT count(*)::int FROM problem_import_job) AS jobs`)
    )[0];

  beforeAll(async () => {
    // Many uploads from one account: lift the per-minute upload limit for this file.
    t = await startTestApp({ DUBAN_UPLOAD_RATE_PER_MIN: '100000' });
    t.clock.pin(MONDAY);
    await t.definitions.deploy('rectification', [
      { resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') },
    ]);
    await seedUnits(t);
    stored = await counts();
  });
  afterAll(() => t.close());

  /**
   * Uploads a file that must not get in: the answer's status and body, checked to carry a message, with
   * nothing stored; also the time it took and how far the process's memory grew meanwhile.
   */
  async function refused(file: Buffer, opts: { name?: string; contentType?: string; status?: number } = {}) {
    let peak = process.memoryUsage().rss;
    const before = peak;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = Date.now();
    try {
      const res = await t.http
        .post('/api/problems/import')
        .attach('file', file, { filename: opts.name ?? 'problems.xlsx', contentType: opts.contentType ?? XLSX });
      const ms = Date.now() - t0;
      peak = Math.max(peak, process.memoryUsage().rss);
      expect({ status: res.status, message: typeof res.body.message }).toEqual({
        status: opts.status ?? 422,
        message: 'string',
      });
      expect(await counts()).toEqual(stored);
      return {
        body: res.body,
        ms,
        grewMb: (peak - before) / 1024 / 1024,
        bytes: Number(res.headers['content-length'] ?? JSON.stringify(res.body).length),
      };
    } finally {
      clearInterval(sample);
    }
  }

  it('refuses formulas, naming row and column, and never evaluates them; a text that starts with = is text', async () => {
    const { body } = await refused(
      await problemSheet([
        problemRow(1, {
          问题: cast({ formula: 'HYPERLINK("http://127.0.0.1:9/?d="&B3,"点此查看")', result: '点此查看' }),
        }),
        problemRow(2, { 责任人: cast({ formula: "cmd|' /C calc'!A0", result: 0 }) }),
        problemRow(3, { 整改目标: cast({ formula: '1+1', result: 2 }) }),
        problemRow(4, { 问题: '=1+1' }),
      ]),
    );
    const formula = '不接受公式，请粘贴为数值';
    expect(body.errors).toEqual([
      { row: 2, column: '问题', message: formula },
      { row: 3, column: '责任人', message: formula },
      { row: 4, column: '整改目标', message: formula },
    ]);
  });

  it('refuses a sheet of 200,000 rows from the package alone, fast and without building the rows', async () => {
    const sheet = hugeSheet(`<row>${textCell('A2', 'X-1').replace(' r="A2"', '')}</row>`, 12 * 1024 * 1024);
    const r = await refused(zip(xlsxParts(sheet)));
    expect(r.body.message).toBe('工作表（xl/worksheets/sheet1.xml）有值的行超过 20005 行：请把清单拆成几个文件');
    expect(r.ms).toBeLessThan(10_000);
    expect(r.grewMb).toBeLessThan(200);
  });

  it('refuses a sheet 16,384 columns wide whose header names a column twice', async () => {
    const header = [
      ...HEADERS,
      ...Array.from({ length: 16384 - HEADERS.length - 1 }, (_, i) => `备注${i + 1}`),
      '编号',
    ];
    const xml = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData><row r="1">${header.map((h, i) => textCell(`${colName(i + 1)}1`, h)).join('')}</row></sheetData></worksheet>`;
    const { body } = await refused(zip(xlsxParts(xml)));
    expect(body).toMatchObject({
      message: '工作表 问题清单 的表头中有重复的列',
      errors: [{ row: 1, column: '编号', message: expect.stringContaining('出现在 A、XFD 列') }],
    });
  });

  it('checks the types of cells: text dates and rich text are read, wrong types named by row and column', async () => {
    const { body } = await refused(
      await problemSheet([
        problemRow(1, { 整改时限: '2026年6月30日' }),
        problemRow(2, { 整改时限: '2026/13/45' }),
        problemRow(3, { '回头看周期（月）': new Date(Date.UTC(2026, 5, 30)) }),
        problemRow(4, { 问题: cast(true) }),
        problemRow(5, { 责任人: cast({ error: '#REF!' }) }),
        problemRow(6, { 整改时限: 46000 }),
        problemRow(7, {
          问题: cast({ richText: [{ text: '城区餐饮' }, { font: { bold: true }, text: '油烟直排' }] }),
          牵头单位: cast({ richText: [{ text: '市环' }, { text: '保局' }] }),
        }),
        problemRow(8, { 编号: 12345 }),
      ]),
    );
    expect(body.errors).toEqual([
      { row: 3, column: '整改时限', message: '“2026/13/45”不是有效日期' },
      { row: 4, column: '回头看周期（月）', message: '应为 1 到 120 之间的整月数' },
      { row: 5, column: '问题', message: '此处不接受逻辑值 TRUE：请填写文字' },
      { row: 6, column: '责任人', message: '单元格中是错误值 #REF!' },
      { row: 7, column: '整改时限', message: expect.stringMatching(/表示工作日数/) },
    ]);
  });

  it('refuses cells merged across the header or across the unit columns', async () => {
    const header = await refused(
      await workbook((wb) => {
        const ws = wb.addWorksheet('问题清单');
        ws.addRow(HEADERS);
        ws.mergeCells('A1:B1');
        ws.addRow(problemRow(1) as ExcelJS.CellValue[]);
      }),
    );
    expect(header.body.errors).toEqual([
      { row: 1, column: '编号', message: '“编号”出现在 A、B 列（合并的表头单元格每列都算）：只保留一列' },
    ]);
    const units = await refused(
      await workbook((wb) => {
        const ws = wb.addWorksheet('问题清单');
        ws.addRow(HEADERS);
        ws.addRow(problemRow(1) as ExcelJS.CellValue[]);
        ws.addRow(problemRow(2) as ExcelJS.CellValue[]);
        ws.mergeCells('D3:E3');
      }),
    );
    expect(units.body.errors).toEqual([
      { row: 3, column: '责任单位', message: '与 D3 跨列合并：请取消合并并逐列填写' },
    ]);
  });

  it('never reads a hidden sheet, and says which sheets it looked in', async () => {
    const hidden = await refused(
      await workbook((wb) => {
        wb.addWorksheet('Sheet1').addRow(['本表为说明']);
        const ws = wb.addWorksheet('问题清单', { state: 'hidden' });
        ws.addRow(HEADERS);
        ws.addRow(problemRow(1) as ExcelJS.CellValue[]);
      }),
    );
    expect(hidden.body.message).toBe(
      '没有可见工作表在前 5 行中有含“编号”的表头行（工作表：Sheet1）；工作表 问题清单 是隐藏的，不会读取：取消隐藏后再导入',
    );
    const empty = await refused(await workbook(() => undefined));
    expect(empty.body.message).toBe('工作簿的可见工作表中没有数据');
  });

  it('refuses cells of 10,000 characters with a short answer, and lists at most 1000 bad cells', async () => {
    const long = '某'.repeat(10_000);
    const one = await refused(await problemSheet([problemRow(1, { 问题: long, 牵头单位: long })]));
    expect(one.body.errors).toEqual([
      { row: 2, column: '问题', message: '超过 500 个字符' },
      { row: 2, column: '牵头单位', message: '超过 100 个字符' },
    ]);
    const many = await refused(
      await problemSheet(
        Array.from({ length: 1500 }, (_, i) =>
          problemRow(i + 1, { 牵头单位: long.slice(0, 99), 责任单位: long.slice(0, 1999) }),
        ),
      ),
    );
    expect(many.body.message).toBe('1500 行中有 3000 个单元格有误，未导入任何问题；仅列出前 1000 项');
    expect(many.body.errors).toHaveLength(1000);
    expect(many.body.errors[0]).toEqual({ row: 2, column: '牵头单位', message: `未知单位：${'某'.repeat(60)}…` });
    expect(many.bytes).toBeLessThan(300_000);
  });

  it('refuses zip bombs: a sheet of a gigabyte, declared or lied about, without inflating it', async () => {
    const sheet = hugeSheet(`<row>${textCell('A2', '炸弹').replace(' r="A2"', '')}</row>`, 1024 * 1024 * 1024);
    const declared = await refused(zip(xlsxParts(sheet)));
    expect(declared.body.message).toBe('工作簿解压后超过 200 MB');
    const lying = await refused(zip(xlsxParts({ ...sheet, declared: 4096 })));
    expect(lying.body.message).toBe(
      '部件 xl/worksheets/sheet1.xml 解压后超过目录声明的 4096 字节：文件已损坏或意在耗尽内存',
    );
    for (const r of [declared, lying]) {
      expect(r.ms).toBeLessThan(5000);
      expect(r.grewMb).toBeLessThan(150);
    }
    const parts = await refused(
      zip(
        xlsxParts(
          `<worksheet ${NS}><sheetData>${HEADER_ROW}</sheetData></worksheet>`,
          Array.from({ length: 10_000 }, (_, i) => ({ name: `xl/media/image${i}.png`, data: 'x', store: true })),
        ),
      ),
    );
    expect(parts.body.message).toBe('该 .xlsx 含 10005 个部件；工作簿通常只有几十个（最多接受 1000 个）');
  });

  it('names what a file is when it is not a workbook, whatever its name or content type says', async () => {
    const cases: [Buffer, string, string, RegExp][] = [
      [
        Buffer.from('编号,问题,类别\nTM-1,油烟直排,大气污染\n'),
        'problems.xlsx',
        XLSX,
        /不是 \.xlsx 工作簿，而是纯文本（CSV 文件？）/,
      ],
      [
        oleCompound(['\u0005SummaryInformation', 'Workbook']),
        'problems.xls',
        'application/vnd.ms-excel',
        /Excel 97-2003 工作簿（\.xls）：请打开后另存为 Excel 工作簿（\.xlsx）/,
      ],
      [oleCompound(['EncryptionInfo', 'EncryptedPackage']), 'problems.xlsx', XLSX, /设有密码/],
      [
        Buffer.from(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('问题清单')] }] }))),
        'problems.xlsx',
        XLSX,
        /而是 Word 文档/,
      ],
      [PNG, 'problems.xlsx', XLSX, /而是 PNG 内容（image\/png）/],
      [Buffer.alloc(0), 'problems.xlsx', XLSX, /./],
    ];
    for (const [file, name, contentType, message] of cases) {
      const { body } = await refused(file, { name, contentType });
      expect(body.message).toMatch(message);
    }
    const whole = await problemSheet([problemRow(1)]);
    expect((await refused(whole.subarray(0, Math.floor(whole.length / 2)))).body.message).toMatch(
      /不是 \.xlsx 工作簿（没有 zip 目录：不是 zip 文件，或文件不完整）/,
    );
  });

  it('refuses a source field holding a NUL character, storing nothing', async () => {
    const before = await counts();
    const res = await t.http
      .post('/api/problems/import')
      .field('source', '中央督察组\u0000反馈')
      .attach('file', await problemSheet([problemRow(50)]), { filename: 'problems.xlsx', contentType: XLSX });
    expect([400, 422]).toContain(res.status);
    expect(res.body.message).toMatch(/空字符|控制字符|NUL|control character/);
    expect(await counts()).toEqual(before);
  });

  it('after all that, imports a good list; control characters are dropped and texts starting with = + - @ kept as text', async () => {
    const good = HEADERS.slice(0, 8);
    const row = (n: number, title: string) => [
      `TM-9${n}`,
      title,
      '大气污染',
      '市环保局',
      '市城管局',
      '张三',
      '2026-12-31',
      '达标',
    ];
    const titles = [
      '=1+1',
      '+SUM(A1:A3)',
      '-2+3',
      '@SUM(1,2)',
      "=cmd|' /C calc'!A0",
      '=HYPERLINK("http://127.0.0.1:9/","点此")',
      '油烟_x0000_直排',
    ];
    const res = await importFile(t, sharedStringsWorkbook([good, ...titles.map((title, i) => row(i, title))]));
    expect(res.created.map((p: any) => p.title).sort()).toEqual([...titles.slice(0, 6), '油烟直排'].sort());
    expect(await counts()).toEqual({
      problems: stored.problems + 7,
      instances: stored.instances + 7,
      jobs: stored.jobs + 1,
    });
    await t.http.get('/health').expect(200);

    // The ledger export holds them as text cells: a spreadsheet shows them, never runs them.
    const ledger = await t.http.get('/api/ledger.xlsx').buffer(true).parse(binary).expect(200);
    const sheetXml = [...unzip(ledger.body)]
      .find(([name]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name))![1]
      .toString('utf8');
    expect(sheetXml).not.toMatch(/<f[\s>]/);
    const ws = (await readWorkbook(ledger.body)).worksheets[0];
    const exported = new Map<string, ExcelJS.Cell>();
    ws.eachRow((r, n) => n > 1 && exported.set(String(r.getCell(1).value), r.getCell(2)));
    titles.slice(0, 6).forEach((title, i) => {
      const cell = exported.get(`TM-9${i}`)!;
      expect({ value: cell.value, type: cell.type }).toEqual({ value: title, type: ExcelJS.ValueType.String });
    });
  });
});
