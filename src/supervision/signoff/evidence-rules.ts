import { EVIDENCE_CATEGORY_LABELS, type EvidenceCategory } from '../../files/evidence-category.js';

/**
 * The evidence categories a sign-off application must include, by the problem's category (类别): pollution
 * that is measured (water, air, soil, noise, emissions) needs a monitoring report and site photos; problems of
 * the land (ecology, mines, forests, shorelines, illegal building, waste, dust) need site photos. Any other
 * category needs at least one file of any kind.
 */
const RULES: { words: string[]; need: EvidenceCategory[] }[] = [
  { words: ['水', '大气', '空气', '土壤', '噪声', '排放', '污染', '臭'], need: ['photo', 'report'] },
  { words: ['生态', '矿', '林', '湿地', '岸线', '违建', '违法建设', '垃圾', '扬尘', '固废'], need: ['photo'] },
];

export function requiredEvidence(category: string): EvidenceCategory[] {
  const rule = RULES.find((r) => r.words.some((w) => category.includes(w)));
  return rule ? rule.need : [];
}

/** Null when the files cover what the category asks for, else the Chinese reason naming what is missing. */
export function missingEvidence(category: string, files: { category: EvidenceCategory }[]): string | null {
  if (!files.length) return '申请销号须附佐证材料，至少一个文件';
  const have = new Set(files.map((f) => f.category));
  const missing = requiredEvidence(category).filter((c) => !have.has(c));
  if (!missing.length) return null;
  return `“${category}”类问题申请销号须附${missing.map((c) => EVIDENCE_CATEGORY_LABELS[c]).join('、')}`;
}
