// 目标任务: the seed's targets against the monthly values the office enters (GET /api/indicators).
import { api } from './api.js';
import { clear, h } from './dom.js';
import { has } from './features.js';

export function indicatorsCard(seedTargets) {
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  const card = h('div', { class: 'card', id: 'indicators' }, h('h2', {}, '目标任务完成情况'), body);
  has('get', '/api/indicators')
    .then((yes) => (yes ? api('/api/indicators') : []))
    .then((list) => draw(Array.isArray(list) ? list : list?.items || []))
    .catch(() => draw([]));

  function draw(list) {
    const key = (code) => String(code).toLowerCase().replace(/[^a-z0-9]/g, '');
    const byCode = new Map(list.map((i) => [key(i.code), i]));
    const rows = seedTargets.map((t) => {
      const i = byCode.get(key(t.code));
      byCode.delete(key(t.code));
      return row(i?.name ?? t.name, i?.direction ?? t.direction, i?.targets?.at(-1)?.target ?? t.target, i?.unit ?? t.unit, i);
    });
    for (const i of byCode.values()) rows.push(row(i.name, i.direction, i.targets?.at(-1)?.target, i.unit, i));
    clear(body, h('table', {},
      h('thead', {}, h('tr', {}, ['指标', '目标', '最近月份', '当月值', '年内均值', '是否达标'].map((x) => h('th', {}, x)))),
      h('tbody', {}, rows)));
  }

  function row(name, direction, target, unit, i) {
    const last = i?.values?.at(-1);
    const year = i?.years?.at(-1);
    const met = year ? year.met : last ? last.met : null;
    // The target in force in the year of the latest value (the plan's targets change by year).
    target = year?.target ?? last?.target ?? target;
    return h('tr', { dataset: { indicator: name } },
      h('td', {}, name),
      h('td', {}, `${direction} ${target}${unit === '%' ? '%' : ` ${unit}`}`),
      h('td', {}, last ? last.month : h('span', { class: 'muted' }, '暂无数据')),
      h('td', {}, last ? `${last.value}${unit === '%' ? '%' : ''}` : '—'),
      h('td', {}, year ? `${year.average}${unit === '%' ? '%' : ''}（${year.months} 个月）` : '—'),
      h('td', {}, met === null ? '—' : met ? h('span', { style: { color: '#2e7d32' } }, '达标') : h('span', { class: 'late' }, '未达标')));
  }
  return card;
}
