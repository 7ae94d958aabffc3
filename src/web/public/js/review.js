// 挂图作战: a process's diagram with, on every step, the problems there now, overdue, due soon, average time; heat by count.
import { api, query } from './api.js';
import { $, clear, h } from './dom.js';
import { fill, showDiagram } from './diagram.js';
import { dueText, duration, lightChip, statusTag } from './format.js';
import { READERS, failure, layout, pager } from './layout.js';
import { units } from './units.js';

await layout('/review', { roles: READERS });
const params = new URLSearchParams(location.search);
const state = { process: params.get('process') || '', unit: params.get('unit') || '', category: params.get('category') || '', step: null, page: 1 };

const processSel = h('select', { id: 'review-process', onchange: (e) => { state.process = e.target.value; state.step = null; draw(); } });
const unitSel = h('select', { id: 'review-unit', onchange: (e) => { state.unit = e.target.value; refresh(); } }, h('option', { value: '' }, '全部单位'));
const category = h('input', { id: 'review-category', placeholder: '类别', size: 10, value: state.category, onchange: (e) => { state.category = e.target.value.trim(); refresh(); } });
const diagramEl = h('div', { class: 'diagram tall', id: 'review-diagram' });
const summaryEl = h('div', { class: 'legend', id: 'review-summary' });
const listCard = h('div', { class: 'card', id: 'step-problems' }, h('p', { class: 'muted' }, '点击流程图中的环节，查看停留在该环节的问题。'));
let viewer = null;
let current = null;

clear($('#main'),
  h('h1', {}, '挂图作战'),
  h('div', { class: 'card' },
    h('div', { class: 'filters' }, h('label', { for: 'review-process' }, '流程'), processSel, unitSel, category),
    diagramEl,
    h('div', { class: 'legend' },
      h('span', {}, h('i', { style: { background: '#455a64' } }), '在办问题数'),
      h('span', {}, h('i', { style: { background: '#c62828' } }), '已超期'),
      h('span', {}, h('i', { style: { background: '#ef8b00' } }), '3 天内到期'),
      h('span', {}, h('i', { style: { background: 'linear-gradient(90deg,#fff3e0,#ff8a65)' } }), '颜色越深，停留问题越多'),
      h('span', {}, '环节下方：平均停留时间')),
    summaryEl),
  listCard);

