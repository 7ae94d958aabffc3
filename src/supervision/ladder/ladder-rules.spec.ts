import { officeTime, skippedSentence, substituteVariables } from './ladder-rules.js';

const at = (s: string) => Date.parse(s);
// 2017: Sat 30 Sep is a make-up working day, 1–8 Oct National Day, Mon 9 Oct back at work.
const REST = new Set([
  '2017-10-01',
  '2017-10-02',
  '2017-10-03',
  '2017-10-04',
  '2017-10-05',
  '2017-10-06',
  '2017-10-07',
  '2017-10-08',
  '2017-10-21',
  '2017-10-22',
]);
const isWorkday = (d: string) => !REST.has(d);

describe('ladder rules', () => {
  it('dates a document at 09:00 of the next working day when it falls on a rest day or before opening', () => {
    expect(new Date(officeTime(at('2017-09-30T16:00:00Z'), isWorkday)).toISOString()).toBe('2017-10-09T01:00:00.000Z'); // 00:00 on 1 Oct
    expect(new Date(officeTime(at('2017-10-19T16:00:00Z'), isWorkday)).toISOString()).toBe('2017-10-20T01:00:00.000Z'); // 00:00 on Friday 20 Oct
    expect(new Date(officeTime(at('2017-10-20T16:00:00Z'), isWorkday)).toISOString()).toBe('2017-10-23T01:00:00.000Z'); // Saturday
    expect(officeTime(at('2017-10-20T03:00:00Z'), isWorkday)).toBe(at('2017-10-20T03:00:00Z')); // Friday 11:00
  });

  it('puts the ladder variables in a timer expression, and refuses one with a variable missing', () => {
    const vars = { bulletinAfter: 10, deadline: '2017-08-15' };
    expect(
      substituteVariables('workdays(${environment.variables.bulletinAfter}, ${environment.variables.deadline})', vars),
    ).toBe('workdays(10, 2017-08-15)');
    expect(
      substituteVariables('workdays(-${environment.variables.remindBefore}, ${environment.variables.deadline})', {
        ...vars,
        remindBefore: 0,
      }),
    ).toBe('workdays(-0, 2017-08-15)');
    expect(
      substituteVariables('workdays(${environment.variables.nope}, ${environment.variables.deadline})', vars),
    ).toBeNull();
  });

  it('says which rungs were passed over', () => {
    expect(skippedSentence([])).toBe('');
    expect(
      skippedSentence([
        { rung: '提醒', dueAt: 'x' },
        { rung: '督办单', dueAt: 'y' },
      ]),
    ).toBe('该问题交办时已超过提醒、督办单的时点，不再逐级补发，直接采取本级措施。');
  });
});
