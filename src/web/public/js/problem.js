// 问题详情: facts, the plan against time, monthly progress, evidence, supervision actions, timeline, and its process.
import { ApiError, api } from './api.js';
import { $, clear, h } from './dom.js';
import { markPath, showDiagram } from './diagram.js';
import { evidenceControl } from './evidence.js';
import { date, dateTime, dueText, lightChip, statusTag } from './format.js';
import { gantt } from './gantt.js';
import { has } from './features.js';
import { failure, layout } from './layout.js';
import { unitNames } from './units.js';

const user = await layout('/ledger');
const id = decodeURIComponent(location.pathname.split('/').pop());
const main = $('#main');
const TIER = { short: '短期', medium: '中期', long: '长期' };
const ACTION = { 'task.created': '进入环节', 'task.ended': '完成环节', 'instance.ended': '流程结束', 'problem.imported': '交办', 'problem.signed_off': '验收销号', 'problem.signoff_refused': '验收退回' };
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const GROUPS = { office: '督办办公室', inspector: '督察组', leader: '领导', admin: '管理员' };
const section = (title, idAttr, ...body) => h('div', { class: 'card', id: idAttr }, h('h2', {}, title), ...body);

async function optional(path) {
  try {
    return { data: await api(path) };
  } catch (err) {
    return { err };
  }
}

/** A failed step stopped one of its processes: said at the top, with a retry for the office. */
function stoppedNotice(p) {
  if (!p.escalation?.stopped) return null;
  const office = user.role === 'office' || user.role === 'admin';
  return h('div', { class: 'notice err', id: 'escalation-stopped' },
    h('b', {}, '督办已停止：'), '以下流程步骤执行失败，处理前不会再有提醒、督办单或升级。',
    h('ul', {}, p.escalation.incidents.map((x) => h('li', {},
      `${x.process}「${x.element || '未知环节'}」：${x.reason}（${dateTime(x.createdAt)}）`,
      office ? h('button', { type: 'button', class: 'retry', onclick: (e) => retry(e.target, x.id) }, '重试') : null))));
}

async function retry(button, incidentId) {
  button.disabled = true;
  try {
    await api(`/api/incidents/${incidentId}/retry`, { method: 'POST' });
    await load();
  } catch (err) {
    button.disabled = false;
    button.after(h('span', { class: 'late' }, ` 重试未成功：${err.message}`));
  }
}

