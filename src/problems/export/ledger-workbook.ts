import ExcelJS from 'exceljs';
import type { UnitDirectory } from '../../org/unit-directory.js';
import { COLUMNS, TEMPLATE_COLUMNS } from '../import/import-columns.js';
import { LIGHT_LABELS, STATUS_LABELS } from '../problem-status.js';
import type { ProblemRow } from '../problems.repository.js';
import { lateness } from '../rules/problem-rules.js';
import { chinaDate } from '../rules/china-date.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const LEDGER_HEADERS = [
  '编号',
  '问题',
  '类别',
  '牵头单位',
  '责任单位',
  '责任人',
  '整改时限',
  '状态',
  '灯色',
  '逾期工作日',
  '逾期天数(日历)',
  '销号日期',
];
const LEDGER_WIDTHS = [16, 48, 12, 16, 30, 10, 12, 10, 6, 10, 14, 12];
const LIGHT_FILL: Record<string, string> = { green: 'FFC6EFCE', blue: 'FFBDD7EE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' };

function headerStyle(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center' };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
}

/** A 'YYYY-MM-DD' as an Excel date cell (Excel dates have no zone: UTC midnight of that day). */
function asDateCell(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** The problem list template: the headers the import reads, one example row, and a sheet of notes. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题清单');
  ws.columns = TEMPLATE_COLUMNS.map((k) => ({
    header: COLUMNS[k],
    key: k,
    width: k === 'title' || k === 'goal' ? 40 : 16,
  }));
  headerStyle(ws.getRow(1));
  ws.addRow({
    code: 'TM-2017-001',
    title: '城区部分餐饮单位油烟直排，群众反映强烈',
    category: '大气污染',
    leadUnit: '市环保局',
    units: '市城管局',
    person: '张三',
    // Working days from the day of the import: the example imports as it is, whenever it is imported.
    deadline: 60,
    goal: '城区餐饮单位油烟净化设施安装率100%，达标排放',
    recheckMonths: 6,
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const notes = wb.addWorksheet('填写说明');
  notes.columns = [
    { header: '列', width: 18 },
    { header: '说明', width: 80 },
  ];
  headerStyle(notes.getRow(1));
  for (const [col, text] of [
    [COLUMNS.code, '必填，唯一，如 TM-2017-001'],
    [COLUMNS.title, '必填，问题表述'],
    [COLUMNS.category, '必填，如 大气污染、水污染、固废、生态'],
    [COLUMNS.leadUnit, '必填，单位编码或全称，须已在系统中登记'],
    [COLUMNS.units, '可多个，以 、 或 , 分隔；牵头单位自动计入'],
    [COLUMNS.person, '必填'],
    [COLUMNS.deadline, '必填：日期单元格、YYYY-MM-DD、YYYY年M月D日，或自交办日起的工作日数'],
    [COLUMNS.goal, '必填，验收销号的标准'],
    [COLUMNS.recheckMonths, '可空，默认 6 个月'],
    [COLUMNS.responsibleLeader, '可空：责任领导（包保领导）的领导账号用户名或姓名，须已在系统中开通'],
    ['', '不接受公式，请粘贴为数值；单个文件不超过 20000 行、5 MB；任一行有误则整份文件不导入'],
  ])
    notes.addRow([col, text]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The ledger (台账): one row per problem, statuses and lights in Chinese, units by name. Lateness is counted as
 * everywhere else (the ladder, the problem page): working days, with the calendar days beside them.
 */
export async function ledgerWorkbook(
  pages: AsyncIterable<ProblemRow[]>,
  units: UnitDirectory,
  now: number,
  isWorkday: (date: string) => boolean,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('整改台账');
  ws.columns = LEDGER_HEADERS.map((header, i) => ({ header, width: LEDGER_WIDTHS[i] }));
  headerStyle(ws.getRow(1));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for await (const rows of pages) {
    for (const p of rows) {
      const late = lateness({ status: p.status, deadline: p.deadline, signedOffAt: p.signed_off_at }, now, isWorkday);
      const row = ws.addRow([
        p.code,
        p.title,
        p.category,
        units.name(p.lead_unit),
        p.responsible_units.map((u) => units.name(u)).join('、'),
        p.responsible_person ?? '',
        asDateCell(p.deadline),
        STATUS_LABELS[p.status] ?? p.status,
        LIGHT_LABELS[p.light] ?? p.light,
        late.workdays,
        late.days,
        p.signed_off_at ? asDateCell(chinaDate(p.signed_off_at.getTime())) : '',
      ]);
      row.getCell(9).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: LIGHT_FILL[p.light] ?? 'FFFFFFFF' } };
    }
  }
  ws.getColumn(7).numFmt = 'yyyy-mm-dd';
  ws.getColumn(12).numFmt = 'yyyy-mm-dd';
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LEDGER_HEADERS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
