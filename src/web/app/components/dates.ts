const CN = 8 * 3_600_000;
const DAY = 86_400_000;

/** China time: 2026-12-02 in tables (with `time`: 2026-12-02 14:30), 2026年12月2日 in documents. */
export function formatDate(
  v: string | number | Date | null | undefined,
  opts: { time?: boolean; document?: boolean } = {},
): string {
  if (v === null || v === undefined || v === '') return '—';
  let iso: string;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) iso = `${v}T00:00:00.000Z`;
  else {
    const t = new Date(v).getTime();
    if (Number.isNaN(t)) return String(v);
    iso = new Date(t + CN).toISOString();
  }
  if (opts.document) return `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
  return opts.time ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 10);
}

/** A due instant: end-of-day deadlines (00:00 China time of the next day) read as that day's 24:00. */
export function dueText(v: string | null | undefined): string {
  if (!v) return '—';
  const t = new Date(v).getTime();
  if (Number.isNaN(t)) return String(v);
  const cn = new Date(t + CN).toISOString();
  return cn.slice(11, 16) === '00:00'
    ? `${new Date(t + CN - 1).toISOString().slice(0, 10)} 24:00`
    : cn.slice(0, 16).replace('T', ' ');
}

/** "剩 3 天" / "逾期 2 天" / "今日到期", by calendar days against `now`, with a class for its colour. */
export function daysLeft(due: string | null | undefined, now = Date.now()): { text: string; cls: string } {
  if (!due) return { text: '无期限', cls: 'muted' };
  const ms = new Date(due).getTime() - now;
  if (ms < 0) return { text: `逾期 ${Math.max(1, Math.floor(-ms / DAY))} 天`, cls: 'late' };
  const d = Math.floor(ms / DAY);
  if (d === 0) return { text: '今日到期', cls: 'soon' };
  return { text: `剩 ${d} 天`, cls: d <= 3 ? 'soon' : '' };
}

/** Today in China, YYYY-MM-DD. */
export function todayCn(): string {
  return new Date(Date.now() + CN).toISOString().slice(0, 10);
}
