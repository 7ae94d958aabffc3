/** 佐证材料的类别: 现场照片, 监测报告, 文件资料. */
export const EVIDENCE_CATEGORIES = ['photo', 'report', 'document'] as const;
export type EvidenceCategory = (typeof EVIDENCE_CATEGORIES)[number];

export const EVIDENCE_CATEGORY_LABELS: Record<EvidenceCategory, string> = {
  photo: '现场照片',
  report: '监测报告',
  document: '文件资料',
};

const IMAGES = new Set(['jpeg', 'png', 'webp', 'heic']);

/** A file's category: as uploaded, else an image is a site photo and anything else a document. */
export function categoryOf(f: { category: EvidenceCategory | null; type: string }): EvidenceCategory {
  return f.category ?? (IMAGES.has(f.type) ? 'photo' : 'document');
}
