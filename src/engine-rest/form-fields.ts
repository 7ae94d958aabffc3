/* Camunda's generated task forms (`camunda:formData`): field dates and the built-in field constraints. */

/** The form-field constraints a task form checks on submit (Camunda's built-in validators). */
export const FORM_CONSTRAINTS = ['required', 'readonly', 'minlength', 'maxlength', 'min', 'max'] as const;

/** Camunda's date pattern for a `date` form field without `datePattern`. */
export const DEFAULT_DATE_PATTERN = 'dd/MM/yyyy';

const CHINA_OFFSET_MS = 8 * 3_600_000;
const DATE_TOKENS = /yyyy|MM|dd|HH|mm|ss|./g;

/** Why a form field's `datePattern` cannot be read, or null: the tokens yyyy MM dd HH mm ss and separators. */
export function datePatternProblem(pattern: string): string | null {
  for (const [t] of pattern.matchAll(DATE_TOKENS))
    if (t.length === 1 && /[A-Za-z]/.test(t))
      return `日期格式 ${pattern} 含有不支持的字母 ${t}：只支持 yyyy、MM、dd、HH、mm、ss 和分隔符`;
  return null;
}

/** A date written in a form field's pattern, read in China time; null when the text does not fit it. */
export function parseFormDate(text: string, pattern: string = DEFAULT_DATE_PATTERN): number | null {
  const order: string[] = [];
  let re = '';
  for (const [t] of pattern.matchAll(DATE_TOKENS)) {
    if (t.length > 1) {
      order.push(t);
      re += t === 'yyyy' ? '(\\d{4})' : '(\\d{2})';
    } else re += t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const m = new RegExp(`^${re}$`).exec(text.trim());
  if (!m) return null;
  const part = (t: string, dflt: number) => (order.includes(t) ? Number(m[order.indexOf(t) + 1]) : dflt);
  const [y, mo, d, h, mi, s] = [
    part('yyyy', 1970),
    part('MM', 1),
    part('dd', 1),
    part('HH', 0),
    part('mm', 0),
    part('ss', 0),
  ];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  // 31/02/2026 is no date: the parts must come back as written.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return utc - CHINA_OFFSET_MS;
}

export interface FieldConstraint {
  name: string;
  config: string | null;
}

/**
 * What a submitted value breaks of its field's constraints, as Camunda's built-in validators judge it: a field
 * left out of the submission is `required` only when the task's variables do not hold it already; a `readonly`
 * field must not be submitted; lengths bound text, `min`/`max` bound numbers. Empty when all hold.
 */
export function constraintProblems(
  field: string,
  constraints: readonly FieldConstraint[],
  submitted: { present: boolean; value: unknown },
  current: unknown,
): string[] {
  const out: string[] = [];
  const fail = (c: FieldConstraint, why: string) =>
    out.push(
      `Invalid value submitted for form field '${field}': validation of ${c.name}${c.config !== null ? `(${c.config})` : ''} failed（表单字段 ${field}：${why}）`,
    );
  const v = submitted.present ? submitted.value : undefined;
  for (const c of constraints) {
    const n = Number(c.config);
    switch (c.name) {
      case 'required':
        if (v === '' || ((v === undefined || v === null) && (current === undefined || current === null)))
          fail(c, '必填');
        break;
      case 'readonly':
        if (submitted.present) fail(c, '只读，不能提交');
        break;
      case 'minlength':
        if (typeof v === 'string' && v.length < n) fail(c, `至少 ${n} 个字符，提交了 ${v.length} 个`);
        break;
      case 'maxlength':
        if (typeof v === 'string' && v.length > n) fail(c, `至多 ${n} 个字符，提交了 ${v.length} 个`);
        break;
      case 'min':
        if (typeof v === 'number' && v < n) fail(c, `不能小于 ${n}`);
        break;
      case 'max':
        if (typeof v === 'number' && v > n) fail(c, `不能大于 ${n}`);
        break;
      default:
        fail(c, `不支持的校验 ${c.name}`);
    }
  }
  return out;
}
