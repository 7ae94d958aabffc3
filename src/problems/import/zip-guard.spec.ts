import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import {
  repeatedDeflate,
  sheetXml,
  textCell,
  unzip,
  xlsxParts,
  zip,
  type ZipEntry,
} from '../../../test/support/zip.js';
import { cellRef, checkWorkbookPackage, rangeArea, type WorkbookLimits } from './zip-guard.js';

const limits: WorkbookLimits = {
  maxEntries: 50,
  maxInflated: 10 * 1024 * 1024,
  maxRowsPerSheet: 100,
  maxCells: 1000,
  maxSharedStrings: 100,
  maxMergedCells: 500,
  maxMerges: 20,
  maxRangeCells: 5000,
};

const sheet = (rows: string, tail = '') => sheetXml(rows).replace('</worksheet>', `${tail}</worksheet>`);
const check = (entries: ZipEntry[]) => checkWorkbookPackage(zip(entries), limits);
const rows = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `<row r="${i + from}">${textCell(`A${i + from}`, `v${i}`)}</row>`).join('');

describe('workbook package check', () => {
  it('passes a workbook as Excel tools write it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问题清单');
    ws.addRow(['编号', '问题']);
    ws.addRow(['A-1', '城区餐饮油烟直排']);
    ws.mergeCells('C1:D2');
    ws.getCell('E2').dataValidation = { type: 'list', formulae: ['"a,b"'] };
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    await expect(checkWorkbookPackage(buf, limits)).resolves.toBeNull();
    // The same parts rewritten by hand, stored and deflated, pass too.
    const parts = [...unzip(buf)].map(([name, data], i) => ({ name, data, store: i % 2 === 0 }));
    await expect(check(parts)).resolves.toBeNull();
  });

  it('refuses what is not a zip, a zip cut short and a zip that is not a workbook', async () => {
    expect(await checkWorkbookPackage(Buffer.from('编号,问题\n'), limits)).toMatch(/不是 \.xlsx 工作簿/);
    const whole = zip(xlsxParts(sheet(rows(3))));
    expect(await checkWorkbookPackage(whole.subarray(0, whole.length - 30), limits)).toMatch(
      /不是 \.xlsx 工作簿|已损坏/,
    );
    expect(await checkWorkbookPackage(whole.subarray(0, 200), limits)).toMatch(/不是 \.xlsx 工作簿|已损坏/);
    expect(await check([{ name: 'word/document.xml', data: '<w:document/>' }])).toMatch(/没有 xl\/workbook\.xml/);
  });

  it('refuses too many parts before reading any', async () => {
    const many = xlsxParts(
      sheet(rows(1)),
      Array.from({ length: 60 }, (_, i) => ({ name: `xl/junk/${i}.xml`, data: 'x' })),
    );
    expect(await check(many)).toMatch(/含 65 个部件.*最多接受 50 个/);
  });

  it('refuses a workbook whose declared sizes add up past the budget', async () => {
    const big = repeatedDeflate('<a>', 'x'.repeat(1024 * 1024), 11, '</a>');
    expect(await check(xlsxParts(big))).toMatch(/解压后超过 10 MB/);
  });

  it('refuses a part that inflates past the size it declares, stopping there', async () => {
    const bomb = repeatedDeflate('<a>', 'x'.repeat(1024 * 1024), 1024, '</a>');
    const rss = process.memoryUsage().rss;
    const t0 = Date.now();
    expect(await check(xlsxParts({ ...bomb, declared: 5000 }))).toMatch(/sheet1\.xml 解压后超过目录声明的 5000 字节/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    // Smaller than declared is damage as well.
    const short = deflateRawSync(Buffer.from(sheet(rows(2))));
    expect(await check(xlsxParts({ deflated: short, size: 99_999 }))).toMatch(/已损坏.*目录声明为 99999 字节/);
  });

  it('refuses a part that cannot be inflated, an unknown method and an encrypted part', async () => {
    expect(await check(xlsxParts({ deflated: Buffer.from([0xff, 0xff, 0xff, 0xff]), size: 100 }))).toMatch(
      /已损坏：部件 xl\/worksheets\/sheet1\.xml 无法解压/,
    );
    const buf = zip(xlsxParts(sheet(rows(1))));
    const withMethod = (method: number, flags = 0x0800) => {
      const b = Buffer.from(buf);
      let cen = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      while (cen >= 0) {
        b.writeUInt16LE(method, cen + 10);
        b.writeUInt16LE(flags, cen + 8);
        cen = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), cen - 1);
      }
      return b;
    };
    expect(await checkWorkbookPackage(withMethod(14), limits)).toMatch(/zip 压缩方法 14/);
    expect(await checkWorkbookPackage(withMethod(8, 0x0801), limits)).toMatch(/已加密/);
  });

  it('refuses row and cell numbers beyond the sheet, and column ranges beyond XFD', async () => {
    expect(await check(xlsxParts(sheet(`<row r="2000000000">${textCell('A1', 'x')}</row>`)))).toMatch(
      /行号 2000000000 超出 Excel 的最后一行 1048576/,
    );
    expect(await check(xlsxParts(sheet(`<row r="1">${textCell('XFE1', 'x')}</row>`)))).toMatch(
      /单元格 XFE1 超出 Excel 工作表范围/,
    );
    expect(await check(xlsxParts(sheet(`<row>${textCell('A99999999', 'x')}</row>`)))).toMatch(/单元格 A99999999 超出/);
    expect(
      await check(
        xlsxParts(sheet(rows(1)).replace('<sheetData>', '<cols><col min="1" max="50000000"/></cols><sheetData>')),
      ),
    ).toMatch(/第 50000000 列，超出 Excel 的最后一列 16384/);
    // Row 1,048,576 itself is a sheet's last row, and fine.
    expect(await check(xlsxParts(sheet(`<row r="1048576">${textCell('XFD1048576', 'x')}</row>`)))).toBeNull();
  });

  it('counts rows holding values, cells and shared strings', async () => {
    expect(await check(xlsxParts(sheet(rows(100))))).toBeNull();
    expect(await check(xlsxParts(sheet(rows(101))))).toMatch(/sheet1\.xml）有值的行超过 100 行/);
    // Rows of formatting only are not rows of problems.
    const styled = Array.from({ length: 300 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" s="1"/></row>`).join('');
    expect(await check(xlsxParts(sheet(styled)))).toBeNull();
    const wide = `<row r="1">${Array.from({ length: 1001 }, (_, i) => `<c r="A1" s="1"/>`.replace('A1', `A${i + 1}`)).join('')}</row>`;
    expect(await check(xlsxParts(sheet(wide)))).toMatch(/超过 1000 个单元格/);
    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>x</t></si>'.repeat(101)}</sst>`;
    expect(await check(xlsxParts(sheet(rows(1)), [{ name: 'xl/sharedStrings.xml', data: sst }]))).toMatch(
      /不同的文字超过 100 个/,
    );
  });

  it('counts merged ranges, data validations and named ranges cell by cell, as the parser expands them', async () => {
    const merge = (refs: string[]) =>
      sheet(rows(1), `<mergeCells>${refs.map((r) => `<mergeCell ref="${r}"/>`).join('')}</mergeCells>`);
    expect(await check(xlsxParts(merge(['A1:E100'])))).toBeNull();
    expect(await check(xlsxParts(merge(['A1:XFD1048576'])))).toMatch(
      /合并单元格覆盖超过 500 个单元格（如 A1:XFD1048576）/,
    );
    expect(await check(xlsxParts(merge(Array.from({ length: 21 }, (_, i) => `B${i + 1}:C${i + 1}`))))).toMatch(
      /合并区域超过 20 个/,
    );
    // Character references are read as the parser reads them.
    expect(await check(xlsxParts(merge(['A1&#58;XFD1048576'])))).toMatch(/合并单元格覆盖/);
    const dv = sheet(
      rows(1),
      '<dataValidations><dataValidation type="list" sqref="C2:C3000 D1:D3000"><formula1>"a,b"</formula1></dataValidation></dataValidations>',
    );
    expect(await check(xlsxParts(dv))).toMatch(/数据验证和名称区域覆盖超过 5000 个单元格/);
    const names = (text: string) => [
      ...xlsxParts(sheet(rows(1))).filter((e) => e.name !== 'xl/workbook.xml'),
      {
        name: 'xl/workbook.xml',
        data: `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1"/></sheets><definedNames><definedName name="x">${text}</definedName></definedNames></workbook>`,
      },
    ];
    expect(await check(names("'问题 清单'!$A$1:$K$100"))).toBeNull();
    expect(await check(names('Sheet1!$A$1:$XFD$1048576'))).toMatch(/名称区域覆盖超过 5000 个单元格/);
    expect(await check(names('Sheet1!$A$1:$B$2,Sheet1!$A$1:$Z$1000'))).toMatch(/名称区域覆盖/);
  });

  it('reads references as the parser does', () => {
    expect(cellRef('A1')).toEqual({ row: 1, col: 1 });
    expect(cellRef('$XFD$1048576')).toEqual({ row: 1048576, col: 16384 });
    expect(cellRef('$1')).toEqual({ row: 1 });
    expect(rangeArea('A1:B2')).toBe(4);
    expect(rangeArea('B2:A1')).toBe(4);
    expect(rangeArea('C5')).toBe(1);
    expect(rangeArea('$1:$1')).toBe(0);
    expect(rangeArea('a1:xfd1048576')).toBe(16384 * 1048576);
  });
});
