import type { DataSource } from 'typeorm';
import type { AssessmentData } from '../reports/assessment/assessment-rules.js';
import { chinaDate } from '../problems/rules/china-date.js';
import { percent } from '../reports/rules/bulletin-rules.js';

/** What one simulated month did, read back from the ledger, the supervision record and the bulletins. */
export interface MonthSummary {
  month: string;
  open: number;
  closed: number;
  lights: Record<'red' | 'yellow' | 'blue' | 'green', number>;
  newRed: string[];
  actions: Record<string, number>;
  reports: { asked: number; missing: number };
  /** 回头看 done in the month, the problems they found effective (见效), and the rebounds they found. */
  rechecks: number;
  effective: number;
  rebounds: number;
  /** 销号公示 opened in the month, the objections filed, and the notices an upheld objection sent back. */
  notices: { opened: number; objections: number; upheld: number };
  bulletins: { month: string; documentNo: string; named: number }[];
}

export const ACTION_COLUMNS: [string, string][] = [
  ['reminder', '提醒'],
  ['urge', '催报'],
  ['notice', '督办单'],
  ['bulletin', '通报'],
  ['interview', '约谈'],
  ['inspection', '专项督察'],
  ['accountability', '追责'],
  ['extension', '延期'],
];

export async function monthSummary(
  db: DataSource,
  month: string,
  from: Date,
  to: Date,
  redBefore: Set<string>,
): Promise<{ summary: MonthSummary; red: Set<string> }> {
  const problems: { code: string; status: string; light: string }[] = await db.query(
    `SELECT code, status, light FROM problem ORDER BY code`,
  );
  const open = problems.filter((p) => ['assigned', 'planning', 'rectifying', 'applying'].includes(p.status));
  const lights = { red: 0, yellow: 0, blue: 0, green: 0 };
  for (const p of open) lights[p.light as keyof typeof lights]++;
  const red = new Set(open.filter((p) => p.light === 'red').map((p) => p.code));
  const actions: Record<string, number> = {};
  if (await exists(db, 'supervision_action')) {
    const rows: { type: string; n: number }[] = await db.query(
      // Documents, not rows: a monthly 督办单 lists a unit's problems under one number.
      `SELECT type, count(DISTINCT coalesce(document_no, id::text))::int AS n FROM supervision_action WHERE issued_at >= $1 AND issued_at < $2 GROUP BY type`,
      [from, to],
    );
    for (const r of rows) actions[r.type] = r.n;
  }
  const [reports] = await db.query(
    `SELECT count(DISTINCT (r.unit_code, pid))::int AS asked,
       count(DISTINCT (r.unit_code, pid)) FILTER (WHERE p.signed_off_at IS NULL AND NOT EXISTS
         (SELECT 1 FROM problem_progress g WHERE g.problem_id = pid AND g.month = r.month AND g.unit_code = r.unit_code))::int AS missing
     FROM monthly_report_request r CROSS JOIN LATERAL unnest(r.problem_ids) AS pid JOIN problem p ON p.id = pid WHERE r.month = $1`,
    [month],
  );
  const [rc] = await db.query(
    `SELECT count(*) FILTER (WHERE activity_id = 'recheck')::int AS rechecks, count(*) FILTER (WHERE activity_id = 'openRound')::int AS rebounds
     FROM engine_history WHERE activity_id IN ('recheck', 'openRound') AND ended_at >= $1 AND ended_at < $2 AND NOT canceled`,
    [from, to],
  );
  const [ef] = (await exists(db, 'problem_effect_check'))
    ? await db.query(
        `SELECT count(*) FILTER (WHERE effective)::int AS effective FROM problem_effect_check WHERE checked_at >= $1 AND checked_at < $2`,
        [from, to],
      )
    : [];
  const [nt] = (await exists(db, 'signoff_notice'))
    ? await db.query(
        `SELECT (SELECT count(*) FROM signoff_notice WHERE started_at >= $1 AND started_at < $2)::int AS opened,
           (SELECT count(*) FROM signoff_objection WHERE created_at >= $1 AND created_at < $2)::int AS objections,
           (SELECT count(*) FROM signoff_notice WHERE outcome = 'objected' AND closed_at >= $1 AND closed_at < $2)::int AS upheld`,
        [from, to],
      )
    : [];
  const bulletins: { month: string; document_no: string; named: number }[] = await db.query(
    `SELECT month, document_no, jsonb_array_length(snapshot -> 'laggards')::int AS named FROM bulletin WHERE published_at >= $1 AND published_at < $2 ORDER BY month`,
    [from, to],
  );
  return {
    red,
    summary: {
      month,
      open: open.length,
      closed: problems.filter((p) => p.status === 'closed').length,
      lights,
      newRed: [...red].filter((c) => !redBefore.has(c)),
      actions,
      reports: { asked: reports?.asked ?? 0, missing: reports?.missing ?? 0 },
      rechecks: rc?.rechecks ?? 0,
      effective: ef?.effective ?? 0,
      rebounds: rc?.rebounds ?? 0,
      notices: { opened: nt?.opened ?? 0, objections: nt?.objections ?? 0, upheld: nt?.upheld ?? 0 },
      bulletins: bulletins.map((b) => ({ month: b.month, documentNo: b.document_no, named: b.named })),
    },
  };
}

