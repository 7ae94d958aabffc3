// A supervision action (督办单, 通报, 约谈, 专项督察, 追责…) as GET /api/supervision/actions answers it.

export interface SupervisionAction {
  id: string;
  problemId: string;
  problemCode: string | null;
  unitCode: string;
  type: string;
  typeLabel?: string;
  status: string;
  statusLabel?: string;
  title: string;
  body: Record<string, unknown>;
  deadline: string | null;
  issuedAt: string;
  closedAt: string | null;
  documentNo: string | null;
  records?: AccountabilityRecord[];
}

export interface AccountabilityRecord {
  id: string;
  unitCode: string;
  personName: string | null;
  measure: string;
  reason: string | null;
  decidedAt: string;
}

/** Types that are an official document (a reminder is a message, not a document). */
export const DOCUMENT_TYPES = new Set([
  'urge',
  'notice',
  'bulletin',
  'interview',
  'inspection',
  'accountability',
  'extension',
]);
