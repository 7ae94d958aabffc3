import type { UnitDirectory } from '../../org/unit-directory.js';
import type { Tier } from '../problem-status.js';
import { ymd } from '../rules/china-date.js';
import { tierOf } from '../rules/problem-rules.js';
import { COLUMNS, REQUIRED, type CellError, type ColumnKey } from './import-columns.js';
import type { Cell, SheetRow } from './xlsx-sheet-reader.js';

export interface ProblemDraft {
  row: number;
  code: string;
  title: string;
  description: string | null;
  category: string;
  source: string | null;
  leadUnit: string;
  responsibleUnits: string[];
  person: string;
  deadline: string;
  tier: Tier;
  goal: string;
  recheckMonths: number;
  /** 责任领导: the leader account's username. */
  responsibleLeader: string | null;
  /** 分级交办: the problem of the level above this one is a part of (its progress rolls up there). */
  parentId?: string | null;
  /** Accepted, but the office should know (a deadline already passed: overdue on arrival). */
  warnings: CellError[];
}

export interface RowContext {
  units: UnitDirectory;
  /** The import date in China: deadlines count from it. */
  today: string;
  /** Working days of the Chinese calendar; throws for a year the calendar has no data for. */
  addWorkdays: (from: string, n: number) => string;
  /** Codes already in the ledger. */
  stored: ReadonlySet<string>;
  /** Codes met earlier in this file, with their row. */
  seen: Map<string, number>;
  defaultSource: string | null;
  /** Leader accounts by username and by person name (null: a name several leaders share). */
  leaders?: ReadonlyMap<string, string | null>;
  /** 分级督办: the units the importing office supervises (its subtree); absent for an office at the root. */
  scope?: ReadonlySet<string>;
  /** The problems rows name as 上级问题编号, by code, with the units below each one's lead unit. */
  parents?: ReadonlyMap<string, ParentProblem>;
}

/** A problem of a higher level a row may be a part of. */
export interface ParentProblem {
  id: string;
  leadUnit: string;
  deadline: string;
  open: boolean;
  /** The units below its lead unit (not the lead unit itself). */
  below: ReadonlySet<string>;
}

const CODE = /^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_\-.()（）〔〕\[\]#/]{0,63}$/;
const LIMITS: Partial<Record<ColumnKey, number>> = {
  code: 64,
  title: 500,
  description: 4000,
  category: 50,
  leadUnit: 100,
  units: 2000,
  person: 100,
  goal: 2000,
  source: 200,
  responsibleLeader: 100,
  parent: 64,
};
const MAX_WORKDAYS = 1000;
const SHOWN = 60;

/** A cell's text as a message quotes it: long texts cut, so a refusal stays short whatever the file holds. */
export function shown(s: string): string {
  return s.length > SHOWN ? `${s.slice(0, SHOWN)}…` : s;
}

