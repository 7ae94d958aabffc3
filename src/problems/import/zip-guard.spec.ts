import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { repeatedDeflate, sheetXml, textCell, unzip, xlsxParts, zip, type ZipEntry } from '../../../test/support/zip.js';
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
const rows = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `<row r="${i + from}">${textCell(`A${i + from}`, `v${i}`)}</row>`).join('');

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
    expect(await checkWorkbookPackage(Buffer.from('编号,问题\n'), limits)).toMatch(/not an \.xlsx workbook/);
    const whole = zip(xlsxParts(sheet(rows(3))));
    expect(await checkWorkbookPackage(whole.subarray(0, whole.length - 30), limits)).toMatch(/not an \.xlsx workbook|damaged/);
    expect(await checkWorkbookPackage(whole.subarray(0, 200), limits)).toMatch(/not an \.xlsx workbook|damaged/);
    expect(await check([{ name: 'word/document.xml', data: '<w:document/>' }])).toMatch(/no xl\/workbook\.xml/);
  });

  it('refuses too many parts before reading any', async () => {
    const many = xlsxParts(sheet(rows(1)), Array.from({ length: 60 }, (_, i) => ({ name: `xl/junk/${i}.xml`, data: 'x' })));
    expect(await check(many)).toMatch(/holds 65 parts.*at most 50/);
  });

  it('refuses a workbook whose declared sizes add up past the budget', async () => {
    const big = repeatedDeflate('<a>', 'x'.repeat(1024 * 1024), 11, '</a>');
    expect(await check(xlsxParts(big))).toMatch(/inflates to more than 10 MB/);
  });

  it('refuses a part that inflates past the size it declares, stopping there', async () => {
    const bomb = repeatedDeflate('<a>', 'x'.repeat(1024 * 1024), 1024, '</a>');
    const rss = process.memoryUsage().rss;
    const t0 = Date.now();
    expect(await check(xlsxParts({ ...bomb, declared: 5000 }))).toMatch(/sheet1\.xml inflates to more than the 5000 bytes its directory declares/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    // Smaller than declared is damage as well.
    const short = deflateRawSync(Buffer.from(sheet(rows(2))));
    expect(await check(xlsxParts({ deflated: short, size: 99_999 }))).toMatch(/damaged.*not the 99999 its directory declares/);
  });

  it('refuses a part that cannot be inflated, an unknown method and an encrypted part', async () => {
    expect(await check(xlsxParts({ deflated: Buffer.from([0xff, 0xff, 0xff, 0xff]), size: 100 }))).toMatch(/damaged: part xl\/worksheets\/sheet1\.xml cannot be decompressed/);
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
    expect(await checkWorkbookPackage(withMethod(14), limits)).toMatch(/zip method 14/);
    expect(await checkWorkbookPackage(withMethod(8, 0x0801), limits)).toMatch(/encrypted/);
  });

  it('refuses row and cell numbers beyond the sheet, and column ranges beyond XFD', async () => {
    expect(await check(xlsxParts(sheet(`<row r="2000000000">${textCell('A1', 'x')}</row>`)))).toMatch(/row number 2000000000 is beyond Excel's last row 1048576/);
    expect(await check(xlsxParts(sheet(`<row r="1">${textCell('XFE1', 'x')}</row>`)))).toMatch(/cell XFE1 is outside an Excel sheet/);
    expect(await check(xlsxParts(sheet(`<row>${textCell('A99999999', 'x')}</row>`)))).toMatch(/cell A99999999 is outside/);
    expect(await check(xlsxParts(sheet(rows(1)).replace('<sheetData>', '<cols><col min="1" max="50000000"/></cols><sheetData>')))).toMatch(/column 50000000, beyond Excel's last column 16384/);
    // Row 1,048,576 itself is a sheet's last row, and fine.
    expect(await check(xlsxParts(sheet(`<row r="1048576">${textCell('XFD1048576', 'x')}</row>`)))).toBeNull();
  });

  it('counts rows holding values, cells and shared strings', async () => {
    expect(await check(xlsxParts(sheet(rows(100))))).toBeNull();
    expect(await check(xlsxParts(sheet(rows(101))))).toMatch(/sheet1\.xml\) has more than 100 rows with values/);
    // Rows of formatting only are not rows of problems.
    const styled = Array.from({ length: 300 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" s="1"/></row>`).join('');
    expect(await check(xlsxParts(sheet(styled)))).toBeNull();
    const wide = `<row r="1">${Array.from({ length: 1001 }, (_, i) => `<c r="A1" s="1"/>`.replace('A1', `A${i + 1}`)).join('')}</row>`;
    expect(await check(xlsxParts(sheet(wide)))).toMatch(/more than 1000 cells/);
    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>x</t></si>'.repeat(101)}</sst>`;
    expect(await check(xlsxParts(sheet(rows(1)), [{ name: 'xl/sharedStrings.xml', data: sst }]))).toMatch(/more than 100 distinct texts/);
  });

  it('counts merged ranges, data validations and named ranges cell by cell, as the parser expands them', async () => {
    const merge = (refs: string[]) => sheet(rows(1), `<mergeCells>${refs.map((r) => `<mergeCell ref="${r}"/>`).join('')}</mergeCells>`);
    expect(await check(xlsxParts(merge(['A1:E100'])))).toBeNull();
    expect(await check(xlsxParts(merge(['A1:XFD1048576'])))).toMatch(/merged cells cover more than 500 cells \(e\.g\. A1:XFD1048576\)/);
    expect(await check(xlsxParts(merge(Array.from({ length: 21 }, (_, i) => `B${i + 1}:C${i + 1}`))))).toMatch(/more than 20 merged ranges/);
    // Character references are read as the parser reads them.
    expect(await check(xlsxParts(merge(['A1&#58;XFD1048576'])))).toMatch(/merged cells cover/);
    const dv = sheet(rows(1), '<dataValidations><dataValidation type="list" sqref="C2:C3000 D1:D3000"><formula1>"a,b"</formula1></dataValidation></dataValidations>');
    expect(await check(xlsxParts(dv))).toMatch(/data validations and named ranges cover more than 5000 cells/);
    const names = (text: string) => [
      ...xlsxParts(sheet(rows(1))).filter((e) => e.name !== 'xl/workbook.xml'),
      { name: 'xl/workbook.xml', data: `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1"/></sheets><definedNames><definedName name="x">${text}</definedName></definedNames></workbook>` },
    ];
    expect(await check(names("'问题 清单'!$A$1:$K$100"))).toBeNull();
    expect(await check(names('Sheet1!$A$1:$XFD$1048576'))).toMatch(/named ranges cover more than 5000 cells/);
    expect(await check(names('Sheet1!$A$1:$B$2,Sheet1!$A$1:$Z$1000'))).toMatch(/named ranges cover/);
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
