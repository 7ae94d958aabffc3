// Labels and formats shared by the pages (China time for dates).
import { h } from './dom.js';

export const STATUS = { assigned: '已交办', planning: '制定方案', rectifying: '整改中', applying: '申请销号', closed: '已销号', rechecking: '回头看', rebounded: '已反弹' };
export const LIGHT = { green: '绿', blue: '蓝', yellow: '黄', red: '红' };
export const LIGHT_COLOR = { green: '#2e7d32', blue: '#1565c0', yellow: '#e0a800', red: '#c62828' };
export const ROLE = { admin: '管理员', office: '督办办公室', leader: '领导', inspector: '督察组', unit: '责任单位' };
const DAY = 86_400_000;

export function lightChip(light) {
  return light ? h('span', { class: `chip ${light}`, title: `${LIGHT[light] || light}灯` }, LIGHT[light] || light) : h('span', { class: 'chip grey' }, '—');
}

export function statusTag(status) {
  return h('span', { class: 'status' }, STATUS[status] || status || '—');
}

const CN = 8 * 3_600_000;
export function date(v) {
  if (!v) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const t = new Date(v).getTime();
  return Number.isNaN(t) ? String(v) : new Date(t + CN).toISOString().slice(0, 10);
}

export function dateTime(v) {
  if (!v) return '—';
  const t = new Date(v).getTime();
  return Number.isNaN(t) ? String(v) : new Date(t + CN).toISOString().slice(0, 16).replace('T', ' ');
}

/** A due instant: end-of-day deadlines (00:00 China time of the next day) read as that day's 24:00. */
export function dueText(v) {
  if (!v) return '—';
  const t = new Date(v).getTime();
  if (Number.isNaN(t)) return String(v);
  const cn = new Date(t + CN).toISOString();
  return cn.slice(11, 16) === '00:00' ? `${new Date(t + CN - 1).toISOString().slice(0, 10)} 24:00` : cn.slice(0, 16).replace('T', ' ');
}

/** "剩 3 天" / "逾期 2 天" / "今日到期", by calendar days against `now`. */
export function daysLeft(due, now = Date.now()) {
  if (!due) return h('span', { class: 'muted' }, '无期限');
  const ms = new Date(due).getTime() - now;
  if (ms < 0) return h('span', { class: 'late' }, `逾期 ${Math.max(1, Math.floor(-ms / DAY))} 天`);
  const d = Math.floor(ms / DAY);
  if (d === 0) return h('span', { class: 'soon' }, '今日到期');
  return h('span', { class: d <= 3 ? 'soon' : '' }, `剩 ${d} 天`);
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 3_600_000) return `${Math.max(1, Math.round(ms / 60_000))} 分钟`;
  if (ms < DAY) return `${(ms / 3_600_000).toFixed(1)} 小时`;
  return `${(ms / DAY).toFixed(1)} 天`;
}

/** class-validator's English messages, said in Chinese where a pattern is known. */
export function fieldMessage(message) {
  const m = String(message || '');
  const rules = [
    [/should not be empty|must be longer than or equal to 1 characters|is required|must be a string$/, '必填'],
    [/must be longer than or equal to (\d+)/, (x) => `至少 ${x[1]} 个字`],
    [/must be shorter than or equal to (\d+)/, (x) => `不超过 ${x[1]} 个字`],
    [/ISO 8601|YYYY-MM-DD/, '日期格式应为 年-月-日'],
    [/after the deadline (\d{4}-\d{2}-\d{2})/, (x) => `不得晚于整改时限 ${x[1]}`],
    [/must be a boolean/, '请选择是或否'],
    [/must not be greater than (\d+)/, (x) => `不能大于 ${x[1]}`],
    [/must not be less than (-?\d+)/, (x) => `不能小于 ${x[1]}`],
    [/must be an integer/, '应为整数'],
    [/must be an array/, '请至少填写一项'],
    [/should not exist/, '不接受此项'],
    [/must be a UUID/, '文件标识无效'],
  ];
  for (const [re, say] of rules) {
    const x = re.exec(m);
    if (x) return typeof say === 'function' ? say(x) : say;
  }
  return m;
}
