import { UnitDirectory } from '../org/unit-directory.js';
import { checkRow } from '../problems/import/row-rules.js';
import { readProblemSheet } from '../problems/import/xlsx-sheet-reader.js';
import { DEMO_UNITS } from './demo-org.js';
import { SCALE_MAX, scaleLedger } from './scale-ledger.js';

describe('scaleLedger', () => {
  const units = new UnitDirectory(
    DEMO_UNITS.map((u) => ({ code: u.code, name: u.name, parent_code: u.parent, created_at: new Date() })),
  );

  it('writes a workbook the office import accepts whole, deadlines spread over the year, some already past', async () => {
    const sheet = await readProblemSheet(await scaleLedger(400, '2017-08-03'));
    if (!('rows' in sheet)) throw new Error(sheet.refused);
    expect(sheet.errors).toEqual([]);
    expect(sheet.rows).toHaveLength(400);
    const deadlines: string[] = [];
    for (const r of sheet.rows) {
      const res = checkRow(r, {
        units,
        today: '2017-08-03',
        stored: new Set(),
        seen: new Map(),
        defaultSource: null,
        addWorkdays: (from) => from,
      });
      if ('errors' in res) throw new Error(JSON.stringify(res.errors));
      deadlines.push(res.draft.deadline);
    }
    expect(deadlines.some((d) => d < '2017-08-03')).toBe(true);
    expect(deadlines.some((d) => d > '2018-06-01')).toBe(true);
  });

  it('refuses a count outside 1..the import ceiling', async () => {
    for (const n of [0, -1, 1.5, SCALE_MAX + 1]) await expect(scaleLedger(n, '2017-08-03')).rejects.toThrow(RangeError);
  });
});
