import ExcelJS from 'exceljs';
import { PETITION_COLUMNS, PETITION_TEMPLATE } from './petition-columns.js';

const EXAMPLE: Partial<Record<keyof typeof PETITION_COLUMNS, string>> = {
  code: 'D1001',
  summary: '某某镇某某村一养殖场粪污直排入河，周边臭味严重',
  district: '某某镇',
  pollutionType: '水污染',
  unit: '市环保局',
};

/** The team's sheet, its columns in order; the last four are left blank and filled in as the units work. */
export async function petitionTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('信访件交办表');
  ws.addRow(PETITION_TEMPLATE.map((k) => PETITION_COLUMNS[k]));
  ws.addRow(PETITION_TEMPLATE.map((k) => EXAMPLE[k] ?? null));
  ws.getRow(1).font = { bold: true };
  ws.columns = PETITION_TEMPLATE.map((k) => ({ width: k === 'summary' ? 48 : 16 }));
  const notes = wb.addWorksheet('填写说明');
  notes.addRow(['受理编号、交办问题基本情况、行政区域、污染类型必填；受理编号在全部批次中唯一。']);
  notes.addRow(['责任单位：单位名称或编码；不填时按“行政区域”匹配同名单位。']);
  notes.addRow(['调查核实情况、是否属实、处理和整改情况、责任人被处理情况：交办时留空，由责任单位办理时填写。']);
  notes.addRow(['同一区域、同一事项与已交办的信访件相同的，记为重复件，关联到先前的信访件，不再重复交办。']);
  notes.addRow(['可另加“投诉人”“联系电话”“投诉人地址”列：仅供办公室回访，任何公开信息中都不显示。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
