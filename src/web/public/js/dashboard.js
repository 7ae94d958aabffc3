// 驾驶舱: the ledger in figures — status, lights, units ranked as in the bulletin, categories, the trend, the targets.
import { api } from './api.js';
import { $, clear, h } from './dom.js';
import { LIGHT_COLOR } from './format.js';
import { READERS, failure, layout } from './layout.js';
import { indicatorsCard } from './indicators.js';

await layout('/dashboard', { roles: READERS });
const main = $('#main');
const charts = [];
const chart = (idAttr) => h('div', { class: 'chart', id: idAttr });
const pct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);

function plot(el, option) {
  const c = window.echarts.init(el, null, { renderer: 'canvas' });
  c.setOption({ textStyle: { fontFamily: 'WenQuanYi Micro Hei, Microsoft YaHei, sans-serif' }, animation: false, ...option });
  charts.push(c);
}
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

async function load() {
  let d;
  try {
    d = await api('/api/web/dashboard');
  } catch (err) {
    return failure(main, err);
  }
  const open = d.byLight.reduce((a, l) => a + l.count, 0);
  const closed = d.byStatus.filter((s) => ['closed', 'rechecking'].includes(s.status)).reduce((a, s) => a + s.count, 0);
  const overdue = d.byUnit.reduce((a, u) => a + u.overdue, 0);
  const els = { status: chart('chart-status'), light: chart('chart-light'), unit: chart('chart-unit'), category: chart('chart-category'), trend: chart('chart-trend') };
  clear(main,
    h('div', { class: 'row' }, h('h1', {}, '驾驶舱'), h('span', { class: 'spacer' }), h('span', { class: 'muted small' }, `截至 ${d.today}`)),
    h('div', { class: 'kpis', id: 'kpis' },
      h('div', { class: 'kpi' }, '问题总数', h('b', {}, d.total)),
      h('div', { class: 'kpi' }, '在办', h('b', {}, open)),
      h('div', { class: 'kpi' }, '已销号', h('b', {}, closed)),
      h('div', { class: 'kpi' }, '逾期未销号', h('b', { class: overdue ? 'late' : '' }, overdue)),
      h('div', { class: 'kpi' }, '红灯', h('b', { class: 'late' }, d.byLight.find((l) => l.light === 'red')?.count ?? 0))),
    h('div', { class: 'grid2', style: { marginTop: '16px' } },
      h('div', { class: 'card' }, h('h2', {}, '按状态'), els.status),
      h('div', { class: 'card' }, h('h2', {}, '在办问题灯色'), els.light)),
    h('div', { class: 'card' }, h('h2', {}, '月度趋势：交办、销号、逾期'), els.trend),
    h('div', { class: 'grid2' },
      h('div', { class: 'card' }, h('h2', {}, '单位排名（按期完成率、逾期数）'), els.unit, unitTable(d.byUnit)),
      h('div', { class: 'card' }, h('h2', {}, '按类别'), els.category)),
    indicatorsCard(d.targets));

  plot(els.status, {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['35%', '65%'], label: { formatter: '{b} {c}' }, data: d.byStatus.filter((s) => s.count).map((s) => ({ name: s.label, value: s.count })) }],
  });
  plot(els.light, {
    tooltip: {},
    xAxis: { type: 'category', data: d.byLight.map((l) => `${l.label}灯`) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', barWidth: '45%', label: { show: true, position: 'top' }, data: d.byLight.map((l) => ({ value: l.count, itemStyle: { color: LIGHT_COLOR[l.light] } })) }],
  });
  plot(els.trend, {
    tooltip: { trigger: 'axis' },
    legend: { data: ['交办', '销号', '逾期'] },
    xAxis: { type: 'category', data: d.trend.map((t) => t.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '交办', type: 'line', data: d.trend.map((t) => t.assigned), itemStyle: { color: '#1565c0' } },
      { name: '销号', type: 'line', data: d.trend.map((t) => t.closed), itemStyle: { color: '#2e7d32' } },
      { name: '逾期', type: 'line', data: d.trend.map((t) => t.overdue), itemStyle: { color: '#c62828' } },
    ],
  });
  const ranked = [...d.byUnit].reverse();
  els.unit.style.height = `${Math.max(220, 90 + 26 * ranked.length)}px`;
  plot(els.unit, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: ['已销号', '在办', '逾期'] },
    grid: { left: 10, right: 20, top: 30, bottom: 40, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: ranked.map((u) => `${u.rank}. ${u.name}`), axisLabel: { interval: 0 } },
    series: [
      { name: '已销号', type: 'bar', stack: 'n', data: ranked.map((u) => u.closed), itemStyle: { color: '#2e7d32' } },
      { name: '在办', type: 'bar', stack: 'n', data: ranked.map((u) => u.total - u.closed - u.overdue), itemStyle: { color: '#90a4ae' } },
      { name: '逾期', type: 'bar', stack: 'n', data: ranked.map((u) => u.overdue), itemStyle: { color: '#c62828' } },
    ],
  });
  plot(els.category, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: ['总数', '已销号', '逾期'] },
    xAxis: { type: 'category', data: d.byCategory.map((c) => c.category), axisLabel: { interval: 0, rotate: d.byCategory.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '总数', type: 'bar', data: d.byCategory.map((c) => c.total), itemStyle: { color: '#1565c0' } },
      { name: '已销号', type: 'bar', data: d.byCategory.map((c) => c.closed), itemStyle: { color: '#2e7d32' } },
      { name: '逾期', type: 'bar', data: d.byCategory.map((c) => c.overdue), itemStyle: { color: '#c62828' } },
    ],
  });
  main.dataset.ready = 'true';
}

function unitTable(units) {
  return h('table', { id: 'unit-ranking', style: { marginTop: '8px' } },
    h('thead', {}, h('tr', {}, ['名次', '单位', '交办', '到期', '按期销号', '按期完成率', '逾期'].map((x, i) => h('th', { class: i > 1 ? 'num' : '' }, x)))),
    h('tbody', {}, units.map((u) => h('tr', {},
      h('td', {}, u.rank), h('td', {}, u.name), h('td', { class: 'num' }, u.total), h('td', { class: 'num' }, u.due),
      h('td', { class: 'num' }, u.onTime), h('td', { class: 'num' }, pct(u.onTimeRate)), h('td', { class: `num${u.overdue ? ' late' : ''}` }, u.overdue)))));
}

load();
