import ExcelJS from 'exceljs';
import type { TestApp } from './test-app.js';

export const PETITION_HEADERS = [
  '受理编号',
  '交办问题基本情况',
  '行政区域',
  '污染类型',
  '责任单位',
  '调查核实情况',
  '是否属实',
  '处理和整改情况',
  '责任人被处理情况',
  '投诉人',
  '联系电话',
  '投诉人地址',
];

export type PetitionCell = string | number | null;

/** The team's sheet: a header row, then one row per complaint in PETITION_HEADERS order. */
export async function petitionSheet(rows: PetitionCell[][], headers = PETITION_HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('信访件交办表');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One complaint; `n` makes the code and the matter unique. */
export function petitionRow(n: number, over: Partial<Record<string, PetitionCell>> = {}): PetitionCell[] {
  const base: Record<string, PetitionCell> = {
    受理编号: `D${String(n).padStart(4, '0')}`,
    交办问题基本情况: `第${n}号：某村养殖场粪污直排入河，周边臭味严重`,
    行政区域: '竟陵街道',
    污染类型: '水污染',
    责任单位: '竟陵街道办事处',
    投诉人: '王某某',
    联系电话: '13800001234',
    投诉人地址: '竟陵街道幸福路88号',
    ...over,
  };
  return PETITION_HEADERS.map((h) => base[h] ?? null);
}

/** Upload a batch and wait for its import to end; the batch as the API answers it. */
export async function importBatch(
  t: TestApp,
  file: Buffer,
  fields: { code: string; closeBy: string; receivedOn?: string; assignDays?: number },
): Promise<any> {
  const req = t.http.post('/api/petitions/batches').attach('file', file, 'batch.xlsx').field('code', fields.code);
  req.field('closeBy', fields.closeBy);
  if (fields.receivedOn) req.field('receivedOn', fields.receivedOn);
  if (fields.assignDays) req.field('assignDays', String(fields.assignDays));
  const res = await req.expect(202);
  return waitForBatch(t, res.body.batchId);
}

export async function waitForBatch(t: TestApp, id: string): Promise<any> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const b = (await t.http.get(`/api/petitions/batches/${id}`).query({ pageSize: '200' }).expect(200)).body;
    if (b.status !== 'queued' && b.status !== 'running') return b;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${b.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