function heat(count, max) {
  if (!count) return null;
  const t = Math.sqrt(count / max);
  const mix = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 255)}, ${mix(243, 138)}, ${mix(224, 101)})`;
}

async function init() {
  try {
    const [processes, list] = await Promise.all([api('/api/web/review'), units()]);
    if (!processes.length) return clear(diagramEl, h('p', { class: 'muted' }, '尚未部署流程。'));
    processSel.append(...processes.map((p) => h('option', { value: p.key }, `${p.name || p.key}（v${p.version}）`)));
    state.process = processes.some((p) => p.key === state.process) ? state.process : (processes.find((p) => p.key === 'rectification') || processes[0]).key;
    processSel.value = state.process;
    unitSel.append(...list.filter((u) => u.parentCode).map((u) => h('option', { value: u.code }, u.name)));
    unitSel.value = state.unit;
    draw();
  } catch (err) {
    failure(diagramEl, err);
  }
}

async function draw() {
  try {
    const data = await fetchReview();
    viewer?.destroy();
    clear(diagramEl);
    viewer = await showDiagram(diagramEl, data.xml);
    viewer.get('eventBus').on('element.click', (e) => {
      if (/Task|Event|CallActivity|SubProcess/.test(e.element.type) && e.element.type !== 'label') select(e.element.id, e.element.businessObject?.name);
    });
    decorate(data);
  } catch (err) {
    failure(diagramEl, err);
  }
}

async function refresh() {
  if (!viewer) return;
  try {
    decorate(await fetchReview());
    if (state.step) select(state.step.id, state.step.name);
  } catch (err) {
    clear(summaryEl, h('span', { class: 'error-text' }, err.message));
  }
}

function fetchReview() {
  history.replaceState(null, '', `/review${query({ process: state.process, unit: state.unit, category: state.category })}`);
  return api(`/api/web/review/${encodeURIComponent(state.process)}${query({ unit: state.unit, category: state.category })}`);
}

function decorate(data) {
  current = data;
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  const canvas = viewer.get('canvas');
  overlays.clear();
  const steps = new Map(data.steps.map((s) => [s.activityId, s]));
  const max = Math.max(1, ...data.steps.map((s) => s.count));
  let total = 0;
  let late = 0;
  for (const el of registry.getAll()) {
    if (el.type === 'label' || !/Task|Event|CallActivity|SubProcess/.test(el.type)) continue;
    const s = steps.get(el.id);
    fill(viewer, el.id, heat(s?.count || 0, max) || '');
    canvas.removeMarker(el.id, 'hoverable');
    if (!s) continue;
    total += s.count;
    late += s.overdue;
    if (s.count) {
      canvas.addMarker(el.id, 'hoverable');
      overlays.add(el.id, { position: { top: -10, right: 12 }, html: h('div', { class: 'ov', dataset: { step: el.id } },
        h('span', { title: '在办问题' }, s.count),
        s.overdue ? h('span', { class: 'late', title: '已超期' }, s.overdue) : null,
        s.nearDue ? h('span', { class: 'soon', title: '3 天内到期' }, s.nearDue) : null) });
    }
    if (s.avgMillis !== null && /Task/.test(el.type)) {
      overlays.add(el.id, { position: { bottom: -2, left: 0 }, html: h('div', { class: 'ov-avg', title: `平均停留（${s.ended} 次）` }, `平均 ${duration(s.avgMillis)}`) });
    }
  }
  clear(summaryEl, h('span', {}, `在办 ${total} 项`), h('span', { class: late ? 'late' : '' }, `超期 ${late} 项`), h('span', { class: 'small' }, `统计用时 ${data.queryMillis} ms`));
  diagramEl.dataset.ready = 'true';
}

async function select(activityId, name, page = 1) {
  state.step = { id: activityId, name };
  const canvas = viewer.get('canvas');
  for (const el of viewer.get('elementRegistry').getAll()) canvas.removeMarker(el.id, 'selected-step');
  canvas.addMarker(activityId, 'selected-step');
  const s = current?.steps.find((x) => x.activityId === activityId);
  clear(listCard, h('h2', {}, `环节「${name || activityId}」`), h('p', { class: 'muted' }, '加载中…'));
  try {
    const data = await api(`/api/web/review/${encodeURIComponent(state.process)}/steps/${encodeURIComponent(activityId)}/problems${query({ unit: state.unit, category: state.category, page, pageSize: 20 })}`);
    const pagerEl = h('div', { class: 'pager' });
    clear(listCard,
      h('h2', {}, `环节「${name || activityId}」：${data.total} 项`, s?.avgMillis != null ? h('span', { class: 'small muted' }, `　平均停留 ${duration(s.avgMillis)}`) : null),
      data.items.length ? h('table', { id: 'step-table' },
        h('thead', {}, h('tr', {}, ['编号', '问题', '牵头单位', '环节期限', '状态', '灯色'].map((x) => h('th', {}, x)))),
        h('tbody', {}, data.items.map((p) => h('tr', { class: p.problemId ? 'clickable' : '', dataset: { code: p.code || '' }, onclick: () => p.problemId && (location.href = `/problems/${p.problemId}`) },
          h('td', {}, p.problemId ? h('a', { href: `/problems/${p.problemId}` }, p.code) : p.code || p.instanceId),
          h('td', {}, p.title || '—'),
          h('td', {}, p.leadUnitName || p.leadUnit || '—'),
          h('td', { class: p.overdue ? 'late' : '' }, dueText(p.due), p.overdue ? '（超期）' : ''),
          h('td', {}, p.status ? statusTag(p.status) : '—'),
          h('td', {}, lightChip(p.light)))))) : h('p', { class: 'muted' }, '没有问题停留在该环节。'),
      pagerEl);
    if (data.total) pager(pagerEl, data, (pg) => select(activityId, name, pg));
  } catch (err) {
    failure(listCard, err);
  }
}

init();
