// 待办: the signed-in person's tasks, lights and days left, filters with their counts.
import { api, query } from './api.js';
import { $, clear, h } from './dom.js';
import { dateTime, daysLeft, dueText, lightChip, statusTag } from './format.js';
import { failure, layout, pager } from './layout.js';

await layout('/inbox');

const PROCESS = { rectification: '问题整改' };
const params = new URLSearchParams(location.search);
const state = { filter: params.get('filter') || 'all', process: params.get('process') || '', page: Number(params.get('page')) || 1 };
const flash = sessionStorage.getItem('duban.flash');
sessionStorage.removeItem('duban.flash');

const filtersEl = h('div', { class: 'filters', id: 'inbox-filters' });
const listEl = h('div', { id: 'inbox-list' }, h('p', { class: 'muted' }, '加载中…'));
const pagerEl = h('div', { class: 'pager' });
clear($('#main'),
  h('h1', {}, '我的待办'),
  flash ? h('div', { class: 'notice ok', id: 'flash' }, flash) : null,
  h('div', { class: 'card' }, filtersEl, listEl, pagerEl));

function filterChip(key, label, count, cls = '') {
  return h('a', {
    class: `filter${state.filter === key && !state.process ? ' active' : ''}`, href: '#', dataset: { filter: key },
    onclick: (e) => { e.preventDefault(); Object.assign(state, { filter: key, process: '', page: 1 }); load(); },
  }, label, h('span', { class: `badge ${count && cls ? cls : ''}` }, count));
}

function processChip(key, count) {
  return h('a', {
    class: `filter${state.process === key ? ' active' : ''}`, href: '#', dataset: { process: key },
    onclick: (e) => { e.preventDefault(); Object.assign(state, { filter: 'all', process: key, page: 1 }); load(); },
  }, PROCESS[key] || key, h('span', { class: 'badge' }, count));
}

async function load() {
  const q = { page: state.page, pageSize: 20, process: state.process, overdue: state.filter === 'overdue', dueWithin: state.filter === 'soon' ? 3 : undefined };
  history.replaceState(null, '', `/inbox${query({ filter: state.filter !== 'all' ? state.filter : '', process: state.process, page: state.page > 1 ? state.page : '' })}`);
  try {
    const data = await api(`/api/inbox${query(q)}`);
    const c = data.counts;
    clear(filtersEl,
      filterChip('all', '全部', c.all),
      filterChip('overdue', '已逾期', c.overdue, 'red'),
      filterChip('soon', '3 天内到期', c.dueSoon, 'orange'),
      Object.entries(c.byProcess || {}).map(([k, n]) => processChip(k, n)));
    render(data);
  } catch (err) {
    failure(listEl, err);
  }
}

/** Days left or overdue as the service counts them (its clock), not the browser's. */
function left(t) {
  if (t.daysLeft === null || t.daysLeft === undefined) return daysLeft(t.due);
  if (t.overdue) return h('span', { class: 'late' }, `逾期 ${Math.max(1, -t.daysLeft)} 天`);
  return h('span', { class: t.daysLeft <= 3 ? 'soon' : '' }, t.daysLeft === 0 ? '今日到期' : `剩 ${t.daysLeft} 天`);
}

function render(data) {
  if (!data.items.length) {
    clear(listEl, h('p', { class: 'muted', id: 'inbox-empty' }, '没有待办任务。'));
    clear(pagerEl);
    return;
  }
  const rows = data.items.map((t) => h('tr', { class: 'clickable', dataset: { task: t.id }, onclick: () => (location.href = `/tasks/${t.id}`) },
    h('td', {}, lightChip(t.problem?.light)),
    h('td', {}, t.problem ? [h('div', {}, h('b', {}, t.problem.code)), h('div', { class: 'small' }, t.problem.title)] : h('span', { class: 'muted' }, '—')),
    h('td', {}, h('a', { href: `/tasks/${t.id}` }, t.name || t.step), h('div', { class: 'small muted' }, PROCESS[t.process] || t.process)),
    h('td', {}, t.problem ? statusTag(t.problem.status) : '—'),
    h('td', {}, dueText(t.due), h('div', { class: 'small' }, left(t))),
    h('td', {}, t.assignee ? h('span', {}, `已签收：${t.assignee}`) : h('span', { class: 'muted' }, '待签收')),
  ));
  clear(listEl, h('table', { id: 'inbox-table' },
    h('thead', {}, h('tr', {}, ['灯色', '问题', '环节', '状态', '期限', '办理人'].map((x) => h('th', {}, x)))),
    h('tbody', {}, rows)));
  pager(pagerEl, data, (p) => { state.page = p; load(); });
}

load();
