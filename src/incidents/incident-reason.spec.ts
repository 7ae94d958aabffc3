import { incidentReason } from './incident-reason.js';

describe('incidentReason', () => {
  it('keeps a Chinese message and puts a technical one into Chinese by its kind', () => {
    expect(incidentReason('workdays(0, 2100-01-04)：2100 年没有工作日历')).toBe(
      'workdays(0, 2100-01-04)：2100 年没有工作日历',
    );
    expect(incidentReason('no handler registered as issueNotice')).toMatch(/没有对应的处理程序/);
    expect(incidentReason('timer "R/PT0S" has a period of zero')).toMatch(/定时器/);
    expect(incidentReason('something odd')).toMatch(/流程步骤执行出错/);
    for (const m of ['no handler registered as x', 'problem P-1 not found', 'Cannot read properties of undefined']) {
      expect(incidentReason(m)).not.toMatch(/[A-Za-z]{3,}/);
    }
  });
});
