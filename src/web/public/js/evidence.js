// 佐证材料: upload to the problem and list what is there; the list can be picked from (申请销号's evidenceFileIds).
import { ApiError, api, call } from './api.js';
import { clear, h } from './dom.js';
import { dateTime } from './format.js';
import { has } from './features.js';

const SIZE = (n) => (n > 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** `pickable`: checkboxes, and `selected()` answers the ids ticked. */
export function evidenceControl({ problemId, taskId, pickable = false, canUpload = true }) {
  const listEl = h('div', { class: 'evidence-list' }, h('span', { class: 'muted' }, '加载中…'));
  const msg = h('div', { class: 'evidence-msg' });
  const file = h('input', { type: 'file', id: 'evidence-file', accept: '.jpg,.jpeg,.png,.webp,.heic,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx' });
  const note = h('input', { type: 'text', id: 'evidence-note', placeholder: '说明（可选）', maxlength: 500 });
  const button = h('button', { type: 'button', id: 'evidence-upload', onclick: upload }, '上传');
  const picked = new Set();
  let available = true;

  function unavailable() {
    available = false;
    button.disabled = true;
    file.disabled = true;
    clear(listEl, h('span', { class: 'muted', id: 'evidence-unavailable' }, '佐证材料功能暂未开放'));
  }

  async function refresh() {
    if (!(await has('get', '/api/problems/{id}/files'))) return unavailable();
    try {
      const files = await api(`/api/problems/${problemId}/files`);
      const items = Array.isArray(files) ? files : files.items || [];
      if (!items.length) return clear(listEl, h('span', { class: 'muted' }, '暂无佐证材料'));
      clear(listEl, h('ul', {}, items.map((f) => h('li', {},
        pickable ? h('input', { type: 'checkbox', checked: picked.has(f.id), onchange: (e) => (e.target.checked ? picked.add(f.id) : picked.delete(f.id)), dataset: { file: f.id } }) : null,
        ' ', h('a', { href: '#', onclick: (e) => { e.preventDefault(); open(f); } }, f.name),
        h('span', { class: 'small muted' }, ` ${[SIZE(Number(f.size) || 0), f.uploadedBy?.name || f.uploaderName, f.note, dateTime(f.createdAt)].filter(Boolean).join(' · ')}`)))));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return unavailable();
      clear(listEl, h('span', { class: 'error-text' }, `佐证材料加载失败：${err.message}`));
    }
  }

  async function open(f) {
    const res = await call(`/api/problems/${problemId}/files/${f.id}`);
    if (!res.ok) return clear(msg, h('div', { class: 'error-text' }, '下载失败'));
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: f.name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function upload() {
    clear(msg);
    if (!available) return;
    if (!file.files.length) return clear(msg, h('div', { class: 'error-text' }, '请选择文件'));
    const form = new FormData();
    form.append('file', file.files[0]);
    if (taskId) form.append('taskId', taskId);
    if (note.value.trim()) form.append('note', note.value.trim());
    button.disabled = true;
    try {
      const res = await call(`/api/problems/${problemId}/files`, { method: 'POST', body: form });
      const body = await res.json().catch(() => ({}));
      if (res.status === 404) {
        available = false;
        return clear(msg, h('div', { class: 'notice info' }, '佐证材料上传功能暂未开放，请稍后再试。'));
      }
      if (res.status === 413) return clear(msg, h('div', { class: 'error-text' }, '文件过大'));
      if (res.status === 415) return clear(msg, h('div', { class: 'error-text' }, `不支持的文件类型：${body.message || ''}`));
      if (!res.ok) return clear(msg, h('div', { class: 'error-text' }, `上传失败：${body.message || res.status}`));
      if (body.id) picked.add(body.id);
      file.value = '';
      note.value = '';
      clear(msg, h('div', { class: 'notice ok' }, `已上传：${body.name || ''}`));
      await refresh();
    } finally {
      button.disabled = !available;
    }
  }

  const el = h('div', { class: 'evidence', id: 'evidence' },
    listEl,
    canUpload ? h('div', { class: 'row', style: { marginTop: '8px' } }, file, note, button) : null,
    msg);
  refresh();
  return { el, selected: () => [...picked] };
}
