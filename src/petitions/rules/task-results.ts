import { DomainException } from '../../common/domain-exception.js';
import { VERDICTS, type Verdict } from './petition-rules.js';

function invalid(field: string, message: string): DomainException {
  return new DomainException('VALIDATION', 422, `${field}：${message}`, { fields: [{ field, message }] });
}

function textOf(vars: Record<string, unknown>, field: string, max: number, required: boolean): string | null {
  const v = vars[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(field, '必填');
    return null;
  }
  if (typeof v !== 'string') throw invalid(field, '应为文字');
  const t = v.trim();
  if (required && !t) throw invalid(field, '必填');
  if (t.length > max) throw invalid(field, `最多 ${max} 个字`);
  return t || null;
}

function countOf(vars: Record<string, unknown>, field: string, max: number): number {
  const v = vars[field] ?? 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw invalid(field, `应为 0 到 ${max} 的整数`);
  return v;
}

/** 调查核实, as the unit submitted it (the inbox form checks it first; the engine API may not). */
export function investigationOf(vars: Record<string, unknown>): {
  verdict: Verdict;
  investigation: string;
  evidence: string | null;
} {
  const verdict = vars.verdict;
  if (typeof verdict !== 'string' || !(VERDICTS as readonly string[]).includes(verdict))
    throw invalid('verdict', '应为 属实、部分属实 或 不属实');
  return {
    verdict: verdict as Verdict,
    investigation: textOf(vars, 'investigation', 5000, true)!,
    evidence: textOf(vars, 'evidence', 2000, false),
  };
}

/** 处理和整改: the measures taken and the 处理 of the responsible. */
export function handlingOf(vars: Record<string, unknown>) {
  const fine = vars.fineWan ?? 0;
  if (typeof fine !== 'number' || !Number.isFinite(fine) || fine < 0 || fine > 1_000_000)
    throw invalid('fineWan', '罚款金额（万元）应为 0 到 1000000 的数');
  const flag = (f: string) => {
    const v = vars[f] ?? false;
    if (typeof v !== 'boolean') throw invalid(f, '应为是或否');
    return v;
  };
  const caseFiled = flag('caseFiled');
  if (fine > 0 && !caseFiled) throw invalid('fineWan', '有罚款的应勾选“立案处罚”');
  return {
    handling: textOf(vars, 'handling', 5000, true)!,
    accountability: textOf(vars, 'accountability', 2000, false),
    orderedRectify: flag('orderedRectify'),
    caseFiled,
    fineWan: Math.round(fine * 100) / 100,
    detained: countOf(vars, 'detained', 10_000),
    interviewed: countOf(vars, 'interviewed', 10_000),
    accountablePeople: countOf(vars, 'accountablePeople', 10_000),
    lastingHarm: flag('lastingHarm'),
  };
}
