import { DomainException } from '../common/domain-exception.js';

/**
 * The Chinese working-day calendar as pure rules over data: no database, no clock, no Nest.
 *
 * A day is a working day when it is listed as a make-up working day (调休 'workday'), or when it is a
 * Monday–Friday not listed as a holiday. Every computation refuses a year the calendar has no data for
 * (UnknownYearError naming the year): a deadline is never computed from a silent weekday guess.
 */

export type DayKind = 'holiday' | 'workday';

export interface CalendarDayEntry {
  date: string;
  kind: DayKind;
  name: string | null;
}

/** A computation touched a year with no calendar data. Answered as 422 over HTTP; an incident in the engine. */
export class UnknownYearError extends DomainException {
  constructor(
    readonly year: number,
    context?: string,
  ) {
    super(
      'UNKNOWN_YEAR',
      422,
      `${context ? `${context}：` : ''}${year} 年没有工作日历（节假日安排），期限无法计算到该年；请督办办公室在“工作日历”中录入 ${year} 年的安排`,
      { year },
    );
  }
}

/** A working-day literal or date the rules cannot read. */
export class CalendarInputError extends DomainException {
  constructor(message: string) {
    super('BAD_CALENDAR_INPUT', 422, message);
  }
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** China has kept UTC+8 without daylight saving since 1991. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
/** The most working days a literal or a query may count, about 14 years. */
export const MAX_WORKDAYS = 3650;

export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}

/** The date in China (Asia/Shanghai) at an instant. */
export function chinaDate(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China day is over: 00:00 Asia/Shanghai of the next day. */
export function endOfChinaDay(date: string): number {
  return Date.parse(`${addDays(date, 1)}T00:00:00+08:00`);
}

/** A year's holidays computed by rule for a year without the announced arrangement; null when it cannot be. */
export type ProvisionalSource = (year: number) => CalendarDayEntry[] | null;

type DayMap = Map<string, { kind: DayKind; name: string | null }>;

export class WorkdayCalendar {
  private readonly days: DayMap = new Map();
  private readonly provisionalDays = new Map<number, DayMap | null>();
  readonly years: ReadonlySet<number>;

  /**
   * `years` are the years with the announced arrangement (official). With `provisional`, a year without it is
   * computed by rule (weekends and the statutory holidays) instead of refused, and reported as provisional.
   */
  constructor(
    days: Iterable<CalendarDayEntry>,
    years: Iterable<number>,
    private readonly provisional: ProvisionalSource | null = null,
  ) {
    for (const d of days) this.days.set(d.date, { kind: d.kind, name: d.name });
    this.years = new Set(years);
  }

  /** The year has the announced arrangement. */
  knows(year: number): boolean {
    return this.years.has(year);
  }

  /** The year has no announced arrangement and is computed by rule. */
  isProvisional(year: number): boolean {
    return !this.years.has(year) && this.provisionalYear(year) !== null;
  }

  /** Dates can be computed in this year (announced or provisional). */
  covers(year: number): boolean {
    return this.years.has(year) || this.provisionalYear(year) !== null;
  }

  /** The provisional years a count between two dates (either order) passes through. */
  provisionalYearsBetween(a: string, b: string): number[] {
    const [from, to] = [yearOf(a), yearOf(b)].sort((x, y) => x - y);
    const out: number[] = [];
    for (let y = from; y <= to; y++) if (this.isProvisional(y)) out.push(y);
    return out;
  }

  /** The provisional holidays of a year (empty for an announced year or one that cannot be computed). */
  provisionalEntries(year: number): CalendarDayEntry[] {
    if (this.years.has(year)) return [];
    return [...(this.provisionalYear(year) ?? new Map())].map(([date, d]) => ({ date, ...d }));
  }

  private provisionalYear(year: number): DayMap | null {
    if (!this.provisional) return null;
    if (!this.provisionalDays.has(year)) {
      const entries = this.provisional(year);
      this.provisionalDays.set(
        year,
        entries ? new Map(entries.map((e) => [e.date, { kind: e.kind, name: e.name }])) : null,
      );
    }
    return this.provisionalDays.get(year) ?? null;
  }

  /** The same calendar with one year's data replaced (what a PUT of that year will make). */
  withYear(year: number, entries: CalendarDayEntry[]): WorkdayCalendar {
    const kept: CalendarDayEntry[] = [];
    for (const [date, d] of this.days) if (yearOf(date) !== year) kept.push({ date, ...d });
    return new WorkdayCalendar([...kept, ...entries], [...this.years, year], this.provisional);
  }

  isWorkday(date: string, context?: string): boolean {
    requireDate(date);
    const year = yearOf(date);
    let listed = this.days.get(date);
    if (!this.years.has(year)) {
      const computed = this.provisionalYear(year);
      if (!computed) throw new UnknownYearError(year, context);
      listed = computed.get(date);
    }
    if (listed) return listed.kind === 'workday';
    return !isWeekend(date);
  }

  day(date: string): {
    date: string;
    workday: boolean;
    kind: DayKind | null;
    name: string | null;
    provisional: boolean;
  } {
    const workday = this.isWorkday(date);
    const provisional = this.isProvisional(yearOf(date));
    const listed = provisional ? this.provisionalYear(yearOf(date))?.get(date) : this.days.get(date);
    return { date, workday, kind: listed?.kind ?? null, name: listed?.name ?? null, provisional };
  }

  /**
   * The n-th working day after `date` (n > 0) or before it (n < 0), not counting `date` itself; for n = 0,
   * `date` when it is a working day, else the next working day. Throws UnknownYearError for the first year
   * without data the count reaches (the year of `date` included).
   */
  addWorkdays(date: string, n: number, context?: string): string {
    requireDate(date);
    if (!Number.isInteger(n) || Math.abs(n) > MAX_WORKDAYS)
      throw new CalendarInputError(`工作日数须为 -${MAX_WORKDAYS} 到 ${MAX_WORKDAYS} 之间的整数，而不是 ${n}`);
    let d = date;
    if (n === 0) {
      while (!this.isWorkday(d, context)) d = addDays(d, 1);
      return d;
    }
    if (!this.covers(yearOf(date))) throw new UnknownYearError(yearOf(date), context);
    const step = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0;) {
      d = addDays(d, step);
      if (this.isWorkday(d, context)) left--;
    }
    return d;
  }
}

