import ExcelJS from 'exceljs';
import type { TestApp } from './test-app.js';

export const HEADERS = [
  '编号',
  '问题',
  '类别',
  '牵头单位',
  '责任单位',
  '责任人',
  '整改时限',
  '整改目标',
  '回头看周期（月）',
];

export type SheetValue = string | number | Date | { formula: string; result?: unknown } | null | undefined;

/** A problem list as the office fills it: a header row, then one row per problem (columns in HEADERS order). */
export async function problemSheet(rows: SheetValue[][], headers: string[] = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题清单');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r as ExcelJS.CellValue[]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One valid row; `n` makes the code unique. */
export function problemRow(n: number, over: Partial<Record<(typeof HEADERS)[number], SheetValue>> = {}): SheetValue[] {
  const base: Record<string, SheetValue> = {
    编号: `TM-${String(n).padStart(5, '0')}`,
    问题: `第${n}号问题：城区餐饮油烟直排`,
    类别: '大气污染',
    牵头单位: '市环保局',
    责任单位: '市城管局、竟陵街道办事处',
    责任人: '张三',
    整改时限: new Date(Date.UTC(2026, 11, 31)),
    整改目标: '油烟净化设施安装率100%',
    '回头看周期（月）': 6,
    ...over,
  };
  return HEADERS.map((h) => base[h]);
}

export async function readWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

export function rowValues(ws: ExcelJS.Worksheet, n: number): unknown[] {
  return (ws.getRow(n).values as unknown[]).slice(1);
}

/** supertest: collect a binary body as a Buffer. */
export function binary(res: any, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The city of the seed: 天门市 and the units its plan names. */
export async function seedUnits(t: TestApp): Promise<void> {
  const units = [
    { code: 'CITY', name: '天门市' },
    { code: 'HBJ', name: '市环保局', parentCode: 'CITY' },
    { code: 'SLJ', name: '市水利局', parentCode: 'CITY' },
    { code: 'CGJ', name: '市城管局', parentCode: 'CITY' },
    { code: 'NYJ', name: '市农业局', parentCode: 'CITY' },
    { code: 'JLJD', name: '竟陵街道办事处', parentCode: 'CITY' },
  ];
  for (const u of units) await t.http.post('/api/units').send(u).expect(201);
}

export function upload(t: TestApp, file: Buffer, name = 'problems.xlsx') {
  return t.http.post('/api/problems/import').attach('file', file, name);
}

/** The job's final answer: polled until it is no longer queued or running (a few seconds at most in tests). */
export async function waitForImportJob(t: TestApp, jobId: string, agent = t.http): Promise<any> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const job = (await agent.get(`/api/problems/import/jobs/${jobId}`).expect(200)).body;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`import job ${jobId} still ${job.status} after 120 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * An upload the office expects to succeed: accepted (202), its job done, and the problems as the API shows them
 * (each one's detail), in code order.
 */
export async function importFile(
  t: TestApp,
  file: Buffer,
  agent = t.http,
): Promise<{ jobId: string; created: any[]; warnings: any[] }> {
  const accepted = (await agent.post('/api/problems/import').attach('file', file, 'problems.xlsx').expect(202)).body;
  const job = await waitForImportJob(t, accepted.jobId, agent);
  if (job.status !== 'done') throw new Error(`import job ${accepted.jobId} ${job.status}: ${job.message}`);
  const created = [];
  for (const p of job.problems) created.push((await agent.get(`/api/problems/${p.id}`).expect(200)).body);
  return { jobId: accepted.jobId, created, warnings: accepted.warnings };
}
