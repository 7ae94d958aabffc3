import ExcelJS from 'exceljs';
import { chinaDate } from '../../problems/rules/china-date.js';
import { percent } from '../rules/bulletin-rules.js';
import type { AssessmentData } from './assessment-rules.js';

const INDICATORS = ['按期完成率', '销号问题', '见效问题', '通报', '约谈', '追责', '反弹', '缺报月度进展'];
export const ASSESSMENT_HEADERS = ['序号', '单位', ...INDICATORS, '得分', '排名'];
const WIDTHS = [6, 24, 12, 10, 10, 8, 8, 8, 8, 14, 10, 8];

function boxed(row: ExcelJS.Row, fill?: string): void {
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.eachCell((c) => {
    if (fill) c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    c.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
}

/**
 * The year's assessment as a table in the layout an assessment is filed in: 序号, 单位, each indicator, 得分,
 * 排名 (ranked), the weights under it; a second sheet lists the records behind every figure.
 */
export async function assessmentWorkbook(a: AssessmentData, issuer: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = issuer;
  const ws = wb.addWorksheet('年度考核');
  ws.columns = WIDTHS.map((width) => ({ width }));
  ws.mergeCells(1, 1, 1, ASSESSMENT_HEADERS.length);
  ws.getCell(1, 1).value = `${a.year}年度环保督察整改工作考核结果`;
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, ASSESSMENT_HEADERS.length);
  ws.getCell(2, 1).value = `${issuer}，统计截至 ${chinaDate(Date.parse(a.asOf) - 1)}`;
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
  const head = ws.addRow(ASSESSMENT_HEADERS);
  head.font = { bold: true };
  boxed(head, 'FFD9D9D9');
  a.units.forEach((u, i) => {
    boxed(
      ws.addRow([
        i + 1,
        u.unitName,
        percent(u.onTimeRate.value),
        u.signedOff.value,
        u.effective.value,
        u.bulletins.value,
        u.interviews.value,
        u.accountabilities.value,
        u.rebounds.value,
        u.missingReports.value,
        u.score,
        u.rank,
      ]),
    );
  });
  const w = a.weights;
  ws.addRow([]);
  ws.addRow([
    '',
    '计分规则',
    `满分${w.weightOnTimeRate}×完成率`,
    `每个+${w.weightSignedOff}`,
    `每个+${w.weightEffective}`,
    `每次−${w.weightBulletin}`,
    `每次−${w.weightInterview}`,
    `每次−${w.weightAccountability}`,
    `每个−${w.weightRebound}`,
    `每次−${w.weightMissingReport}`,
  ]);
  ws.views = [{ state: 'frozen', ySplit: 3 }];

  const rec = wb.addWorksheet('考核依据');
  rec.columns = [
    { header: '单位', width: 22 },
    { header: '指标', width: 14 },
    { header: '问题编号', width: 16 },
    { header: '事项', width: 50 },
    { header: '日期', width: 12 },
    { header: '文号', width: 20 },
    { header: '说明', width: 12 },
  ];
  rec.getRow(1).font = { bold: true };
  for (const u of a.units) {
    for (const r of u.onTimeRate.records)
      rec.addRow([u.unitName, '到期问题', r.code, r.title, r.date, '', r.onTime ? '按期销号' : '未按期销号']);
    const lists: [string, typeof u.signedOff][] = [
      ['销号问题', u.signedOff],
      ['见效问题', u.effective],
      ['通报', u.bulletins],
      ['约谈', u.interviews],
      ['追责', u.accountabilities],
      ['反弹', u.rebounds],
      ['缺报月度进展', u.missingReports],
    ];
    for (const [name, f] of lists)
      for (const r of f.records) rec.addRow([u.unitName, name, r.code, r.title, r.date, r.documentNo ?? '', '']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
