// The API as the pages use it: the token kept in sessionStorage, JSON in and out, 401 → sign in again.
const TOKEN = 'duban.token';
const USER = 'duban.user';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (Array.isArray(body.message) ? body.message.join('; ') : body.message)) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function currentUser() {
  try {
    return JSON.parse(sessionStorage.getItem(USER) || 'null');
  } catch {
    return null;
  }
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(USER);
}

export async function signIn(username, password) {
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body);
  sessionStorage.setItem(TOKEN, body.accessToken);
  const me = await api('/api/auth/me');
  sessionStorage.setItem(USER, JSON.stringify(me));
  return me;
}

export function toLogin() {
  const next = location.pathname + location.search;
  location.href = `/login?next=${encodeURIComponent(next)}`;
}

/** Raw call: the Response, with the token; a 401 (expired sign-in) sends the user to the sign-in page. */
export async function call(path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  const t = token();
  if (t && !opts.anonymous) headers.Authorization = `Bearer ${t}`;
  let body = opts.body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(body);
  }
  const res = await fetch(path, { method: opts.method || 'GET', headers, body });
  if (res.status === 401 && !opts.anonymous) {
    signOut();
    toLogin();
    throw new ApiError(401, { message: '登录已失效，请重新登录' });
  }
  return res;
}

/** JSON call; a non-2xx answer is thrown as ApiError with its body (422: `fields`, import: `errors`). */
export async function api(path, opts = {}) {
  const res = await call(path, opts);
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { message: text };
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** A download through the API (the token is a header, so no plain link): fetched as a blob and saved. */
export async function download(path, fallbackName) {
  const res = await call(path);
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
  const blob = await res.blob();
  const cd = res.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const name = star ? decodeURIComponent(star[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, size: blob.size };
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
