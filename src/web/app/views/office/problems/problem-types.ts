// The problem as the ledger API answers it (GET /api/problems, /api/problems/{id}).

export interface Problem {
  id: string;
  code: string;
  source: string | null;
  title: string;
  description: string | null;
  category: string;
  leadUnit: string;
  responsibleUnits: string[];
  responsiblePerson: string | null;
  deadline: string;
  tier: string;
  status: string;
  light: string;
  overdueDays: number;
  createdAt: string;
  signedOffAt: string | null;
  /** 拆分下达: how many problems were split from this one and how many of them are signed off. */
  rollup?: { children: number; signedOff: number; percent: number } | null;
  /** 责任领导: a leader account's username. */
  responsibleLeader?: string | null;
  milestones?: { title: string; dueDate: string; doneDate?: string | null }[];
}

export type ProblemFilters = {
  q: string;
  status: string;
  light: string;
  unit: string;
  category: string;
  overdue: boolean;
};

export const emptyFilters = (): ProblemFilters => ({
  q: '',
  status: '',
  light: '',
  unit: '',
  category: '',
  overdue: false,
});

export interface ImportCellError {
  row: number | null;
  column: string | null;
  message: string;
}
