import ExcelJS from 'exceljs';
import { addDays } from '../problems/rules/china-date.js';
import { DEMO_UNITS } from './demo-org.js';
import { DEMO_PROBLEMS } from './demo-problems.js';

/** The most problems a generated ledger holds: the import's own ceiling per file. */
export const SCALE_MAX = 20_000;

/**
 * A province-sized ledger for `simulate --problems N`: the seed's problems repeated over the demo's units, with
 * deadlines spread over the year after `from` (one in ten already past on arrival, as real ledgers have), as the
 * office's own workbook in the import's columns, so the simulation exercises the same import path as the office.
 */
export async function scaleLedger(count: number, from: string): Promise<Buffer> {
  if (!Number.isInteger(count) || count < 1 || count > SCALE_MAX) throw new RangeError(`1..${SCALE_MAX} problems`);
  const units = DEMO_UNITS.filter((u) => u.parent !== null);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题清单');
  ws.addRow(['编号', '问题', '类别', '牵头单位', '责任单位', '责任人', '整改时限', '整改目标', '回头看周期（月）']);
  for (let n = 0; n < count; n++) {
    const p = DEMO_PROBLEMS[n % DEMO_PROBLEMS.length];
    const lead = units[n % units.length];
    const co = units[(n * 7 + 3) % units.length];
    // Spread over a year: -30 … +330 days from the start, so some arrive overdue and the rest fall due month by month.
    const deadline = addDays(from, ((n * 37) % 361) - 30);
    ws.addRow([
      `SIM-${String(n + 1).padStart(5, '0')}`,
      `${p.title}（第${n + 1}项）`,
      p.category,
      lead.name,
      co.code === lead.code ? '' : co.name,
      lead.person,
      new Date(`${deadline}T00:00:00Z`),
      p.goal,
      6,
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