function requireDate(date: string): void {
  if (!isValidDate(date)) throw new CalendarInputError(`“${date}”不是日期（应为 YYYY-MM-DD）`);
}

// ---------------------------------------------------------------------------------------------------------
// Working-day literals: `workdays(N)` and `workdays(N, BASE)`, in BPMN timers and camunda:dueDate.

export interface WorkdaysLiteral {
  n: number;
  /** The base as written (after the engine substituted variables); null for "from now". */
  base: string | null;
}

const LITERAL_START = /^workdays\s*\(/i;
const LITERAL_RE = /^workdays\s*\(\s*([+-]?\d+)\s*(?:,\s*(.*?)\s*)?\)$/is;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;
/** What String(date) gives when the engine substitutes a Date object: "Thu Oct 08 2026 08:00:00 GMT+0800 (…)". */
const JS_DATE_STRING = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}/;

export function isWorkdaysLiteral(value: string): boolean {
  return LITERAL_START.test(String(value).trim());
}

/** null when `value` is not a working-day literal at all; throws when it starts like one but is malformed. */
export function parseWorkdaysLiteral(value: string): WorkdaysLiteral | null {
  const text = String(value).trim();
  if (!LITERAL_START.test(text)) return null;
  const m = LITERAL_RE.exec(text);
  if (!m) throw new CalendarInputError(`“${text}”不是工作日表达式：应写作 workdays(N) 或 workdays(N, YYYY-MM-DD)`);
  const n = Number(m[1]);
  if (Math.abs(n) > MAX_WORKDAYS) throw new CalendarInputError(`“${text}”：最多 ${MAX_WORKDAYS} 个工作日`);
  return { n, base: m[2] === undefined ? null : m[2].replace(/^(['"])(.*)\1$/, '$2').trim() };
}

/** The China date a literal's base names: a date, an ISO datetime (no offset = China time), or a JS date string. */
export function baseDate(base: string, literal: string): string {
  if (!base) throw new CalendarInputError(`${literal}：起算日期为空（流程变量是否已设置？）`);
  if (DATE_RE.test(base)) {
    if (!isValidDate(base)) throw new CalendarInputError(`${literal}：“${base}”不是日期`);
    return base;
  }
  const iso = ISO_DATETIME.exec(base);
  let at = NaN;
  if (iso) {
    const zone = iso[3]
      ? iso[3].toUpperCase() === 'Z'
        ? 'Z'
        : iso[3].length === 5
          ? `${iso[3].slice(0, 3)}:${iso[3].slice(3)}`
          : iso[3]
      : '+08:00';
    at = isValidDate(iso[1]) ? Date.parse(`${iso[1]}T${iso[2]}${zone}`) : NaN;
  } else if (JS_DATE_STRING.test(base)) {
    at = Date.parse(base);
  }
  if (isNaN(at)) throw new CalendarInputError(`${literal}：“${base}”不是日期（YYYY-MM-DD）或 ISO 时间`);
  return chinaDate(at);
}

export interface ResolvedWorkdays {
  /** The computed working day; null when the base is still a `${…}` template (deploy-time check). */
  date: string | null;
  /** End of that working day: 00:00 Asia/Shanghai of the next day. NaN for a template base. */
  expireAt: number;
  /** The years without the announced arrangement the count went through (computed by rule): provisional. */
  provisionalYears: number[];
}

/**
 * Resolves a working-day literal at `now` (the step's clock), or null when `value` is not one.
 * A base still holding `${…}` only reaches here from the deploy-time syntax check (at run time the engine
 * has substituted it): it is accepted as syntax with expireAt NaN, which a timer would refuse.
 */
export function resolveWorkdaysLiteral(calendar: WorkdayCalendar, value: string, now: number): ResolvedWorkdays | null {
  const literal = parseWorkdaysLiteral(value);
  if (!literal) return null;
  const text = String(value).trim();
  if (literal.base !== null && literal.base.includes('${')) return { date: null, expireAt: NaN, provisionalYears: [] };
  const from = literal.base === null ? chinaDate(now) : baseDate(literal.base, text);
  const date = calendar.addWorkdays(from, literal.n, text);
  return { date, expireAt: endOfChinaDay(date), provisionalYears: calendar.provisionalYearsBetween(from, date) };
}

// ---------------------------------------------------------------------------------------------------------
// The chase of an overdue task: `overdue(DUE, EVERY, TIMES)` on a non-interrupting timer boundary event.
// DUE is the task's own due date (a working-day literal or a date); the first chase is at 09:00 of the first
// working day after it, the next ones every EVERY working days at 09:00, TIMES in all. The boundary ends with
// the task, and so does the chase.

export const MAX_CHASES = 100;
const OVERDUE_START = /^overdue\s*\(/i;
const OVERDUE_RE = /^overdue\s*\(\s*(.+?)\s*,\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)$/is;

export interface ResolvedChase {
  /** 09:00 China time of the next chase; NaN while a part is still a `${…}` template (deploy-time check). */
  expireAt: number;
  /** Chases left, this one included (an upper bound on a repeat: the timer keeps its own count). */
  repeat: number;
  provisionalYears: number[];
}

export function isOverdueLiteral(value: string): boolean {
  return OVERDUE_START.test(String(value).trim());
}

/** 09:00 China time of `date`: when the office's day starts, and a chase is sent. */
export function officeMorning(date: string): number {
  return Date.parse(`${date}T09:00:00+08:00`);
}

/**
 * The next chase after `now`, or null when `value` is not an `overdue(…)` literal. `repeating`: the chase
 * that just fired was at `now`, and the next one is EVERY working days on (the due date is not counted again:
 * a due date written `workdays(N)` counts from the moment it is read).
 */
export function resolveOverdueLiteral(
  calendar: WorkdayCalendar,
  value: string,
  now: number,
  repeating = false,
): ResolvedChase | null {
  const text = String(value).trim();
  if (!OVERDUE_START.test(text)) return null;
  const m = OVERDUE_RE.exec(text);
  if (!m) throw new CalendarInputError(`“${text}”不是逾期催办表达式：应写作 overdue(期限, 每隔工作日数, 最多次数)`);
  const [, due, everyText, timesText] = m;
  if ([due, everyText, timesText].some((x) => x.includes('${')))
    return { expireAt: NaN, repeat: 1, provisionalYears: [] };
  const every = Number(everyText);
  const times = Number(timesText);
  if (!Number.isInteger(every) || every < 1 || every > MAX_WORKDAYS)
    throw new CalendarInputError(`“${text}”：催办间隔须为 1 到 ${MAX_WORKDAYS} 之间的整数个工作日`);
  if (!Number.isInteger(times) || times < 1 || times > MAX_CHASES)
    throw new CalendarInputError(`“${text}”：催办次数须为 1 到 ${MAX_CHASES} 之间的整数`);
  if (repeating) {
    const from = chinaDate(now);
    const next = calendar.addWorkdays(from, every, text);
    return {
      expireAt: officeMorning(next),
      repeat: times,
      provisionalYears: calendar.provisionalYearsBetween(from, next),
    };
  }
  let dueDate: string;
  if (isWorkdaysLiteral(due)) {
    const r = resolveWorkdaysLiteral(calendar, due, now);
    if (!r || r.date === null) return { expireAt: NaN, repeat: 1, provisionalYears: [] };
    dueDate = r.date;
  } else dueDate = baseDate(due.replace(/^(['"])(.*)\1$/, '$2').trim(), text);
  let date = calendar.addWorkdays(dueDate, 1, text);
  let k = 0;
  while (officeMorning(date) <= now && k < times - 1) {
    date = calendar.addWorkdays(date, every, text);
    k++;
  }
  // Every chase is past (a task that arrived long overdue): it is chased once, now.
  const expireAt = officeMorning(date) <= now ? now : officeMorning(date);
  return { expireAt, repeat: times - k, provisionalYears: calendar.provisionalYearsBetween(dueDate, date) };
}

/**
 * The due time a stored timer's literal gives under `calendar`, its row created at `createdAt`: a working-day
 * literal counts from then, and so does a chase's first occurrence; a later chase (`repeating`) counts from the
 * chase before it, whose firing wrote the row. Null when the literal is not one of ours (or still a template).
 */
export function literalExpireAt(
  calendar: WorkdayCalendar,
  spec: string,
  createdAt: number,
  repeating = false,
): number | null {
  const chase = resolveOverdueLiteral(calendar, spec, createdAt, repeating);
  if (chase) return isNaN(chase.expireAt) ? null : chase.expireAt;
  const r = resolveWorkdaysLiteral(calendar, spec, createdAt);
  return r && !isNaN(r.expireAt) ? r.expireAt : null;
}

/**
 * Which occurrence a pending timer row is, as far as its due time tells: false for a working-day literal or a
 * chase's first occurrence, true for a later chase; null when `spec` under `calendar` gives neither `current`
 * (the due time was moved by hand, an extension, or the literal cannot be computed). A row written once the
 * series had begun (its first chase was past when it was written: a chase fired and wrote the next) is taken
 * as a later chase, counted from the one before.
 */
export function occurrenceOf(
  calendar: WorkdayCalendar,
  spec: string,
  createdAt: number,
  current: number,
): boolean | null {
  const at = (repeating: boolean): number | null => {
    try {
      return literalExpireAt(calendar, spec, createdAt, repeating);
    } catch {
      // Not computable under this calendar: not how the row got its due time.
      return null;
    }
  };
  if (!isOverdueLiteral(spec)) return at(false) === current ? false : null;
  let began: boolean;
  try {
    const first = resolveOverdueLiteral(calendar, spec, createdAt, false);
    const times = Number(OVERDUE_RE.exec(String(spec).trim())?.[3]);
    began = first !== null && first.repeat < times;
  } catch {
    began = false;
  }
  for (const repeating of began ? [true, false] : [false, true]) if (at(repeating) === current) return repeating;
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// A year as the office writes it.

export interface YearInput {
  holidays: { date: string; name?: string | null }[];
  workdays: { date: string; name?: string | null }[];
  note?: string | null;
}

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

/** What is wrong with a year's data, field by field; empty when it can be stored. */
export function checkYearInput(year: number, input: YearInput): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    problems.push({ field: 'year', message: `年份须在 ${MIN_YEAR} 到 ${MAX_YEAR} 之间` });
    return problems;
  }
  const seen = new Map<string, string>();
  for (const list of ['holidays', 'workdays'] as const) {
    (input[list] ?? []).forEach((d, i) => {
      const field = `${list}[${i}].date`;
      const date = d?.date;
      if (typeof date !== 'string' || !isValidDate(date))
        return void problems.push({ field, message: `“${date}”不是日期（应为 YYYY-MM-DD）` });
      if (yearOf(date) !== year) return void problems.push({ field, message: `${date} 不在 ${year} 年内` });
      const before = seen.get(date);
      if (before === list)
        return void problems.push({
          field,
          message: `${date} 在${list === 'holidays' ? '节假日' : '调休上班日'}中重复列出`,
        });
      if (before) return void problems.push({ field, message: `${date} 同时列为节假日和调休上班日` });
      seen.set(date, list);
      if (list === 'workdays' && !isWeekend(date))
        problems.push({ field, message: `${date} 是周一至周五，本来就是工作日；调休上班日应是周六或周日` });
    });
  }
  return problems;
}

export function yearEntries(input: YearInput): CalendarDayEntry[] {
  return [
    ...input.holidays.map((d) => ({ date: d.date, kind: 'holiday' as const, name: d.name ?? null })),
    ...input.workdays.map((d) => ({ date: d.date, kind: 'workday' as const, name: d.name ?? null })),
  ];
}
