// The header every page shares, and the sign-in check of the pages that need one.
import { api, currentUser, signOut, toLogin, token } from './api.js';
import { $, clear, h } from './dom.js';
import { ROLE } from './format.js';

const READERS = ['admin', 'office', 'leader', 'inspector'];
const NAV = [
  { href: '/inbox', text: '待办', roles: ['admin', 'office', 'leader', 'inspector', 'unit'] },
  { href: '/ledger', text: '台账', roles: ['admin', 'office', 'leader', 'inspector', 'unit'] },
  { href: '/review', text: '挂图作战', roles: READERS },
  { href: '/dashboard', text: '驾驶舱', roles: READERS },
  { href: '/incidents', text: '流程异常', roles: ['admin', 'office'] },
  { href: '/public', text: '信息公开', roles: null },
];

export function homeOf(user) {
  return user?.role === 'leader' ? '/review' : '/inbox';
}

/** A promise that never settles: `await` it to stop a page's module without an error. */
const halt = () => new Promise(() => {});

/**
 * Draws the header; with `signedIn` (the default) sends an anonymous visitor to the sign-in page and
 * refuses a role the page is not for. Resolves to the signed-in user (or null on a public page); a page
 * that is refused never resolves, so the page's module stops at its `await layout(…)`.
 */
export function layout(active, opts = {}) {
  const { signedIn = true, roles = null } = opts;
  const user = token() ? currentUser() : null;
  const header = $('#top');
  const links = NAV.filter((n) => !n.roles || (user && n.roles.includes(user.role)));
  clear(
    header,
    h('a', { class: 'brand', href: user ? homeOf(user) : '/public' }, '督办'),
    h('nav', {}, links.map((n) => h('a', { href: n.href, class: n.href === active ? 'active' : '' }, n.text))),
    user
      ? h('span', { class: 'who' }, `${user.personName || user.username}（${ROLE[user.role] || user.role}${user.unitCode ? ` · ${user.unitCode}` : ''}）`,
          h('button', { type: 'button', id: 'sign-out', onclick: () => { signOut(); location.href = '/login'; } }, '退出'))
      : h('a', { class: 'who', href: '/login', style: { color: '#fff' } }, '登录'),
  );
  if (signedIn && !user) {
    toLogin();
    return halt();
  }
  if (user && roles && !roles.includes(user.role)) {
    clear($('#main'), h('div', { class: 'notice err' }, `此页面供${roles.map((r) => ROLE[r]).join('、')}使用。`));
    return halt();
  }
  if (user) void banners(user);
  return Promise.resolve(user);
}

/** Warnings every signed-in page carries: a provisional calendar year; for the office, stopped processes. */
async function banners(user) {
  const main = $('#main');
  if (!main?.parentNode) return;
  const box = h('div', { id: 'banners' });
  main.parentNode.insertBefore(box, main);
  const shown = [];
  try {
    const status = await api('/api/calendar/status');
    if (status.warning) shown.push(h('div', { class: 'notice warn', id: 'calendar-banner' }, `暂定工作日历：${status.warning}`));
  } catch {
    /* the banner is a help, not the page */
  }
  if (user.role === 'office' || user.role === 'admin') {
    try {
      const open = await api('/api/incidents?pageSize=1');
      if (open.total > 0) {
        shown.push(h('div', { class: 'notice err', id: 'incident-banner' }, `有 ${open.total} 个流程步骤执行失败，相关问题的督办已停止。`,
          h('a', { href: '/incidents' }, '查看并重试')));
      }
    } catch {
      /* as above */
    }
  }
  clear(box, ...shown);
}

export { READERS };

/** Shows a failure in place (and keeps the page alive). */
export function failure(el, err, what = '加载失败') {
  const msg = err?.status === 403 ? '无权查看' : err?.status === 404 ? '未找到' : err?.message || String(err);
  clear(el, h('div', { class: 'notice err' }, `${what}：${msg}`));
}

export function pager(el, { page, pageSize, total }, go) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  clear(
    el,
    h('span', { class: 'muted' }, `共 ${total} 条，第 ${page} / ${pages} 页`),
    h('button', { type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, '上一页'),
    h('button', { type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, '下一页'),
  );
}