/** One line per month, the way the office would read it. */
export function formatMonth(s: MonthSummary): string {
  const acts = ACTION_COLUMNS.map(([k, label]) => `${label}${s.actions[k] ?? 0}`).join(' ');
  const bulletins = s.bulletins.length
    ? s.bulletins.map((b) => `${b.documentNo}(${b.month}) 点名${b.named}`).join('，')
    : '—';
  return [
    s.month,
    `在办${pad(s.open)} 销号${pad(s.closed)}`,
    `灯 红${s.lights.red} 黄${s.lights.yellow} 蓝${s.lights.blue} 绿${s.lights.green}`,
    `新红灯${s.newRed.length}`,
    acts,
    `月报 应报${s.reports.asked} 未报${s.reports.missing}`,
    `回头看${s.rechecks} 见效${s.effective} 反弹${s.rebounds}`,
    `公示${s.notices.opened} 异议${s.notices.objections} 退回${s.notices.upheld}`,
    `通报 ${bulletins}`,
  ].join(' | ');
}

const pad = (n: number) => String(n).padStart(3);

/** One rung (action type): how many were taken, the first and the last date (China) they were issued. */
export interface RungRow {
  type: string;
  label: string;
  count: number;
  first: string | null;
  last: string | null;
}

/** Per rung over the whole run, in ladder order. */
export async function rungTable(db: DataSource): Promise<RungRow[]> {
  const rows: { type: string; n: number; first: string; last: string }[] = (await exists(db, 'supervision_action'))
    ? await db.query(
        `SELECT type, count(DISTINCT coalesce(document_no, id::text))::int AS n, to_char(min(issued_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS first,
         to_char(max(issued_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS last FROM supervision_action GROUP BY type`,
      )
    : [];
  const by = new Map(rows.map((r) => [r.type, r]));
  return ACTION_COLUMNS.map(([type, label]) => ({
    type,
    label,
    count: by.get(type)?.n ?? 0,
    first: by.get(type)?.first ?? null,
    last: by.get(type)?.last ?? null,
  }));
}

export function formatRungTable(rows: RungRow[]): string[] {
  return [
    '措施　　　　 次数  首次        末次',
    ...rows.map(
      (r) =>
        `${r.label.padEnd(6, '　')} ${String(r.count).padStart(5)}  ${(r.first ?? '—').padEnd(10)}  ${r.last ?? '—'}`,
    ),
  ];
}

async function exists(db: DataSource, table: string): Promise<boolean> {
  const [row] = await db.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table]);
  return Boolean(row?.present);
}

/** A co-unit's parts (分工) over the run: how many, done on time, done late, still late; the ladder's documents to it. */
export interface CoUnitRow {
  unit: string;
  name: string;
  parts: number;
  onTime: number;
  doneLate: number;
  openLate: number;
  documents: number;
}

export async function coUnitTable(db: DataSource, today: string): Promise<CoUnitRow[]> {
  if (!(await exists(db, 'problem_part'))) return [];
  const rows: CoUnitRow[] = await db.query(
    `SELECT pp.unit_code AS unit, u.name, count(*)::int AS parts,
       count(*) FILTER (WHERE pp.done_at IS NOT NULL AND (pp.done_at AT TIME ZONE 'Asia/Shanghai')::date <= pp.deadline)::int AS "onTime",
       count(*) FILTER (WHERE pp.done_at IS NOT NULL AND (pp.done_at AT TIME ZONE 'Asia/Shanghai')::date > pp.deadline)::int AS "doneLate",
       count(*) FILTER (WHERE pp.done_at IS NULL AND pp.deadline < $1::date)::int AS "openLate",
       (SELECT count(*)::int FROM supervision_action a WHERE a.unit_code = pp.unit_code AND a.body ? 'partId') AS documents
     FROM problem_part pp JOIN org_unit u ON u.code = pp.unit_code WHERE pp.started_at IS NOT NULL
     GROUP BY pp.unit_code, u.name ORDER BY pp.unit_code`,
    [today],
  );
  // The latest first: late parts still open and done late.
  return rows.sort((a, b) => b.openLate + b.doneLate - (a.openLate + a.doneLate) || a.unit.localeCompare(b.unit));
}

export function formatCoUnitTable(rows: CoUnitRow[]): string[] {
  if (!rows.length) return ['配合单位分工：无'];
  return [
    '配合单位分工　　　　　　分工 按期 逾期完成 逾期未完成 督办文书',
    ...rows.map(
      (r) =>
        `${r.name.padEnd(12, '　')} ${pad(r.parts)}  ${pad(r.onTime)}  ${pad(r.doneLate)}     ${pad(r.openLate)}       ${pad(r.documents)}`,
    ),
  ];
}

/** The year's score lines (年度考核): rank, unit, on-time rate, 通报/约谈/追责, score. */
export function formatScores(a: AssessmentData): string[] {
  if (!a.units.length) return [`${a.year}年度考核：无`];
  return [
    `${a.year}年度考核（截至${chinaDate(Date.parse(a.asOf) - 1)}）　排名 单位 按期完成率 销号 见效 通报 约谈 追责 反弹 缺报 得分`,
    ...a.units.map(
      (u) =>
        `${pad(u.rank)} ${u.unitName.padEnd(12, '　')} ${percent(u.onTimeRate.value).padStart(6)} ${pad(u.signedOff.value)} ${pad(u.effective.value)} ${pad(u.bulletins.value)} ${pad(u.interviews.value)} ${pad(u.accountabilities.value)} ${pad(u.rebounds.value)} ${pad(u.missingReports.value)} ${String(u.score).padStart(7)}`,
    ),
  ];
}
