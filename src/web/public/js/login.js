import { ApiError, currentUser, signIn, token } from './api.js';
import { $, clear, h } from './dom.js';
import { homeOf, layout } from './layout.js';
import { safeNext } from '/shared/safe-next.js';

await layout('/login', { signedIn: false });

// Only a page of this site: /login?next=/\evil.example and friends go home instead (src/web/shared/safe-next.js).
const next = safeNext(new URLSearchParams(location.search).get('next'), location.origin);
const msg = h('div', { id: 'login-message' });
const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
const submit = h('button', { class: 'primary', type: 'submit', id: 'login-submit' }, '登录');

async function onSubmit(e) {
  e.preventDefault();
  clear(msg);
  submit.disabled = true;
  try {
    const me = await signIn(username.value.trim(), password.value);
    location.href = next || homeOf(me);
  } catch (err) {
    const text = err instanceof ApiError
      ? err.status === 401 ? '用户名或密码错误' : err.status === 423 ? `多次失败，账号已暂时锁定，请 ${Math.ceil((err.body.retryAfterSeconds || 900) / 60)} 分钟后再试` : err.status === 422 ? '请输入用户名和密码' : err.message
      : '无法连接服务';
    clear(msg, h('div', { class: 'notice err' }, text));
  } finally {
    submit.disabled = false;
  }
}

clear(
  $('#main'),
  h('div', { class: 'card login-box' },
    h('h1', {}, '督办系统登录'),
    token() && currentUser() ? h('div', { class: 'notice info' }, `已登录为 ${currentUser().username}，`, h('a', { href: homeOf(currentUser()) }, '进入'), '，或以其他账号登录。') : null,
    msg,
    h('form', { id: 'login-form', onsubmit: onSubmit, novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'username' }, '用户名'), username),
      h('div', { class: 'field' }, h('label', { for: 'password' }, '密码'), password),
      submit),
    h('p', { class: 'small muted' }, '公众可直接查看 ', h('a', { href: '/public' }, '整改信息公开'), '。')),
);
username.focus();
