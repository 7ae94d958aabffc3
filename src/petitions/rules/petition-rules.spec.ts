import type { Cell } from '../../problems/import/xlsx-sheet-reader.js';
import { checkPetitionRow, dedupeKey, type RowContext } from './petition-rules.js';
import { handlingOf, investigationOf } from './task-results.js';

const text = (t: string): Cell => ({ kind: 'text', text: t });

function ctx(over: Partial<RowContext> = {}): RowContext {
  return {
    resolveUnit: (ref) => ({ 市环保局: 'HBJ', 竟陵街道: 'JLJD', HBJ: 'HBJ' })[ref] ?? null,
    storedCodes: new Set(),
    storedKeys: new Map(),
    seenCodes: new Map(),
    seenKeys: new Map(),
    ...over,
  };
}

const row = (n: number, cells: Record<string, Cell>) => ({
  row: n,
  cells: {
    code: text(`D${n}`),
    summary: text('养殖场粪污直排'),
    district: text('竟陵街道'),
    pollutionType: text('水污染'),
    ...cells,
  },
});

describe('petition rows', () => {
  it('hands a complaint to the 责任单位, else to the district when it names a unit', () => {
    const a = checkPetitionRow(row(2, { unit: text('市环保局') }), ctx());
    expect('draft' in a && a.draft.unitCode).toBe('HBJ');
    const b = checkPetitionRow(row(3, {}), ctx());
    expect('draft' in b && b.draft.unitCode).toBe('JLJD');
  });

  it('names every bad cell in Chinese', () => {
    const r = checkPetitionRow(
      row(4, { summary: { kind: 'empty' }, unit: text('无此单位'), verdict: text('属实'), code: text('D 1') }),
      ctx(),
    );
    expect('errors' in r && r.errors.map((e) => e.column).sort()).toEqual(
      ['交办问题基本情况', '受理编号', '责任单位', '是否属实'].sort(),
    );
  });

  it('refuses a 受理编号 stored already or twice in the file', () => {
    const c = ctx({ storedCodes: new Set(['D5']) });
    const r = checkPetitionRow(row(5, {}), c);
    expect('errors' in r && r.errors[0].message).toBe('受理编号 D5 已导入过');
    expect('draft' in checkPetitionRow(row(6, {}), c)).toBe(true);
    const again = checkPetitionRow({ ...row(6, {}), row: 7 }, c);
    expect('errors' in again && again.errors[0].message).toBe('与第 6 行的受理编号重复');
  });

  it('links a 重复件 to the earlier complaint: the same district and matter, whatever the spacing and punctuation', () => {
    expect(dedupeKey('竟陵街道', '养殖场 粪污直排。')).toBe(dedupeKey('竟陵街道', '养殖场粪污直排'));
    expect(dedupeKey('岳口镇', '养殖场粪污直排')).not.toBe(dedupeKey('竟陵街道', '养殖场粪污直排'));
    const c = ctx({ storedKeys: new Map([[dedupeKey('竟陵街道', '烧烤油烟'), 'OLD1']]) });
    const first = checkPetitionRow(row(8, {}), c);
    const second = checkPetitionRow(row(9, { summary: text('养殖场，粪污直排') }), c);
    const stored = checkPetitionRow(row(10, { summary: text('烧烤油烟') }), c);
    expect('draft' in first && first.draft.duplicateOf).toBeNull();
    expect('draft' in second && second.draft.duplicateOf).toBe('D8');
    expect('draft' in stored && stored.draft.duplicateOf).toBe('OLD1');
  });
});

describe('task results', () => {
  it('takes only the three verdicts and requires the findings', () => {
    expect(() => investigationOf({ verdict: '基本属实', investigation: 'x' })).toThrow('verdict');
    expect(() => investigationOf({ verdict: '属实' })).toThrow('investigation');
    expect(investigationOf({ verdict: '部分属实', investigation: ' 查明 ' })).toEqual({
      verdict: '部分属实',
      investigation: '查明',
      evidence: null,
    });
  });

  it('bounds the measures and ties a fine to 立案处罚', () => {
    expect(() => handlingOf({ handling: 'x', fineWan: 3 })).toThrow('立案处罚');
    expect(() => handlingOf({ handling: 'x', detained: -1 })).toThrow('detained');
    expect(handlingOf({ handling: 'x', caseFiled: true, fineWan: 2.345 })).toMatchObject({ fineWan: 2.35 });
  });
});
