import { getCurrentInstance, reactive, watch, isRef, onBeforeUnmount, ref, type Ref } from 'vue';
import { ElNotification, type NotificationHandle } from 'element-plus';
import { api, apiHooks, ApiError } from './api';

export type Role = 'unit' | 'office' | 'admin' | 'leader' | 'inspector';

export interface SessionUser {
  username: string;
  role: Role;
  unitCode: string | null;
  unitName: string | null;
  personName: string | null;
}

interface Stored {
  token: string;
  expiresAt: number;
  user: SessionUser;
}

const KEY = 'duban.session';
/** Warn this long before the sign-in ends. */
const WARN_MS = 2 * 60_000;
/** Renew when less than this is left and the person has worked since the last renewal. */
const RENEW_BELOW_MS = 7 * 60_000;
const TICK_MS = 10_000;

function load(): Stored | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Stored | null;
    return s && typeof s.token === 'string' && typeof s.expiresAt === 'number' && s.user ? s : null;
  } catch {
    return null;
  }
}

const state = reactive<{ token: string | null; expiresAt: number; user: SessionUser | null }>({
  token: null,
  expiresAt: 0,
  user: null,
});
const initial = load();
if (initial && initial.expiresAt > Date.now()) Object.assign(state, initial);

function save(): void {
  if (state.token && state.user)
    sessionStorage.setItem(KEY, JSON.stringify({ token: state.token, expiresAt: state.expiresAt, user: state.user }));
  else sessionStorage.removeItem(KEY);
}

interface MeAnswer {
  username: string;
  role: Role;
  unitCode: string | null;
  unitName?: string | null;
  personName: string | null;
  expiresAt?: string | number;
}

function toUser(me: MeAnswer): SessionUser {
  return {
    username: me.username,
    role: me.role,
    unitCode: me.unitCode ?? null,
    unitName: me.unitName ?? null,
    personName: me.personName ?? null,
  };
}

let lastActivity = 0;
let lastRenewal = Date.now();
let renewing: Promise<boolean> | null = null;
let warning: NotificationHandle | null = null;
let timer: ReturnType<typeof setInterval> | null = null;

function closeWarning(): void {
  warning?.close();
  warning = null;
}

/** POST /api/auth/refresh: a new token for the same account; false (and the warning stays) when refused. */
async function renew(): Promise<boolean> {
  if (!state.token) return false;
  renewing ??= (async () => {
    try {
      const r = await api.post<{
        token?: string;
        accessToken?: string;
        expiresAt?: string | number;
        expiresIn?: number;
      }>('/api/auth/refresh');
      const token = r.token ?? r.accessToken;
      if (!token) return false;
      state.token = token;
      state.expiresAt =
        r.expiresAt !== undefined ? new Date(r.expiresAt).getTime() : Date.now() + (r.expiresIn ?? 900) * 1000;
      lastRenewal = Date.now();
      save();
      closeWarning();
      return true;
    } catch {
      return false;
    } finally {
      renewing = null;
    }
  })();
  return renewing;
}

function expire(): void {
  closeWarning();
  const next = location.pathname + location.search;
  signOut();
  if (!location.pathname.startsWith('/login')) location.assign(`/login?expired=1&next=${encodeURIComponent(next)}`);
}

function tick(): void {
  if (!state.token) return;
  const left = state.expiresAt - Date.now();
  if (left <= 0) return expire();
  if (left < RENEW_BELOW_MS && lastActivity > lastRenewal) {
    void renew().then((ok) => {
      if (!ok) warnSoon(state.expiresAt - Date.now());
    });
    return;
  }
  warnSoon(left);
}

function warnSoon(left: number): void {
  if (left > WARN_MS || warning || !state.token) return;
  warning = ElNotification({
    type: 'warning',
    title: '登录即将失效',
    message: `登录将在 ${Math.max(1, Math.ceil(left / 60_000))} 分钟内失效。点击此处继续工作；未提交的表单已保存为草稿，重新登录后可继续填写。`,
    duration: 0,
    onClick: () => {
      void renew().then((ok) => {
        if (ok)
          ElNotification({ type: 'success', title: '已续期', message: '登录已延长，可继续工作。', duration: 3000 });
        else
          ElNotification({
            type: 'error',
            title: '续期失败',
            message: '无法延长登录，请保存草稿后重新登录。',
            duration: 6000,
          });
      });
    },
    onClose: () => {
      warning = null;
    },
  });
}

