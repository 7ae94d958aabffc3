import { DomainException } from '../../common/domain-exception.js';
import { checkParts } from './part-rules.js';

const names = (c: string) => ({ SWJ: '市水务局', CGJ: '市城管局' })[c] ?? c;
const refusal = (fn: () => unknown): DomainException => {
  try {
    fn();
  } catch (e) {
    return e as DomainException;
  }
  throw new Error('not refused');
};

describe('checkParts: the plan gives each co-unit its part', () => {
  const co = ['SWJ', 'CGJ'];
  const ok = [
    { unit: 'SWJ', measures: '封堵排口', deadline: '2017-09-29' },
    {
      unit: 'CGJ',
      measures: '清运垃圾',
      deadline: '2017-12-29',
      milestones: [{ title: '清运', dueDate: '2017-10-15' }],
    },
  ];

  it('keeps one part per co-unit, with its own deadline no later than the lead’s', () => {
    expect(checkParts(ok, co, '2017-12-29', '方案', names)).toEqual([
      { unit: 'SWJ', measures: '封堵排口', deadline: '2017-09-29', milestones: [] },
      {
        unit: 'CGJ',
        measures: '清运垃圾',
        deadline: '2017-12-29',
        milestones: [{ title: '清运', dueDate: '2017-10-15' }],
      },
    ]);
  });

  it('gives each co-unit the plan by the lead’s deadline when the plan names no parts', () => {
    expect(checkParts(undefined, co, '2017-12-29', ' 截污清淤 ', names)).toEqual([
      { unit: 'SWJ', measures: '截污清淤', deadline: '2017-12-29', milestones: [] },
      { unit: 'CGJ', measures: '截污清淤', deadline: '2017-12-29', milestones: [] },
    ]);
  });

  it('refuses, in Chinese with the field, a later deadline, a unit left out or twice, another unit, a late milestone', () => {
    const cases: [unknown, string, string][] = [
      [[{ ...ok[0], deadline: '2018-01-02' }, ok[1]], 'parts[0].deadline', '晚于牵头单位整改时限 2017-12-29'],
      [[ok[0]], 'parts', '缺少配合单位 市城管局 的分工'],
      [[ok[0], ok[0], ok[1]], 'parts[1].unit', '市水务局 的分工重复'],
      [[...ok, { unit: 'HBJ', measures: 'x', deadline: '2017-10-01' }], 'parts[2].unit', '不是该问题的配合单位'],
      [
        [ok[0], { ...ok[1], milestones: [{ title: 'x', dueDate: '2018-01-01' }] }],
        'parts[1].milestones[0].dueDate',
        '晚于分工时限',
      ],
      [[{ ...ok[0], measures: ' ' }, ok[1]], 'parts[0].measures', '分工措施必填'],
      [[{ ...ok[0], deadline: '2017-02-30' }, ok[1]], 'parts[0].deadline', '应为日期'],
      ['x', 'parts', '应为列表'],
    ];
    for (const [parts, field, text] of cases) {
      const e = refusal(() => checkParts(parts, co, '2017-12-29', '方案', names));
      expect([field, e.status, e.code, e.details?.fields]).toEqual([
        field,
        422,
        'INVALID_PLAN',
        [{ field, message: expect.stringContaining(text) }],
      ]);
    }
  });
});
