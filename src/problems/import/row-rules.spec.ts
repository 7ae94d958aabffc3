import { UnitDirectory } from '../../org/unit-directory.js';
import { checkRow, parseDeadline, type RowContext } from './row-rules.js';
import type { Cell, SheetRow } from './xlsx-sheet-reader.js';

const units = new UnitDirectory([
  { code: 'HBJ', name: '市环保局', parent_code: null, created_at: new Date() },
  { code: 'SLJ', name: '市水利局', parent_code: null, created_at: new Date() },
]);
const text = (t: string): Cell => ({ kind: 'text', text: t });

function ctx(over: Partial<RowContext> = {}): RowContext {
  return {
    units,
    today: '2026-03-02',
    stored: new Set(),
    seen: new Map(),
    defaultSource: null,
    addWorkdays: (from, n) => (n === 3 ? '2026-03-05' : from),
    ...over,
  };
}

function row(cells: Record<string, Cell>, n = 2): SheetRow {
  return {
    row: n,
    cells: {
      code: text('A-1'),
      title: text('问题'),
      category: text('水'),
      leadUnit: text('市环保局'),
      person: text('张三'),
      deadline: text('2026-06-30'),
      goal: text('达标'),
      ...cells,
    },
  };
}

describe('problem list rows', () => {
  it('reads deadlines from date cells, both text forms and working days', () => {
    expect(parseDeadline({ kind: 'date', date: new Date(Date.UTC(2026, 5, 30)) }, ctx())).toEqual({
      date: '2026-06-30',
    });
    expect(parseDeadline(text('2026年6月30日'), ctx())).toEqual({ date: '2026-06-30' });
    expect(parseDeadline(text('2026-6-3'), ctx())).toEqual({ date: '2026-06-03' });
    expect(parseDeadline({ kind: 'number', value: 3 }, ctx())).toEqual({ date: '2026-03-05' });
    expect(parseDeadline({ kind: 'number', value: 46000 }, ctx())).toHaveProperty('error');
    expect(parseDeadline(text('2026-02-29'), ctx())).toHaveProperty('error');
    // A deadline already passed is accepted: overdue on arrival (checkRow warns).
    expect(parseDeadline(text('2026-03-01'), ctx())).toEqual({ date: '2026-03-01' });
    const noYear = ctx({
      addWorkdays: () => {
        throw new Error('no working-day calendar for 2027');
      },
    });
    expect(parseDeadline({ kind: 'number', value: 400 }, noYear)).toEqual({ error: expect.stringContaining('2027') });
  });

  it('resolves units by code or name, adds the lead unit, and names unknown ones', () => {
    const ok = checkRow(row({ units: text('SLJ，市环保局、市水利局') }), ctx());
    expect(ok).toEqual({
      draft: expect.objectContaining({
        leadUnit: 'HBJ',
        responsibleUnits: ['HBJ', 'SLJ'],
        tier: 'medium',
        recheckMonths: 6,
      }),
    });
    const bad = checkRow(row({ leadUnit: text('市宣传部'), units: text('市水利局、市外星局') }), ctx());
    expect(bad).toEqual({
      errors: [
        { row: 2, column: '牵头单位', message: '未知单位：市宣传部' },
        { row: 2, column: '责任单位', message: '未知单位：市外星局' },
      ],
    });
  });

  it('quotes a long cell cut short, and refuses unit cells longer than a list of units', () => {
    const long = '某'.repeat(10_000);
    const res = checkRow(
      row({
        leadUnit: text(long.slice(0, 90)),
        units: text(`${long}、市水利局`),
        deadline: text(long),
        code: text(`${long}!`),
      }),
      ctx(),
    );
    expect(res).toEqual({
      errors: [
        { row: 2, column: '编号', message: '超过 64 个字符' },
        { row: 2, column: '牵头单位', message: `未知单位：${'某'.repeat(60)}…` },
        { row: 2, column: '责任单位', message: '超过 2000 个字符' },
        {
          row: 2,
          column: '整改时限',
          message: `“${'某'.repeat(60)}…”不是日期：请用日期格式单元格、YYYY-MM-DD 或 YYYY年M月D日`,
        },
      ],
    });
  });

  it('accepts a deadline already passed, with a warning: overdue on arrival', () => {
    const res = checkRow(row({ deadline: text('2017-06-30') }), ctx());
    expect(res).toEqual({
      draft: expect.objectContaining({
        deadline: '2017-06-30',
        warnings: [{ row: 2, column: '整改时限', message: expect.stringContaining('交办即逾期') }],
      }),
    });
    expect(checkRow(row({}), ctx())).toEqual({ draft: expect.objectContaining({ warnings: [] }) });
  });

  it('reports a duplicate code with the row that has it first', () => {
    const c = ctx();
    expect(checkRow(row({}, 2), c)).toHaveProperty('draft');
    expect(checkRow(row({}, 7), c)).toEqual({
      errors: [{ row: 7, column: '编号', message: '编号 A-1 重复：第 2 行也是此编号' }],
    });
  });

  it('refuses formulas and empty required cells, and checks the re-check period', () => {
    const res = checkRow(
      row({
        title: { kind: 'empty' },
        deadline: { kind: 'bad', message: '不接受公式，请粘贴为数值' },
        recheckMonths: text('半年'),
      }),
      ctx(),
    );
    expect(res).toEqual({
      errors: [
        { row: 2, column: '问题', message: '问题为必填项' },
        { row: 2, column: '整改时限', message: expect.stringMatching(/公式/) },
        { row: 2, column: '回头看周期（月）', message: expect.any(String) },
      ],
    });
  });
});