function noteActivity(): void {
  lastActivity = Date.now();
}

function start(): void {
  if (timer) return;
  timer = setInterval(tick, TICK_MS);
  for (const ev of ['keydown', 'pointerdown', 'input'])
    document.addEventListener(ev, noteActivity, { passive: true, capture: true });
}

apiHooks.token = () => state.token;
apiHooks.onUnauthorized = () => expire();
if (state.token) start();

/** Signs in: the token, then the account (GET /api/auth/me). Throws ApiError (401, 423, 422 …). */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  const r = await api.anonymous.post<{ accessToken: string; expiresIn: number }>('/api/auth/login', {
    username,
    password,
  });
  state.token = r.accessToken;
  state.expiresAt = Date.now() + r.expiresIn * 1000;
  try {
    const me = await api.get<MeAnswer>('/api/auth/me');
    state.user = toUser(me);
    if (me.expiresAt !== undefined) state.expiresAt = new Date(me.expiresAt).getTime();
  } catch (e) {
    state.token = null;
    throw e;
  }
  lastRenewal = Date.now();
  save();
  start();
  return state.user;
}

export function signOut(): void {
  state.token = null;
  state.user = null;
  state.expiresAt = 0;
  closeWarning();
  save();
}

/** Where a role starts after signing in. */
export function homeOf(role: Role | undefined): string {
  switch (role) {
    case 'unit':
      return '/unit/inbox';
    case 'office':
      return '/office/problems';
    case 'admin':
      return '/admin/accounts';
    case 'leader':
    case 'inspector':
      return '/leader/review';
    default:
      return '/login';
  }
}

const session = {
  get user() {
    return state.user;
  },
  get token() {
    return state.token;
  },
  get expiresAt() {
    return state.expiresAt;
  },
  signOut,
  signIn,
  renew,
};

/** The signed-in person (reactive in templates), the token, sign-out. */
export function useSession() {
  return session;
}

export { ApiError };

/** A form value with nothing written in it: empty texts and lists, no choice, no number but 0. */
function blank(v: unknown): boolean {
  if (v === null || v === undefined || v === 0) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.every(blank);
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).every(blank);
  return false;
}

/**
 * Keeps a half-filled form in localStorage until it is submitted (call `clear()` then): restored into the
 * model when the page opens again, for the same account only.
 */
export function useDraft<T extends object>(key: string, form: Ref<T> | T) {
  const storageKey = `duban.draft.${state.user?.username ?? 'anonymous'}.${key}`;
  const model = () => (isRef(form) ? form.value : form) as T;
  const restored = ref(false);
  const savedAt = ref<number | null>(null);
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as { at: number; value: T } | null;
    if (saved?.value && typeof saved.value === 'object') {
      Object.assign(model(), saved.value);
      restored.value = true;
      savedAt.value = saved.at;
    }
  } catch {
    localStorage.removeItem(storageKey);
  }
  let pending: ReturnType<typeof setTimeout> | null = null;
  let latest: string | null = null;
  let stopped = false;
  const write = () => {
    pending = null;
    if (stopped || latest === null) return;
    const value: unknown = JSON.parse(latest);
    // Nothing written yet (the form as it opened): no draft to keep.
    if (blank(value)) {
      localStorage.removeItem(storageKey);
      return;
    }
    const at = Date.now();
    localStorage.setItem(storageKey, JSON.stringify({ at, value }));
    savedAt.value = at;
  };
  const stop = watch(
    () => JSON.stringify(model()),
    (text) => {
      if (stopped) return;
      latest = text;
      if (pending) clearTimeout(pending);
      pending = setTimeout(write, 400);
    },
  );
  // Leaving the page, reloading or closing it (or the sign-in ending) keeps what was typed last.
  const flush = () => {
    if (!pending) return;
    clearTimeout(pending);
    write();
  };
  window.addEventListener('pagehide', flush);
  if (getCurrentInstance())
    onBeforeUnmount(() => {
      flush();
      window.removeEventListener('pagehide', flush);
      stop();
    });
  return {
    restored,
    savedAt,
    /** After a successful submit: forget the draft. */
    clear() {
      stopped = true;
      if (pending) clearTimeout(pending);
      localStorage.removeItem(storageKey);
      restored.value = false;
      savedAt.value = null;
    },
  };
}
