// A task's form, drawn from the form's field list (GET /api/tasks/{id}); 422 messages shown by their field.
import { clear, h } from './dom.js';
import { fieldMessage } from './format.js';
import { evidenceControl } from './evidence.js';

/** `milestones[0].dueDate` and `milestones.0.dueDate` are one field. */
const norm = (f) => String(f).replace(/\[(\d+)\]/g, '.$1');

export function taskForm(fields, ctx) {
  const slots = new Map(); // field path → {error element, controls}
  const readers = [];
  const translators = []; // a submitted index → the row it came from
  const general = h('div', { class: 'form-general' });

  const slot = (path, controls) => {
    const err = h('div', { class: 'error', dataset: { errorFor: path } });
    slots.set(path, { err, controls });
    return err;
  };

  const blocks = fields.map((f) => {
    const id = `f-${f.name}`;
    const label = h('label', { for: id }, f.label, f.required ? h('span', { class: 'req' }, '*') : null);
    let control;
    if (f.type === 'textarea') {
      control = h('textarea', { id, name: f.name });
      readers.push(() => text(f, control.value));
    } else if (f.type === 'text') {
      control = h('input', { id, name: f.name, type: 'text' });
      readers.push(() => text(f, control.value));
    } else if (f.type === 'number') {
      control = h('input', { id, name: f.name, type: 'number', step: 1 });
      readers.push(() => (control.value === '' ? {} : { [f.name]: Number(control.value) }));
    } else if (f.type === 'date') {
      control = h('input', { id, name: f.name, type: 'date' });
      readers.push(() => (control.value ? { [f.name]: control.value } : {}));
    } else if (f.type === 'select') {
      control = h('select', { id, name: f.name }, h('option', { value: '' }, '请选择'), (f.options || []).map((o) => h('option', { value: o }, o)));
      readers.push(() => (control.value ? { [f.name]: control.value } : {}));
    } else if (f.type === 'boolean') {
      const yes = h('input', { type: 'radio', name: f.name, value: 'true', id: `${id}-yes` });
      const no = h('input', { type: 'radio', name: f.name, value: 'false', id: `${id}-no` });
      control = h('div', { class: 'row', id }, h('label', { for: `${id}-yes` }, yes, ' 是'), h('label', { for: `${id}-no` }, no, ' 否'));
      readers.push(() => (yes.checked ? { [f.name]: true } : no.checked ? { [f.name]: false } : {}));
    } else if (f.type === 'milestones') {
      control = milestones(f, slot);
      readers.push(() => ({ [f.name]: control.values() }));
      translators.push(control.toRow);
    } else if (f.type === 'files') {
      const ev = evidenceControl({ problemId: ctx.problemId, taskId: ctx.taskId, pickable: true });
      control = ev.el;
      readers.push(() => {
        const ids = ev.selected();
        return ids.length ? { [f.name]: ids } : {};
      });
    } else {
      control = h('input', { id, name: f.name });
      readers.push(() => text(f, control.value));
    }
    return h('div', { class: 'field', dataset: { field: f.name } }, label, control, slot(f.name, [control]));
  });

  function text(f, v) {
    return v.trim() === '' && !f.required ? {} : { [f.name]: v };
  }

  function clearErrors() {
    clear(general);
    for (const { err, controls } of slots.values()) {
      clear(err);
      controls.forEach((c) => c.classList?.remove('invalid'));
    }
  }

  /** Each `{field, message}` under its field (or the nearest enclosing one); the rest above the form. */
  function showErrors(list, fallback) {
    clearErrors();
    const rest = [];
    for (const e of list || []) {
      let path = translators.reduce((p, t) => t(p), norm(e.field || ''));
      while (path && !slots.has(path)) path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
      const s = slots.get(path);
      if (!s) rest.push(e);
      else {
        s.err.append(h('div', {}, fieldMessage(e.message)));
        s.controls.forEach((c) => c.classList?.add('invalid'));
      }
    }
    if (rest.length || (!list?.length && fallback)) {
      clear(general, h('div', { class: 'notice err' }, rest.length ? rest.map((e) => h('div', {}, `${e.field}：${fieldMessage(e.message)}`)) : fallback));
    }
  }

  return {
    el: h('div', {}, general, blocks),
    values: () => Object.assign({}, ...readers.map((r) => r())),
    showErrors,
    clearErrors,
  };
}

/** 倒排工期: the plan's milestones, one row each (title, due date). */
function milestones(f, slot) {
  const rows = h('div', { class: 'milestones' });
  const items = [];
  const add = () => {
    const i = items.length;
    const title = h('input', { type: 'text', placeholder: '节点内容', name: `milestones.${i}.title` });
    const due = h('input', { type: 'date', name: `milestones.${i}.dueDate` });
    const row = h('div', { class: 'milestone-row', dataset: { row: i } }, title, due,
      h('button', { type: 'button', class: 'danger', onclick: () => { row.remove(); items[i] = null; } }, '删除'),
      h('div', {}, slot(`${f.name}.${i}`, [title, due]), slot(`${f.name}.${i}.title`, [title]), slot(`${f.name}.${i}.dueDate`, [due])));
    items.push({ title, due, row });
    rows.append(row);
  };
  add();
  const el = h('div', {}, rows, h('button', { type: 'button', id: 'add-milestone', onclick: add }, '＋ 添加节点'));
  let sent = [];
  el.values = () => {
    const filled = items.map((m, i) => (m && (m.title.value.trim() || m.due.value) ? i : -1)).filter((i) => i >= 0);
    sent = filled;
    return filled.map((i) => ({ title: items[i].title.value.trim(), dueDate: items[i].due.value }));
  };
  el.toRow = (path) => path.replace(new RegExp(`^${f.name}\\.(\\d+)`), (all, k) => (sent[Number(k)] !== undefined ? `${f.name}.${sent[Number(k)]}` : all));
  return el;
}
