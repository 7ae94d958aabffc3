import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph } from 'docx';
import { HEADERS, problemRow, problemSheet } from '../../../test/support/xlsx.js';
import { sheetXml, textCell, xlsxParts, zip } from '../../../test/support/zip.js';
import { readProblemSheet, type SheetResult } from './xlsx-sheet-reader.js';

async function book(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function rowsOf(r: SheetResult) {
  if ('refused' in r) throw new Error(`refused: ${r.refused}`);
  return r.rows;
}

describe('reading the problem list sheet', () => {
  it('reads the visible sheet named 问题清单 first, never a hidden one', async () => {
    const buf = await book((wb) => {
      const junk = wb.addWorksheet('Sheet1');
      junk.addRow(HEADERS);
      junk.addRow(problemRow(9));
      const hidden = wb.addWorksheet('旧清单', { state: 'hidden' });
      hidden.addRow(HEADERS);
      hidden.addRow(problemRow(8));
      const list = wb.addWorksheet('问题清单');
      list.addRow(HEADERS);
      list.addRow(problemRow(1) as ExcelJS.CellValue[]);
    });
    expect(rowsOf(await readProblemSheet(buf)).map((r) => r.cells.code)).toEqual([{ kind: 'text', text: 'TM-00001' }]);

    const onlyHidden = await book((wb) => {
      wb.addWorksheet('说明').addRow(['请填写']);
      const hidden = wb.addWorksheet('问题清单', { state: 'veryHidden' });
      hidden.addRow(HEADERS);
      hidden.addRow(problemRow(1) as ExcelJS.CellValue[]);
    });
    expect(await readProblemSheet(onlyHidden)).toEqual({
      refused:
        '没有可见工作表在前 5 行中有含“编号”的表头行（工作表：说明）；工作表 问题清单 是隐藏的，不会读取：取消隐藏后再导入',
      errors: [],
    });
    expect(await readProblemSheet(await book((wb) => wb.addWorksheet('空')))).toEqual({
      refused: '工作簿的可见工作表中没有数据',
      errors: [],
    });
    expect(await readProblemSheet(await book(() => undefined))).toEqual({
      refused: '工作簿的可见工作表中没有数据',
      errors: [],
    });
  });

  it('refuses a header that names a column twice, merged header cells included', async () => {
    const buf = await book((wb) => {
      const ws = wb.addWorksheet('问题清单');
      ws.addRow([...HEADERS, '备注', '牵头单位']);
      ws.addRow(problemRow(1) as ExcelJS.CellValue[]);
    });
    expect(await readProblemSheet(buf)).toEqual({
      refused: '工作表 问题清单 的表头中有重复的列',
      errors: [
        { row: 1, column: '牵头单位', message: '“牵头单位”出现在 D、K 列（合并的表头单元格每列都算）：只保留一列' },
      ],
    });
    const merged = await book((wb) => {
      const ws = wb.addWorksheet('问题清单');
      ws.addRow(HEADERS);
      ws.mergeCells('A1:B1');
      ws.addRow(problemRow(1) as ExcelJS.CellValue[]);
    });
    const r = await readProblemSheet(merged);
    expect(r).toMatchObject({
      errors: [{ row: 1, column: '编号', message: expect.stringContaining('出现在 A、B 列') }],
    });
  });

  it('refuses cells merged across columns or into the header; a merge down a column gives each row its value', async () => {
    const buf = await book((wb) => {
      const ws = wb.addWorksheet('问题清单');
      ws.addRow(HEADERS);
      for (let i = 1; i <= 4; i++) ws.addRow(problemRow(i) as ExcelJS.CellValue[]);
      ws.mergeCells('D2:D3'); // 牵头单位 down two rows
      ws.mergeCells('D4:E4'); // 牵头单位 and 责任单位 as one cell
    });
    const rows = rowsOf(await readProblemSheet(buf));
    expect(rows[1].cells.leadUnit).toEqual({ kind: 'text', text: '市环保局' });
    expect(rows[2].cells.units).toEqual({ kind: 'bad', message: '与 D4 跨列合并：请取消合并并逐列填写' });
    const intoHeader = await book((wb) => {
      const ws = wb.addWorksheet('问题清单');
      ws.addRow(HEADERS);
      ws.addRow(problemRow(1) as ExcelJS.CellValue[]);
      ws.mergeCells('I1:I2');
    });
    expect(rowsOf(await readProblemSheet(intoHeader))[0].cells.recheckMonths).toEqual({
      kind: 'bad',
      message: '与表头单元格 I1 合并：请取消合并',
    });
  });

  it('types cells: logical values, errors and formulas are refused; rich text is its text; control characters go', async () => {
    const buf = await problemSheet([
      problemRow(1, {
        问题: true as unknown as string,
        责任人: { error: '#REF!' } as unknown as string,
        整改目标: { formula: 'HYPERLINK("http://x","达标")', result: '达标' },
      }),
      problemRow(2, {
        问题: { richText: [{ text: '油烟' }, { font: { bold: true }, text: '直排' }] } as unknown as string,
      }),
    ]);
    const [a, b] = rowsOf(await readProblemSheet(buf));
    expect(a.cells.title).toEqual({ kind: 'bad', message: '此处不接受逻辑值 TRUE：请填写文字' });
    expect(a.cells.person).toEqual({ kind: 'bad', message: '单元格中是错误值 #REF!' });
    expect(a.cells.goal).toEqual({ kind: 'bad', message: '不接受公式，请粘贴为数值' });
    expect(b.cells.title).toEqual({ kind: 'text', text: '油烟直排' });

    // Excel escapes control characters in its shared strings as _xHHHH_; the parser restores them.
    const header = `<row r="1">${HEADERS.map((h, i) => textCell(`${String.fromCharCode(65 + i)}1`, h)).join('')}</row>`;
    const sst =
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>第一行_x000B_第二行</t></si><si><t>张_x0000_三_x0007_</t></si></sst>';
    const row2 = `<row r="2">${textCell('A2', 'A-1')}<c r="B2" t="s"><v>0</v></c><c r="F2" t="s"><v>1</v></c></row>`;
    const escaped = zip(xlsxParts(sheetXml(header + row2), [{ name: 'xl/sharedStrings.xml', data: sst }]));
    const [c] = rowsOf(await readProblemSheet(escaped));
    expect(c.cells.title).toEqual({ kind: 'text', text: '第一行\n第二行' });
    expect(c.cells.person).toEqual({ kind: 'text', text: '张三' });
  });

  it('reads a row at the bottom of the sheet without walking the rows above it', async () => {
    const header = `<row r="1">${HEADERS.map((h, i) => textCell(`${String.fromCharCode(65 + i)}1`, h)).join('')}</row>`;
    const buf = zip(xlsxParts(sheetXml(`${header}<row r="1048576">${textCell('A1048576', 'TM-1')}</row>`)));
    const t0 = Date.now();
    expect(rowsOf(await readProblemSheet(buf)).map((r) => r.row)).toEqual([1048576]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('names what a file is when it is not a workbook', async () => {
    const read = async (b: Buffer) => ((await readProblemSheet(b)) as { refused: string }).refused;
    expect(await read(Buffer.alloc(0))).toBe('文件是空的');
    expect(await read(Buffer.from('编号,问题\nA-1,油烟\n'))).toMatch(/纯文本（CSV 文件？）/);
    expect(
      await read(Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)])),
    ).toMatch(/而是 PNG 内容（image\/png）/);
    expect(
      await read(
        Buffer.from(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('整改报告')] }] }))),
      ),
    ).toMatch(/而是 Word 文档/);
  });
});
