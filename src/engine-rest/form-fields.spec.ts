import { constraintProblems, datePatternProblem, parseFormDate } from './form-fields.js';

describe('generated form fields', () => {
  it('reads dates in the field pattern, in China time, and refuses what is no such date', () => {
    expect(parseFormDate('10/01/2013')).toBe(Date.parse('2013-01-10T00:00:00+08:00'));
    expect(parseFormDate('2013-01-10 09:30', 'yyyy-MM-dd HH:mm')).toBe(Date.parse('2013-01-10T09:30:00+08:00'));
    expect(parseFormDate('31/02/2026')).toBeNull();
    expect(parseFormDate('2013-01-10')).toBeNull();
    expect(parseFormDate('10/01/2013 25:00', 'dd/MM/yyyy HH:mm')).toBeNull();
    expect(datePatternProblem('dd.MM.yyyy')).toBeNull();
    expect(datePatternProblem("dd MMM yyyy 'at' HH")).toMatch(/不支持的字母 M/);
  });

  it("checks Camunda's built-in constraints on what is submitted", () => {
    const c = (name: string, config: string | null = null) => [{ name, config }];
    const sent = (value: unknown) => ({ present: true, value });
    const absent = { present: false, value: undefined };
    expect(constraintProblems('f', c('minlength', '5'), sent('1234'), undefined)).toEqual([
      "Invalid value submitted for form field 'f': validation of minlength(5) failed（表单字段 f：至少 5 个字符，提交了 4 个）",
    ]);
    expect(constraintProblems('f', c('minlength', '5'), sent('12345'), undefined)).toEqual([]);
    expect(constraintProblems('f', c('maxlength', '3'), sent('1234'), undefined)).toHaveLength(1);
    expect(constraintProblems('f', c('min', '3'), sent(2), undefined)).toHaveLength(1);
    expect(constraintProblems('f', c('max', '10'), sent(10), undefined)).toEqual([]);
    // Left out, a required field may already be held by the task's variables.
    expect(constraintProblems('f', c('required'), absent, undefined)).toHaveLength(1);
    expect(constraintProblems('f', c('required'), absent, 'kept')).toEqual([]);
    expect(constraintProblems('f', c('required'), sent(''), 'kept')).toHaveLength(1);
    expect(constraintProblems('f', c('readonly'), sent('x'), undefined)).toHaveLength(1);
    expect(constraintProblems('f', c('readonly'), absent, 'x')).toEqual([]);
    // A value of another type is not judged by a length or a bound, as in Camunda.
    expect(constraintProblems('f', c('minlength', '5'), sent(3), undefined)).toEqual([]);
  });
});
