// 交办: the office uploads the problem list; a refused file shows every bad cell in place; an accepted one runs
// as a job whose progress shows in a bar until every problem is in the ledger (or none is).
import { ApiError, api, call, download } from './api.js';
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
      if (res.status === 202) {
        file.value = '';
        await follow(body);
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

  // Polls the job: a bar of rows stored so far; they reach the ledger together when the job is done.
  async function follow(accepted) {
    const bar = h('progress', { id: 'import-progress', max: accepted.rows, value: 0 });
    const label = h('span', { class: 'small muted' }, `已校验 ${accepted.rows} 行，排队中…`);
    clear(result, h('div', {}, bar, ' ', label));
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const job = await api(accepted.statusUrl);
      bar.value = job.done;
      if (job.status === 'running') label.textContent = `正在导入：${job.done} / ${job.rows} 行（完成前台账中不显示）`;
      if (job.status === 'done') {
        clear(result, h('div', { class: 'notice ok', id: 'import-ok' }, `已导入 ${job.rows} 个问题，并已启动整改流程。`));
        return onImported();
      }
      if (job.status === 'failed' || job.status === 'rolled_back') {
        const where = (job.errors || []).map((e) => `第 ${e.row} 行${e.column ? `（${e.column}）` : ''}：${e.message}`).join('；');
        return clear(result, h('div', { class: 'notice err', id: 'import-failed' }, `${job.message || '导入失败'}${where ? `（${where}）` : ''}`));
      }
    }
  }

  return h('div', { class: 'card', id: 'import-card' },
    h('h2', {}, '导入问题清单（交办）'),
    h('p', { class: 'small muted' }, '整表校验，全部正确才导入；有错误时逐格列出。',
      h('a', { href: '#', id: 'template', onclick: (e) => { e.preventDefault(); download('/api/problems/import-template.xlsx', '问题清单模板.xlsx'); } }, '下载模板')),
    h('div', { class: 'row' }, file, source, button),
    result);
}
