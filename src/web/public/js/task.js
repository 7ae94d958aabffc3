// 办理: one task — its problem, its form (fields from the API), evidence, and an extension request.
import { ApiError, api } from './api.js';
import { $, clear, h } from './dom.js';
import { date, dateTime, dueText, daysLeft, lightChip, statusTag } from './format.js';
import { evidenceControl } from './evidence.js';
import { taskForm } from './form-fields.js';
import { failure, layout } from './layout.js';
import { extensionForm } from './extension.js';
import { unitNames } from './units.js';

const user = await layout('/inbox');
const id = location.pathname.split('/').pop();
const main = $('#main');

async function load() {
  let task;
  try {
    task = await api(`/api/tasks/${encodeURIComponent(id)}`);
  } catch (err) {
    return failure(main, err, err.status === 404 ? '该任务不存在或已办结' : '任务加载失败');
  }
  const names = await unitNames();
  const p = task.problem;
  const problemId = p?.id;
  const msg = h('div', { id: 'task-message' });
  const claimBox = h('div', { class: 'row' });

  const facts = h('div', { class: 'card' },
    h('h2', {}, '问题'),
    p ? h('dl', { class: 'facts' },
      h('dt', {}, '编号'), h('dd', {}, h('a', { href: `/problems/${p.id}` }, p.code)),
      h('dt', {}, '问题'), h('dd', {}, p.title),
      h('dt', {}, '牵头单位'), h('dd', {}, names(p.lead_unit)),
      h('dt', {}, '责任单位'), h('dd', {}, (p.responsible_units || []).map(names).join('、') || '—'),
      h('dt', {}, '整改时限'), h('dd', {}, date(p.deadline)),
      h('dt', {}, '状态'), h('dd', {}, statusTag(p.status), ' ', lightChip(p.light)),
      h('dt', {}, '整改目标'), h('dd', {}, p.goal || '—'),
    ) : h('p', { class: 'muted' }, `业务编号：${task.businessKey || '—'}`));

  const step = h('div', { class: 'card' },
    h('h2', {}, '环节'),
    h('dl', { class: 'facts' },
      h('dt', {}, '环节'), h('dd', {}, task.name || task.step),
      h('dt', {}, '办理期限'), h('dd', {}, dueText(task.due), '（', daysLeft(task.due), '）'),
      h('dt', {}, '办理人'), h('dd', {}, task.assignee || '未签收（本单位均可办理）'),
      h('dt', {}, '说明'), h('dd', {}, task.documentation || '—')),
    claimBox);

  function drawClaim() {
    clear(claimBox,
      !task.assignee ? h('button', { type: 'button', id: 'claim', onclick: () => act('claim', '已签收') }, '签收') : null,
      task.assignee === user.username ? h('button', { type: 'button', id: 'unclaim', onclick: () => act('unclaim', '已退回本单位') }, '退回本单位') : null);
  }
  async function act(what, done) {
    try {
      const r = await api(`/api/tasks/${id}/${what}`, { method: 'POST' });
      task.assignee = r.assignee;
      clear(msg, h('div', { class: 'notice ok' }, done));
      drawClaim();
      load();
    } catch (err) {
      clear(msg, h('div', { class: 'notice err' }, err.message));
    }
  }
  drawClaim();

  let formCard;
  if (task.form) {
    const form = taskForm(task.form.fields, { problemId, taskId: task.id });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'task-submit' }, '提交');
    formCard = h('form', { class: 'card', id: 'task-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      form.clearErrors();
      clear(msg);
      submit.disabled = true;
      try {
        await api(`/api/tasks/${id}/complete`, { method: 'POST', body: form.values() });
        sessionStorage.setItem('duban.flash', `已提交：${task.name}${p ? `（${p.code}）` : ''}`);
        location.href = '/inbox';
      } catch (err) {
        if (err instanceof ApiError && err.status === 422) form.showErrors(err.body.fields, err.message);
        else if (err instanceof ApiError && err.status === 409) clear(msg, h('div', { class: 'notice err' }, '该任务刚被他人办理，请返回待办刷新。'));
        else clear(msg, h('div', { class: 'notice err' }, `提交失败：${err.message}`));
        submit.disabled = false;
      }
    } }, h('h2', {}, task.form.title), form.el, submit);
  } else {
    formCard = h('div', { class: 'card' }, h('div', { class: 'notice info' }, '此环节没有可在本页填写的表单。'));
  }

  const hasFilesField = task.form?.fields.some((f) => f.type === 'files');
  const evidence = problemId && !hasFilesField ? h('div', { class: 'card' }, h('h2', {}, '佐证材料'), evidenceControl({ problemId, taskId: task.id }).el) : null;
  const extension = problemId && user.role === 'unit' ? extensionForm(problemId, p.deadline) : null;

  clear(main,
    h('div', { class: 'row' }, h('h1', {}, task.name || task.step), h('span', { class: 'spacer' }), h('a', { href: '/inbox' }, '← 返回待办')),
    msg,
    h('div', { class: 'grid2' }, facts, step),
    formCard, evidence, extension);
}

load();