/** One row of the problem list → a draft, or every bad cell of the row. */
export function checkRow(r: SheetRow, ctx: RowContext): { draft: ProblemDraft } | { errors: CellError[] } {
  const errors: CellError[] = [];
  const fail = (key: ColumnKey, message: string) => errors.push({ row: r.row, column: COLUMNS[key], message });
  const text = (key: ColumnKey): string | null => {
    const c: Cell = r.cells[key] ?? { kind: 'empty' };
    if (c.kind === 'bad') return (void fail(key, c.message), null);
    if (c.kind === 'empty') return (void (REQUIRED.includes(key) && fail(key, `${COLUMNS[key]}为必填项`)), null);
    const s = c.kind === 'text' ? c.text : c.kind === 'number' ? String(c.value) : c.date.toISOString().slice(0, 10);
    const max = LIMITS[key];
    if (max && s.length > max) return (void fail(key, `超过 ${max} 个字符`), null);
    return s;
  };

  const code = text('code');
  if (code !== null) {
    if (!CODE.test(code))
      fail('code', `“${shown(code)}”不能用作编号（只能用字母、数字、汉字和 - _ . / # 括号，最多 64 个字符）`);
    else if (ctx.seen.has(code)) fail('code', `编号 ${code} 重复：第 ${ctx.seen.get(code)} 行也是此编号`);
    else if (ctx.stored.has(code)) fail('code', `编号 ${code} 已在台账中`);
    if (!ctx.seen.has(code)) ctx.seen.set(code, r.row);
  }
  const title = text('title');
  const description = text('description');
  const category = text('category');
  const source = text('source') ?? ctx.defaultSource;
  const person = text('person');
  const goal = text('goal');
  const leaderRef = text('responsibleLeader');
  let responsibleLeader: string | null = null;
  if (leaderRef !== null) {
    const found = ctx.leaders?.get(leaderRef.trim());
    if (found === undefined) fail('responsibleLeader', `没有用户名或姓名为“${shown(leaderRef)}”的领导账号`);
    else if (found === null) fail('responsibleLeader', `姓名“${shown(leaderRef)}”对应多个领导账号，请填写用户名`);
    else responsibleLeader = found;
  }

  const leadRef = text('leadUnit');
  const lead = leadRef === null ? null : ctx.units.resolve(leadRef);
  if (leadRef !== null && !lead) fail('leadUnit', `未知单位：${shown(leadRef)}`);

  const responsible: string[] = [];
  const unitsText = text('units');
  if (unitsText !== null) {
    const refs = unitsText
      .split(/[、,，;；\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = refs.filter((ref) => !ctx.units.resolve(ref));
    if (unknown.length) fail('units', `未知单位：${shown(unknown.join('、'))}`);
    for (const ref of refs) {
      const u = ctx.units.resolve(ref);
      if (u && !responsible.includes(u.code)) responsible.push(u.code);
    }
  }
  // The lead unit is always a responsible unit, and listed first.
  if (lead) responsible.splice(0, responsible.length, lead.code, ...responsible.filter((u) => u !== lead.code));
  // 分级督办: an office of a lower level assigns to the units of its own subtree only.
  if (ctx.scope && lead && !ctx.scope.has(lead.code)) fail('leadUnit', `${lead.name} 不在本办公室督办的范围内`);
  const outside = ctx.scope ? responsible.filter((u) => u !== lead?.code && !ctx.scope!.has(u)) : [];
  if (outside.length)
    fail('units', `${shown(outside.map((u) => ctx.units.name(u)).join('、'))} 不在本办公室督办的范围内`);

  const deadline = parseDeadline(r.cells.deadline ?? { kind: 'empty' }, ctx);
  if ('error' in deadline) fail('deadline', deadline.error);

  // 分级交办: a part of a problem of the level above, for a unit below that problem's lead unit, due by its deadline.
  const parentRef = text('parent');
  let parentId: string | null = null;
  if (parentRef !== null) {
    const parent = ctx.parents?.get(parentRef.trim());
    if (!parent) fail('parent', `上级问题 ${shown(parentRef)} 不在台账中`);
    else if (!parent.open) fail('parent', `上级问题 ${shown(parentRef)} 已不在整改中，不能再向下交办`);
    else {
      if (lead && !parent.below.has(lead.code))
        fail(
          'leadUnit',
          `${lead.name} 不是上级问题 ${parentRef.trim()} 的牵头单位 ${ctx.units.name(parent.leadUnit)} 的下级单位`,
        );
      if ('date' in deadline && deadline.date > parent.deadline)
        fail('deadline', `整改时限 ${deadline.date} 晚于上级问题的整改时限 ${parent.deadline}`);
      parentId = parent.id;
    }
  }

  let recheckMonths = 6;
  const rc = r.cells.recheckMonths ?? { kind: 'empty' };
  if (rc.kind === 'bad') fail('recheckMonths', rc.message);
  else if (rc.kind !== 'empty') {
    const n = rc.kind === 'number' ? rc.value : rc.kind === 'text' && /^\d+$/.test(rc.text) ? Number(rc.text) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 120) fail('recheckMonths', '应为 1 到 120 之间的整月数');
    else recheckMonths = n;
  }

  if (errors.length || !code || !title || !category || !lead || !person || !goal || !('date' in deadline))
    return { errors };
  const warnings: CellError[] = [];
  if (deadline.date < ctx.today) {
    warnings.push({
      row: r.row,
      column: COLUMNS.deadline,
      message: `整改时限${deadline.date}早于交办日期${ctx.today}：该问题交办即逾期，督办只采取已到的最高一级措施，并写明越过的各级`,
    });
  }
  return {
    draft: {
      row: r.row,
      code,
      title,
      description,
      category,
      source,
      leadUnit: lead.code,
      responsibleUnits: responsible,
      person,
      deadline: deadline.date,
      tier: tierOf(ctx.today, deadline.date),
      goal,
      recheckMonths,
      responsibleLeader,
      parentId,
      warnings,
    },
  };
}

/** A date cell, a 'YYYY-MM-DD' / 'YYYY年M月D日' text, or a number of working days from today. */
export function parseDeadline(
  c: Cell,
  ctx: Pick<RowContext, 'today' | 'addWorkdays'>,
): { date: string } | { error: string } {
  let date: string | null = null;
  if (c.kind === 'empty') return { error: `${COLUMNS.deadline}为必填项` };
  if (c.kind === 'bad') return { error: c.message };
  if (c.kind === 'date') {
    // Excel dates carry no zone; the parser hands them over as UTC midnight of the day shown.
    date = ymd(c.date.getUTCFullYear(), c.date.getUTCMonth() + 1, c.date.getUTCDate());
  } else if (c.kind === 'number' || /^\d+$/.test(c.text)) {
    const n = c.kind === 'number' ? c.value : Number(c.text);
    if (!Number.isInteger(n) || n < 1 || n > MAX_WORKDAYS) {
      return { error: `此处的数字表示工作日数（1–${MAX_WORKDAYS}）；填日期请用日期格式单元格或 YYYY-MM-DD` };
    }
    try {
      date = ctx.addWorkdays(ctx.today, n);
    } catch (e) {
      return { error: `自 ${ctx.today} 起 ${n} 个工作日：${(e as Error).message}` };
    }
  } else {
    const m = /^(\d{4})\s*(?:-|\/|\.|年)\s*(\d{1,2})\s*(?:-|\/|\.|月)\s*(\d{1,2})\s*日?$/.exec(c.text);
    if (!m) return { error: `“${shown(c.text)}”不是日期：请用日期格式单元格、YYYY-MM-DD 或 YYYY年M月D日` };
    date = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!date) return { error: `“${shown(c.text)}”不是有效日期` };
  }
  if (!date) return { error: '不是有效日期' };
  // A deadline already passed is accepted (the problem is overdue on arrival; checkRow warns).
  return { date };
}
