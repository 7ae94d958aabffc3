// 延期申请: a new date and the reason, for the office to decide.
import { ApiError, api } from './api.js';
import { clear, h } from './dom.js';
import { date, fieldMessage } from './format.js';
import { has } from './features.js';

export function extensionForm(problemId, deadline) {
  const msg = h('div', {});
  const day = h('input', { type: 'date', id: 'ext-date', name: 'date' });
  const reason = h('textarea', { id: 'ext-reason', name: 'reason', placeholder: '延期理由（客观原因、已采取措施、新的完成时间）' });
  const errs = { date: h('div', { class: 'error' }), reason: h('div', { class: 'error' }) };
  const submit = h('button', { type: 'submit', id: 'ext-submit' }, '提交延期申请');
  has('post', '/api/problems/{id}/extension').then((yes) => {
    if (yes) return;
    submit.disabled = true;
    clear(msg, h('div', { class: 'notice info', id: 'ext-unavailable' }, '延期申请功能暂未开放。'));
  });
  return h('form', { class: 'card', id: 'extension-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clear(msg);
    Object.values(errs).forEach((x) => clear(x));
    submit.disabled = true;
    try {
      await api(`/api/problems/${problemId}/extension`, { method: 'POST', body: { date: day.value, reason: reason.value } });
      clear(msg, h('div', { class: 'notice ok' }, '延期申请已提交，等待督办办公室审核。'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && /^Cannot /.test(err.message)) clear(msg, h('div', { class: 'notice info', id: 'ext-unavailable' }, '延期申请功能暂未开放。'));
      else if (err instanceof ApiError && err.status === 422) {
        const rest = [];
        for (const f of err.body.fields || []) (errs[f.field] ? errs[f.field].append(h('div', {}, fieldMessage(f.message))) : rest.push(f));
        if (rest.length || !(err.body.fields || []).length) clear(msg, h('div', { class: 'notice err' }, err.message));
      } else clear(msg, h('div', { class: 'notice err' }, `提交失败：${err.message}`));
    } finally {
      submit.disabled = false;
    }
  } },
  h('h2', {}, '延期申请'),
  h('p', { class: 'small muted' }, `现整改时限：${date(deadline)}。确因客观原因不能按期完成的，可申请延期。`),
  msg,
  h('div', { class: 'field' }, h('label', { for: 'ext-date' }, '申请延期至'), day, errs.date),
  h('div', { class: 'field' }, h('label', { for: 'ext-reason' }, '理由'), reason, errs.reason),
  submit);
}
