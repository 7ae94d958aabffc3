import type { CountRow } from '../petitions.repository.js';

/** The figures the office reports every day for a set of complaints. */
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
  chased: number;
  toLedger: number;
}

export const EMPTY_COUNTS: PetitionCounts = countsOf(undefined);

export function countsOf(r: CountRow | undefined): PetitionCounts {
  return {
    received: r?.received ?? 0,
    assigned: r?.assigned ?? 0,
    closed: r?.closed ?? 0,
    verdicts: { true: r?.true_ ?? 0, partly: r?.partly ?? 0, untrue: r?.untrue ?? 0 },
    orderedRectify: r?.ordered_rectify ?? 0,
    caseFiled: r?.case_filed ?? 0,
    fineWan: Number(r?.fine_wan ?? 0),
    detained: r?.detained ?? 0,
    interviewed: r?.interviewed ?? 0,
    accountablePeople: r?.accountable_people ?? 0,
    duplicates: r?.duplicates ?? 0,
    chased: r?.chased ?? 0,
    toLedger: r?.to_ledger ?? 0,
  };
}

/** The columns of the daily report's tables, in the usual order, with how each is read from the counts. */
export const COUNT_COLUMNS: [string, (c: PetitionCounts) => string][] = [
  ['受理', (c) => String(c.received)],
  ['交办', (c) => String(c.assigned)],
  ['办结', (c) => String(c.closed)],
  ['属实', (c) => String(c.verdicts.true)],
  ['部分属实', (c) => String(c.verdicts.partly)],
  ['不属实', (c) => String(c.verdicts.untrue)],
  ['责令整改', (c) => String(c.orderedRectify)],
  ['立案处罚', (c) => String(c.caseFiled)],
  ['罚款（万元）', (c) => formatWan(c.fineWan)],
  ['拘留（人）', (c) => String(c.detained)],
  ['约谈（人）', (c) => String(c.interviewed)],
  ['问责（人）', (c) => String(c.accountablePeople)],
  ['重复件', (c) => String(c.duplicates)],
];

export function formatWan(n: number): string {
  return (Math.round(n * 100) / 100).toFixed(2).replace(/\.?0+$/, '') || '0';
}

/** One sentence of the totals, as the daily report opens. */
export function countsSentence(c: PetitionCounts): string {
  return (
    `共受理督察组转办信访件${c.received}件（其中重复件${c.duplicates}件），已交办${c.assigned}件，办结${c.closed}件；` +
    `经调查核实，属实${c.verdicts.true}件、部分属实${c.verdicts.partly}件、不属实${c.verdicts.untrue}件。` +
    `责令整改${c.orderedRectify}家，立案处罚${c.caseFiled}家，罚款${formatWan(c.fineWan)}万元，拘留${c.detained}人，` +
    `约谈${c.interviewed}人，问责${c.accountablePeople}人；转入整改清单${c.toLedger}件，逾期催办${c.chased}件。`
  );
}
