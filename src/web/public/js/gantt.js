// 倒排工期 against time: each milestone a bar from the previous one's due date to its own, a line for today.
import { h } from './dom.js';

const day = (s) => Date.parse(`${String(s).slice(0, 10)}T00:00:00Z`);

export function gantt(milestones, { start, deadline, today }) {
  if (!milestones.length) return h('p', { class: 'muted', id: 'milestones-empty' }, '尚未制定整改方案节点。');
  const from = day(start);
  const to = Math.max(day(deadline), ...milestones.map((m) => day(m.dueDate)), day(today));
  const span = Math.max(1, to - from);
  const pct = (t) => `${Math.min(100, Math.max(0, ((t - from) / span) * 100)).toFixed(2)}%`;
  let prev = from;
  const rows = milestones.map((m) => {
    const end = day(m.dueDate);
    const done = Boolean(m.doneDate);
    const late = !done && end < day(today);
    const bar = h('div', { class: `g-bar${done ? ' done' : late ? ' late' : ''}`, style: { left: pct(prev), width: `calc(${pct(end)} - ${pct(prev)} + 3px)` }, title: `${m.title}：${m.dueDate}` });
    prev = end;
    return h('div', { class: 'g-row' },
      h('div', {}, m.title),
      h('div', { class: 'g-track' }, bar, h('div', { class: 'g-today', style: { left: pct(day(today)) }, title: `今天 ${today}` })),
      h('div', { class: `small ${late ? 'late' : ''}` }, done ? `已完成 ${m.doneDate}` : `${m.dueDate}${late ? ' 逾期' : ''}`));
  });
  return h('div', { class: 'gantt', id: 'gantt' }, rows,
    h('div', { class: 'g-axis' }, h('span', {}, String(start).slice(0, 10)), h('span', {}, `整改时限 ${deadline}`)));
}
