import ExcelJS from 'exceljs';
import { paragraph, table, title, officialDocument, signature } from '../../reports/export/official-docx.js';
import { dateLabel } from '../../reports/rules/month.js';
import { COUNT_COLUMNS, countsSentence, type PetitionCounts } from './petition-counts.js';

/** The daily report (信访件办理情况日报): one day's batch, the round so far, by district and by pollution type. */
export interface DailyReport {
  date: string;
  issuer: string;
  /** Batches received that day. */
  today: { code: string; title: string; counts: PetitionCounts }[];
  /** Every batch received up to that day. */
  batches: { code: string; title: string; receivedOn: string; closeBy: string; counts: PetitionCounts }[];
  cumulative: PetitionCounts;
  byDistrict: { name: string; counts: PetitionCounts }[];
  byPollutionType: { name: string; counts: PetitionCounts }[];
}

const row = (name: string, c: PetitionCounts) => [name, ...COUNT_COLUMNS.map(([, f]) => f(c))];
const HEAD = (first: string) => [first, ...COUNT_COLUMNS.map(([h]) => h)];

export function reportTitle(r: DailyReport): string {
  return `中央环境保护督察组交办信访件办理情况日报（${dateLabel(r.date)}）`;
}

export async function dailyReportDocx(r: DailyReport): Promise<Buffer> {
  const todayText = r.today.length
    ? r.today.map((b) => `${b.title}：${countsSentence(b.counts)}`)
    : ['当日没有新转办的批次。'];
  const children = [
    title(reportTitle(r)),
    paragraph('一、当日转办批次办理情况', { heading: true }),
    ...todayText.map((t) => paragraph(t)),
    paragraph('二、累计办理情况', { heading: true }),
    paragraph(`截至${dateLabel(r.date)}，${countsSentence(r.cumulative)}`),
    table(
      HEAD('批次'),
      r.batches.map((b) => row(b.title, b.counts)),
    ),
    paragraph('三、按行政区域', { heading: true }),
    table(
      HEAD('行政区域'),
      r.byDistrict.map((d) => row(d.name, d.counts)),
    ),
    paragraph('四、按污染类型', { heading: true }),
    table(
      HEAD('污染类型'),
      r.byPollutionType.map((d) => row(d.name, d.counts)),
    ),
    ...signature(r.issuer, r.date),
  ];
  return officialDocument({ title: reportTitle(r), creator: r.issuer }, children);
}

function header(rowx: ExcelJS.Row): void {
  rowx.font = { bold: true };
  rowx.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  rowx.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    c.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
}

/** The same figures as a workbook: one sheet per table, numbers as numbers. */
export async function dailyReportWorkbook(r: DailyReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = r.issuer;
  const sheet = (name: string, first: string, rows: { name: string; counts: PetitionCounts }[], total = true) => {
    const ws = wb.addWorksheet(name);
    ws.columns = [{ width: 24 }, ...COUNT_COLUMNS.map(() => ({ width: 11 }))];
    ws.mergeCells(1, 1, 1, COUNT_COLUMNS.length + 1);
    ws.getCell(1, 1).value = reportTitle(r);
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    ws.getCell(1, 1).alignment = { horizontal: 'center' };
    header(ws.addRow(HEAD(first)));
    const num = (v: string) => Number(v);
    for (const x of rows) ws.addRow([x.name, ...COUNT_COLUMNS.map(([, f]) => num(f(x.counts)))]);
    if (total) ws.addRow(['合计', ...COUNT_COLUMNS.map(([, f]) => num(f(r.cumulative)))]).font = { bold: true };
  };
  sheet(
    '按批次',
    '批次',
    r.batches.map((b) => ({ name: b.title, counts: b.counts })),
  );
  sheet('按行政区域', '行政区域', r.byDistrict);
  sheet('按污染类型', '污染类型', r.byPollutionType);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
