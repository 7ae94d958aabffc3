// A bad cell of an import as the clerk reads it: the service's Chinese as it is; an older English message said in
// Chinese by its pattern, keeping the names and values it quotes.
import { fieldMessage } from '../i18n/labels';

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^unknown unit (.+)$/, (m) => `没有名为“${m[1]}”的单位`],
  [/^duplicate code (.+): also in row (\d+)$/, (m) => `编号 ${m[1]} 与第 ${m[2]} 行重复`],
  [/^longer than (\d+) characters$/, (m) => `超过 ${m[1]} 个字`],
  [/^(.+) is required$/, (m) => `${m[1]}必填`],
  [/is not a date/, () => '不是日期：请填写日期格式的单元格，或写成 2026-12-31、2026年12月31日'],
  [/^formulas are not accepted/, () => '不接受公式，请粘贴为数值'],
  [/^column (.+) is missing$/, (m) => `缺少“${m[1]}”列`],
  [/before the assignment date/, () => '整改时限不得早于交办日期'],
];

export function cellMessage(message: string): string {
  const m = String(message ?? '');
  for (const [re, say] of PATTERNS) {
    const x = re.exec(m);
    if (x) return say(x);
  }
  if (!/[A-Za-z]{3,}/.test(m)) return m;
  return fieldMessage(m.replace(/[\u4e00-\u9fff“”「」（）]+/g, ' '));
}