async function load() {
  let p;
  try {
    p = await api(`/api/problems/${encodeURIComponent(id)}`);
  } catch (err) {
    return failure(main, err, '问题加载失败');
  }
  const names = await unitNames();
  const diagram = p.processInstance ? optional(`/api/web/problems/${p.id}/diagram`) : Promise.resolve({});
  document.title = `${p.code} · 督办`;
  const diagramEl = h('div', { class: 'diagram', id: 'diagram' });
  const actionsEl = h('div', {}, h('span', { class: 'muted' }, '加载中…'));
  const timelineEl = h('div', {}, h('span', { class: 'muted' }, '加载中…'));

  clear(main,
    h('div', { class: 'row' }, h('h1', {}, `${p.code} ${p.title}`), h('span', { class: 'spacer' }), h('a', { href: '/ledger' }, '← 返回台账')),
    stoppedNotice(p),
    p.deadlineProvisional ? h('div', { class: 'notice warn', id: 'deadline-provisional' }, `整改时限 ${p.deadline} 所在年度尚未录入节假日安排，各督办环节的工作日期限为暂定。`) : null,
    h('div', { class: 'grid2' },
      section('基本情况', 'facts', h('dl', { class: 'facts' },
        h('dt', {}, '状态'), h('dd', {}, statusTag(p.status), ' ', lightChip(p.light), p.overdueDays > 0 ? h('span', { class: 'late' }, ` 逾期 ${p.overdueDays} 天`) : null),
        h('dt', {}, '类别'), h('dd', {}, `${p.category}（${TIER[p.tier] || p.tier}）`),
        h('dt', {}, '来源'), h('dd', {}, p.source || '—'),
        h('dt', {}, '问题描述'), h('dd', {}, p.description || '—'),
        h('dt', {}, '整改目标'), h('dd', {}, p.goal || '—'),
        h('dt', {}, '牵头单位'), h('dd', {}, names(p.leadUnit)),
        h('dt', {}, '责任单位'), h('dd', {}, p.responsibleUnits.map(names).join('、')),
        h('dt', {}, '责任人'), h('dd', {}, p.responsiblePerson || '—'),
        h('dt', {}, '交办日期'), h('dd', {}, date(p.createdAt)),
        h('dt', {}, '整改时限'), h('dd', {}, p.deadline),
        h('dt', {}, '销号日期'), h('dd', {}, date(p.signedOffAt)),
        h('dt', {}, '回头看周期'), h('dd', {}, `${p.recheckMonths} 个月`),
        p.round > 1 || p.previousProblemId ? [h('dt', {}, '整改轮次'), h('dd', {}, `第 ${p.round} 轮 `, p.previousProblemId ? h('a', { href: `/problems/${p.previousProblemId}` }, '上一轮') : null)] : null,
        p.nextRoundId ? [h('dt', {}, '反弹重办'), h('dd', {}, h('a', { href: `/problems/${p.nextRoundId}` }, '查看新一轮整改'))] : null)),
      section('当前环节', 'tasks', p.tasks.length
        ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '环节'), h('th', {}, '办理单位/人'), h('th', {}, '期限'))),
          h('tbody', {}, p.tasks.map((t) => h('tr', {},
            h('td', {}, h('a', { href: `/tasks/${t.id}` }, t.name || t.activityId)),
            h('td', {}, t.assignee || t.candidateGroups.map((g) => GROUPS[g] || names(g)).join('、')),
            h('td', {}, dueText(t.dueAt))))))
        : h('p', { class: 'muted' }, p.processInstance?.status === 'active' ? '流程在等待中（如回头看周期）。' : '没有待办环节。'))),
    section('流程图', 'process', diagramEl, h('div', { class: 'legend' },
      h('span', {}, h('i', { style: { background: '#e8f5e9', border: '1px solid #2e7d32' } }), '已完成'),
      h('span', {}, h('i', { style: { background: '#e3eefc', border: '2px solid #1d5fbf' } }), '当前环节'),
      h('span', {}, h('i', { style: { background: '#fdecea', border: '1px solid #c62828' } }), '当前环节（已超期）'))),
    section('整改节点（倒排工期）', 'milestones', gantt(p.milestones, { start: date(p.createdAt), deadline: p.deadline, today })),
    section('月度进展', 'progress', p.progress.length
      ? h('table', {}, h('thead', {}, h('tr', {}, ['月份', '单位', '进度', '情况'].map((x) => h('th', {}, x)))),
        h('tbody', {}, p.progress.map((r) => h('tr', {}, h('td', {}, r.month), h('td', {}, names(r.unitCode)),
          h('td', {}, h('div', { class: 'bar', title: `${r.percent}%` }, h('span', { style: { width: `${r.percent}%` } })), h('span', { class: 'small' }, `${r.percent}%`)),
          h('td', {}, r.text)))))
      : h('p', { class: 'muted' }, '暂无月度进展。')),
    section('佐证材料', 'evidence-card', evidenceControl({ problemId: p.id, canUpload: ['unit', 'office', 'admin'].includes(user.role) }).el),
    h('div', { class: 'grid2' }, section('督办措施', 'actions', actionsEl), section('办理轨迹', 'timeline', timelineEl)),
  );

  (async () => (await has('get', '/api/supervision/actions')) ? optional(`/api/supervision/actions?problemId=${p.id}`) : { data: [] })().then(({ data, err }) => {
    const items = data ? (Array.isArray(data) ? data : data.items || []) : [];
    if (err && !(err instanceof ApiError && (err.status === 404 || err.status === 403))) return failure(actionsEl, err);
    if (!items.length) return clear(actionsEl, h('p', { class: 'muted' }, '暂无督办措施。'));
    clear(actionsEl, h('ul', { class: 'timeline' }, items.map((a) => h('li', {},
      h('b', {}, a.title || a.type), a.documentNo ? h('span', { class: 'small muted' }, ` ${a.documentNo}`) : null,
      h('div', { class: 'small muted' }, `${dateTime(a.issuedAt)} · ${a.status || ''}${a.deadline ? ` · 期限 ${a.deadline}` : ''}`)))));
  });

  const trail = Array.isArray(p.timeline) ? Promise.resolve({ data: p.timeline }) : optional(`/api/audit/problems/${p.id}`);
  Promise.all([trail, diagram]).then(([{ data, err }, { data: d }]) => {
    const stepName = new Map((d?.activities || []).map((a) => [a.activityId, a.name]));
    if (err) return clear(timelineEl, h('p', { class: 'muted' }, err.status === 404 ? '暂无办理轨迹。' : `办理轨迹：${err.message}`));
    const items = Array.isArray(data) ? data : data.items || [];
    if (!items.length) return clear(timelineEl, h('p', { class: 'muted' }, '暂无办理轨迹。'));
    clear(timelineEl, h('ul', { class: 'timeline', id: 'timeline-list' }, items.map((e) => h('li', {},
      h('b', {}, ACTION[e.action] || e.action), ' ', h('span', {}, e.details?.name || e.details?.activityName || stepName.get(e.details?.activityId) || e.details?.activityId || ''),
      h('div', { class: 'small muted' }, `${dateTime(e.at)} · ${e.actorName || (e.actor === 'timer' ? '系统（定时）' : e.actor === 'system' ? '系统' : e.actor)}`)))));
  });

  if (!p.processInstance) return clear(diagramEl, h('p', { class: 'muted' }, '该问题没有流程实例。'));
  try {
    const { data: d, err } = await diagram;
    if (err) throw err;
    const viewer = await showDiagram(diagramEl, d.xml);
    markPath(viewer, d);
    diagramEl.dataset.ready = 'true';
  } catch (err) {
    failure(diagramEl, err, '流程图加载失败');
  }
}

load();
