// 信息公开 (no sign-in): each problem's code, summary, lead unit, deadline, status and sign-off date; no personal data.
import { api, query } from './api.js';
import { $, clear, h } from './dom.js';
import { statusTag } from './format.js';
import { failure, layout, pager } from './layout.js';

await layout('/public', { signedIn: false });
const state = { q: '', page: 1 };
const listEl = h('div', { id: 'public-list' }, h('p', { class: 'muted' }, '加载中…'));
const pagerEl = h('div', { class: 'pager' });
const search = h('input', { type: 'search', id: 'public-q', placeholder: '编号或问题关键词' });

clear($('#main'),
  h('h1', {}, '督察反馈问题整改情况公开'),
  h('p', { class: 'muted' }, '按照“整改一个、销号一个、见效一个”的要求，公开每个问题的整改责任单位、时限和进展，接受社会监督。'),
  h('div', { class: 'card' },
    h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); state.q = search.value.trim(); state.page = 1; load(); } }, search, h('button', { type: 'submit' }, '查询')),
    listEl, pagerEl));

async function load() {
  try {
    const data = await api(`/api/public/problems${query({ q: state.q, page: state.page, pageSize: 20 })}`, { anonymous: true });
    if (!data.items.length) {
      clear(listEl, h('p', { class: 'muted' }, '暂无公开信息。'));
      return clear(pagerEl);
    }
    clear(listEl, h('table', { id: 'public-table' },
      h('thead', {}, h('tr', {}, ['编号', '问题', '类别', '牵头单位', '整改时限', '整改状态', '销号日期'].map((x) => h('th', {}, x)))),
      h('tbody', {}, data.items.map((p) => h('tr', { dataset: { code: p.code } },
        h('td', {}, p.code), h('td', {}, p.summary), h('td', {}, p.category), h('td', {}, p.leadUnit), h('td', {}, p.deadline),
        h('td', {}, statusTag(p.status)), h('td', {}, p.signedOffOn || '—'))))));
    pager(pagerEl, data, (pg) => { state.page = pg; load(); });
  } catch (err) {
    failure(listEl, err);
  }
}

load();
