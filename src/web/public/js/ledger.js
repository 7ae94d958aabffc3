// 台账: every problem with its status and light; filters, search, paging, export, and the office's import.
import { api, download, query } from './api.js';
import { $, clear, h } from './dom.js';
import { LIGHT, STATUS, date, lightChip, statusTag } from './format.js';
import { failure, layout, pager } from './layout.js';
import { importCard } from './ledger-import.js';
import { units } from './units.js';

const user = await layout('/ledger');
const office = user.role === 'office' || user.role === 'admin';
const reader = user.role !== 'unit';
const params = new URLSearchParams(location.search);
const state = Object.fromEntries(['status', 'light', 'unit', 'category', 'q'].map((k) => [k, params.get(k) || '']));
state.overdue = params.get('overdue') === 'true';
state.page = Number(params.get('page')) || 1;

const select = (name, label, options) => h('select', { name, id: `filter-${name}`, onchange: (e) => set(name, e.target.value) },
  h('option', { value: '' }, label), options.map(([v, t]) => h('option', { value: v, selected: state[name] === v }, t)));
const unitSelect = select('unit', '全部单位', []);
const search = h('input', { type: 'search', id: 'filter-q', placeholder: '编号或问题关键词', value: state.q });
const category = h('input', { type: 'text', id: 'filter-category', placeholder: '类别', value: state.category, list: 'categories', size: 10 });
const overdue = h('input', { type: 'checkbox', id: 'filter-overdue', checked: state.overdue, onchange: (e) => set('overdue', e.target.checked) });
const listEl = h('div', { id: 'ledger-list' }, h('p', { class: 'muted' }, '加载中…'));
const pagerEl = h('div', { class: 'pager' });
const msg = h('div', {});

function set(k, v) {
  state[k] = v;
  state.page = 1;
  load();
}

const toolbar = h('form', { class: 'filters', id: 'ledger-filters', onsubmit: (e) => { e.preventDefault(); state.q = search.value.trim(); state.category = category.value.trim(); state.page = 1; load(); } },
  select('status', '全部状态', Object.entries(STATUS)),
  select('light', '全部灯色', Object.entries(LIGHT).map(([k, v]) => [k, `${v}灯`])),
  user.role === 'unit' ? null : unitSelect,
  category, h('datalist', { id: 'categories' }),
  h('label', { class: 'row', for: 'filter-overdue', style: { fontWeight: 'normal' } }, overdue, '仅看逾期'),
  search, h('button', { type: 'submit' }, '查询'),
  h('span', { class: 'spacer' }),
  reader ? h('button', { type: 'button', id: 'export', onclick: exportLedger }, '导出 Excel') : null);

clear($('#main'),
  h('h1', {}, '整改台账'),
  msg,
  h('div', { class: 'card' }, toolbar, listEl, pagerEl),
  office ? importCard(() => load()) : null);

units().then((list) => {
  unitSelect.append(...list.filter((u) => u.parentCode).map((u) => h('option', { value: u.code, selected: state.unit === u.code }, u.name)));
});

async function exportLedger() {
  clear(msg);
  try {
    const r = await download('/api/ledger.xlsx', '整改台账.xlsx');
    clear(msg, h('div', { class: 'notice ok', id: 'export-done' }, `已导出：${r.name}`));
  } catch (err) {
    clear(msg, h('div', { class: 'notice err' }, `导出失败：${err.message}`));
  }
}

async function load() {
  const q = { ...state, page: state.page, pageSize: 20 };
  history.replaceState(null, '', `/ledger${query({ ...state, page: state.page > 1 ? state.page : '' })}`);
  try {
    const [data, names] = await Promise.all([api(`/api/problems${query(q)}`), units()]);
    const name = (c) => names.find((u) => u.code === c)?.name || c;
    const cats = [...new Set(data.items.map((p) => p.category))];
    clear($('#categories'), cats.map((c) => h('option', { value: c })));
    if (!data.items.length) {
      clear(listEl, h('p', { class: 'muted' }, '没有符合条件的问题。'));
      return clear(pagerEl);
    }
    clear(listEl, h('table', { id: 'ledger-table' },
      h('thead', {}, h('tr', {}, ['编号', '问题', '类别', '牵头单位', '整改时限', '状态', '灯色', '逾期天数'].map((x) => h('th', {}, x)))),
      h('tbody', {}, data.items.map((p) => h('tr', { class: 'clickable', dataset: { code: p.code }, onclick: () => (location.href = `/problems/${p.id}`) },
        h('td', {}, h('a', { href: `/problems/${p.id}` }, p.code)),
        h('td', {}, p.title),
        h('td', {}, p.category),
        h('td', {}, name(p.leadUnit)),
        h('td', {}, date(p.deadline)),
        h('td', { class: 'status-cell' }, statusTag(p.status)),
        h('td', {}, lightChip(p.light)),
        h('td', { class: `num${p.overdueDays > 0 ? ' late' : ''}` }, p.overdueDays > 0 ? p.overdueDays : '—'))))));
    pager(pagerEl, data, (p) => { state.page = p; load(); });
  } catch (err) {
    failure(listEl, err);
  }
}

load();
