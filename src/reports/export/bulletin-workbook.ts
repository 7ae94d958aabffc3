import ExcelJS from 'exceljs';
import type { BulletinView } from '../bulletin-view.js';
import { percent } from '../rules/bulletin-rules.js';
import { asOfDate, bulletinParagraphs } from './bulletin-docx.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const HEADERS = [
  '排名',
  '牵头单位',
  '单位编码',
  '交办',
  '销号',
  '到期',
  '按期销号',
  '逾期',
  '按期完成率',
  '逾期问题',
  '未报进展',
];
const WIDTHS = [6, 22, 10, 8, 8, 8, 10, 8, 12, 48, 36];

function header(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    c.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
}

/** The bulletin as a workbook: the ranking (with the title and number above it), the laggards, the co-units. */
export async function bulletinWorkbook(b: BulletinView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = b.issuer;
  const ws = wb.addWorksheet('通报排名');
  ws.columns = WIDTHS.map((width) => ({ width }));
  ws.mergeCells(1, 1, 1, HEADERS.length);
  ws.getCell(1, 1).value = b.title;
  ws.getCell(1, 1).font = { bold: true, size: 16, color: { argb: 'FFC00000' } };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, HEADERS.length);
  ws.getCell(2, 1).value = `${b.documentNo ?? '（未发布）'}　统计截至 ${asOfDate(b)}`;
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(3, 1, 3, HEADERS.length);
  ws.getCell(3, 1).value = bulletinParagraphs(b).overview;
  ws.getCell(3, 1).alignment = { wrapText: true };
  ws.getRow(3).height = 36;
  header(ws.addRow(HEADERS));
  for (const u of b.units) {
    ws.addRow([
      u.rank,
      u.unitName,
      u.unit,
      u.assigned,
      u.closed,
      u.due,
      u.onTime,
      u.overdue,
      percent(u.onTimeRate),
      u.overdueProblems.map((p) => p.code).join('、'),
      u.missingReports.map((p) => p.code).join('、'),
    ]);
  }
  const t = b.totals;
  ws.addRow(['', '合计', '', t.assigned, t.closed, t.due, t.onTime, t.overdue, percent(t.onTimeRate), '', '']).font = {
    bold: true,
  };
  ws.views = [{ state: 'frozen', ySplit: 4 }];

  const lag = wb.addWorksheet('点名单位');
  lag.columns = [
    { header: '单位', width: 22 },
    { header: '情形', width: 16 },
    { header: '问题编号', width: 16 },
    { header: '问题', width: 60 },
    { header: '整改时限', width: 12 },
  ];
  header(lag.getRow(1));
  for (const l of b.laggards) {
    for (const p of l.overdue) lag.addRow([l.unitName, '逾期未销号', p.code, p.title, p.deadline]);
    for (const p of l.missingReports) lag.addRow([l.unitName, '未报月度进展', p.code, p.title, p.deadline]);
  }

  const co = wb.addWorksheet('配合单位');
  co.columns = [
    { header: '配合单位', width: 22 },
    { header: '单位编码', width: 10 },
    { header: '参与问题', width: 10 },
    { header: '其中逾期', width: 10 },
    { header: '排名', width: 6 },
    { header: '分工', width: 8 },
    { header: '分工到期', width: 10 },
    { header: '按期完成', width: 10 },
    { header: '分工逾期', width: 10 },
    { header: '分工按期完成率', width: 14 },
    { header: '逾期分工问题', width: 36 },
  ];
  header(co.getRow(1));
  for (const c of b.coUnits)
    co.addRow([
      c.unitName,
      c.unit,
      c.shared,
      c.overdue,
      c.rank ?? '',
      c.parts ?? 0,
      c.partsDue ?? 0,
      c.partsOnTime ?? 0,
      c.partsLate ?? 0,
      percent(c.partsOnTimeRate ?? null),
      (c.lateParts ?? []).map((p) => p.code).join('、'),
    ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
