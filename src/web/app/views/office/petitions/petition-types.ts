/** The figures of a set of complaints, as /api/petitions answers them. */
export interface PetitionCounts {
  received: number;
  assigned: number;
  closed: number;
  verdicts: { true: number; partly: number; untrue: number };
  orderedRectify: number;
  caseFiled: number;
  fineWan: number;
  detained: number;
  interviewed: number;
  accountablePeople: number;
  duplicates: number;
  chased?: number;
  toLedger: number;
}

export interface PetitionBatch {
  id: string;
  code: string;
  title: string;
  receivedOn: string;
  closeBy: string;
  assignDays: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  statusLabel: string;
  rows: number;
  done: number;
  message: string | null;
  errors: { row: number; column: string; message: string }[];
  publishedAt: string | null;
  counts?: PetitionCounts;
}

export interface Petition {
  id: string;
  code: string;
  summary: string;
  district: string;
  pollutionType: string;
  unitCode: string;
  complainant: { name: string | null; phone: string | null; address: string | null };
  duplicateOf: string | null;
  status: string;
  statusLabel: string;
  verdict: string | null;
  handling: string | null;
  accountability: string | null;
  problemCode: string | null;
  chases: number;
  reviewTaskId: string | null;
  returned: number;
  overdue: boolean;
}

export interface NamedCounts {
  name: string;
  counts: PetitionCounts;
}

export interface PetitionBatchDetail extends PetitionBatch {
  byDistrict: NamedCounts[];
  byPollutionType: NamedCounts[];
  complaints: { items: Petition[]; total: number; page: number; pageSize: number };
}

/** The columns of the numbers tables, in the daily report's order. */
export const COUNT_COLUMNS: [string, (c: PetitionCounts) => number][] = [
  ['受理', (c) => c.received],
  ['交办', (c) => c.assigned],
  ['办结', (c) => c.closed],
  ['属实', (c) => c.verdicts.true],
  ['部分属实', (c) => c.verdicts.partly],
  ['不属实', (c) => c.verdicts.untrue],
  ['责令整改', (c) => c.orderedRectify],
  ['立案处罚', (c) => c.caseFiled],
  ['罚款（万元）', (c) => c.fineWan],
  ['拘留', (c) => c.detained],
  ['约谈', (c) => c.interviewed],
  ['问责', (c) => c.accountablePeople],
  ['重复件', (c) => c.duplicates],
];
