// 流程异常: failed steps that stopped a process, in Chinese, with the problem they concern and a retry.
import { api, query } from './api.js';
import { $, clear, h } from './dom.js';
import { dateTime } from './format.js';
import { failure, layout, pager } from './layout.js';

await layout('/incidents', { roles: ['admin', 'office'] });

const state = { state: 'open', page: 1 };
const listEl = h('div', { id: 'incident-list' }, h('p', { class: 'muted' }, '加载中…'));
const pagerEl = h('div', { class: 'pager' });
const tabs = h('div', { class: 'filters' });
clear($('#main'), h('h1', {}, '流程异常'),
  h('p', { class: 'muted' }, '流程步骤执行失败时，该流程停止（不再提醒、督办或升级），直到处理后重试。'),
  h('div', { class: 'card' }, tabs, listEl, pagerEl));

function tab(key, label) {
  return h('a', { class: `filter${state.state === key ? ' active' : ''}`, href: '#', onclick: (e) => { e.preventDefault(); Object.assign(state, { state: key, page: 1 }); load(); } }, label);
}

async function retry(button, id) {
  button.disabled = true;
  try {
    await api(`/api/incidents/${id}/retry`, { method: 'POST' });
    await load();
  } catch (err) {
    button.disabled = false;
    button.after(h('div', { class: 'late small' }, `重试未成功：${err.message}`));
  }
}

async function load() {
  clear(tabs, tab('open', '未处理'), tab('resolved', '已处理'), tab('all', '全部'));
  let page;
  try {
    page = await api(`/api/incidents${query({ state: state.state, page: state.page, pageSize: 20 })}`);
  } catch (err) {
    return failure(listEl, err);
  }
  if (!page.items.length) clear(listEl, h('p', { class: 'muted' }, state.state === 'open' ? '没有未处理的流程异常。' : '暂无记录。'));
  else clear(listEl, h('table', {},
    h('thead', {}, h('tr', {}, ['问题', '流程', '环节', '原因', '发生时间', ''].map((x) => h('th', {}, x)))),
    h('tbody', {}, page.items.map((x) => h('tr', { dataset: { incident: x.id } },
      h('td', {}, x.problem ? h('a', { href: `/problems/${encodeURIComponent(x.problem.code)}` }, `${x.problem.code} ${x.problem.title}`) : '—'),
      h('td', {}, x.process.name || x.process.key),
      h('td', {}, x.element.name || x.element.id || '—'),
      h('td', { title: x.detail }, x.reason),
      h('td', {}, dateTime(x.createdAt)),
      h('td', {}, x.open ? h('button', { type: 'button', class: 'retry', onclick: (e) => retry(e.target, x.id) }, '重试') : `已处理 ${dateTime(x.resolvedAt)}`))))));
  pager(pagerEl, page, (n) => { state.page = n; load(); });
}

load();
