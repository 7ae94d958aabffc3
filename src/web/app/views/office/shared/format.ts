// Dates as people write them: tables 2026-12-02, documents 2026年12月2日 (China time, whatever the browser's zone).

const CN = 8 * 3_600_000;

function chinaIso(v: string | number | Date): string | null {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T00:00`;
  const t = new Date(v).getTime();
  return Number.isNaN(t) ? null : new Date(t + CN).toISOString().slice(0, 16);
}

export function tableDate(v: string | number | Date | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  return chinaIso(v)?.slice(0, 10) ?? String(v);
}

export function tableDateTime(v: string | number | Date | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  return chinaIso(v)?.replace('T', ' ') ?? String(v);
}

export function docDate(v: string | number | Date | null | undefined): string {
  const d = v === null || v === undefined || v === '' ? null : chinaIso(v);
  if (!d) return '—';
  const [y, m, day] = d.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

/** 2017-12 → 2017年12月 */
export function monthText(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[1]}年${Number(m[2])}月` : month;
}

/** Today in China, YYYY-MM-DD. */
export function chinaToday(now = Date.now()): string {
  return new Date(now + CN).toISOString().slice(0, 10);
}

/** The month before the current one, YYYY-MM (the latest a bulletin can be published for). */
export function lastMonth(now = Date.now()): string {
  const d = new Date(now + CN);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}
