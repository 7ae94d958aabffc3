// 交办: the office uploads the problem list; a refused file shows every bad cell in place.
import { ApiError, call, download } from './api.js';
import { clear, h } from './dom.js';

export function importCard(onImported) {
  const file = h('input', { type: 'file', id: 'import-file', accept: '.xlsx' });
  const source = h('input', { type: 'text', id: 'import-source', placeholder: '来源（如：中央环保督察反馈）', size: 28 });
  const result = h('div', { id: 'import-result' });
  const button = h('button', { type: 'button', class: 'primary', id: 'import-submit', onclick: upload }, '导入');

  async function upload() {
    clear(result);
    if (!file.files.length) return clear(result, h('div', { class: 'notice err' }, '请选择问题清单（.xlsx）'));
    const form = new FormData();
    form.append('file', file.files[0]);
    if (source.value.trim()) form.append('source', source.value.trim());
    button.disabled = true;
    clear(result, h('p', { class: 'muted' }, '导入中，请稍候…'));
    try {
      const res = await call('/api/problems/import', { method: 'POST', body: form });
      const body = await res.json().catch(() => ({}));
      if (res.status === 201) {
        clear(result, h('div', { class: 'notice ok', id: 'import-ok' }, `已导入 ${body.created.length} 个问题，并已启动整改流程。`));
        file.value = '';
        onImported();
      } else if (res.status === 422 && Array.isArray(body.errors)) {
        clear(result,
          h('div', { class: 'notice err' }, `文件有 ${body.errors.length} 处错误，未导入任何问题。请修改后重新上传：`),
          h('table', { id: 'import-errors' },
            h('thead', {}, h('tr', {}, h('th', { class: 'num' }, '行'), h('th', {}, '列'), h('th', {}, '问题'))),
            h('tbody', {}, body.errors.map((e) => h('tr', {}, h('td', { class: 'num' }, e.row ?? '—'), h('td', {}, e.column ?? '—'), h('td', {}, e.message))))));
      } else if (res.status === 413) {
        clear(result, h('div', { class: 'notice err' }, '文件过大（不超过 5 MB）'));
      } else {
        throw new ApiError(res.status, body);
      }
    } catch (err) {
      clear(result, h('div', { class: 'notice err' }, `导入失败：${err.message}`));
    } finally {
      button.disabled = false;
    }
  }

  return h('div', { class: 'card', id: 'import-card' },
    h('h2', {}, '导入问题清单（交办）'),
    h('p', { class: 'small muted' }, '整表校验，全部正确才导入；有错误时逐格列出。',
      h('a', { href: '#', id: 'template', onclick: (e) => { e.preventDefault(); download('/api/problems/import-template.xlsx', '问题清单模板.xlsx'); } }, '下载模板')),
    h('div', { class: 'row' }, file, source, button),
    result);
}
