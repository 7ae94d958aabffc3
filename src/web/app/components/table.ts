import { ElTable as Table, ElTableColumn as TableColumn } from 'element-plus';
import { defineComponent, h, withDirectives, type Component, type Directive } from 'vue';

/** Each body cell gets its column's name as data-label: on a phone a row is a card of "name value" lines (styles.css). */
const observers = new WeakMap<HTMLElement, MutationObserver>();

function labelCells(el: HTMLElement): void {
  const names = [...el.querySelectorAll('.el-table__header-wrapper th.el-table__cell')].map(
    (th) => (th as HTMLElement).innerText?.trim() ?? '',
  );
  for (const tr of el.querySelectorAll('.el-table__body-wrapper tr.el-table__row'))
    [...tr.children].forEach((td, i) => {
      const name = names[i];
      if (name && td.getAttribute('data-label') !== name) td.setAttribute('data-label', name);
      else if (!name && td.hasAttribute('data-label')) td.removeAttribute('data-label');
    });
}

const cellLabels: Directive<HTMLElement> = {
  mounted(el) {
    labelCells(el);
    const o = new MutationObserver(() => labelCells(el));
    o.observe(el, { childList: true, subtree: true, characterData: true });
    observers.set(el, o);
  },
  unmounted(el) {
    observers.get(el)?.disconnect();
    observers.delete(el);
  },
};

/**
 * The table and its columns, imported by the views that show one. Their rows are the views' own types
 * (Problem, Account …): the slots hand them on untyped, as the globally registered table did. The table is
 * Element Plus's own, with its cells named for the phone layout.
 */
export const ElTable = defineComponent({
  name: 'PhoneReadyTable',
  inheritAttrs: false,
  setup(_, { attrs, slots }) {
    return () => withDirectives(h(Table, attrs, slots), [[cellLabels]]);
  },
}) as unknown as Component;
export const ElTableColumn = TableColumn as unknown as Component;
