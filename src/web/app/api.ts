import { ElMessage } from 'element-plus';
import { ERROR_LABELS, STATUS_ERRORS, fieldMessage, hasChinese } from './i18n/labels';

/**
 * The API as the pages use it: the session's token, JSON in and out. Every failure is thrown as an ApiError
 * with a Chinese message (the API's own when it is Chinese, else the Chinese for its code or status).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Per field (dotted path as sent), Chinese messages; only for a refusal about fields (422). */
  readonly fields?: Record<string, string[]>;
  /** The answer's body as sent (an import's row errors, retryAfterSeconds …). */
  readonly body: Record<string, unknown>;

  constructor(status: number, body: unknown) {
    const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const code = String(b.error ?? b.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`));
    const raw = Array.isArray(b.message) ? b.message.join('；') : typeof b.message === 'string' ? b.message : '';
    const message = hasChinese(raw)
      ? raw
      : (ERROR_LABELS[code] ??
        STATUS_ERRORS[status] ??
        (status === 0 ? '无法连接服务，请检查网络' : `请求失败（${status}）`));
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = b;
    if (Array.isArray(b.fields)) {
      const fields: Record<string, string[]> = {};
      for (const f of b.fields as { field?: unknown; message?: unknown }[]) {
        const name = String(f?.field ?? '');
        (fields[name] ??= []).push(fieldMessage(String(f?.message ?? '')));
      }
      this.fields = fields;
    }
  }
}

type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

/** Hooks the session sets: the token to send and what to do on 401. */
export const apiHooks: { token: () => string | null; onUnauthorized: () => void } = {
  token: () => null,
  onUnauthorized: () => {},
};

export function queryString(q?: Query): string {
  if (!q) return '';
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (Array.isArray(v)) v.forEach((x) => s.append(k, String(x)));
    else s.set(k, String(v));
  }
  const text = s.toString();
  return text ? `?${text}` : '';
}

interface CallOptions {
  method?: string;
  body?: unknown;
  anonymous?: boolean;
}

/** The raw Response, with the token; a 401 ends the session (the person signs in again). */
export async function call(url: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = apiHooks.token();
  if (token && !opts.anonymous) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method: opts.method ?? 'GET', headers, body });
  } catch {
    throw new ApiError(0, {});
  }
  if (res.status === 401 && token && !opts.anonymous) apiHooks.onUnauthorized();
  return res;
}

function parse(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

async function json<T>(url: string, opts: CallOptions): Promise<T> {
  const res = await call(url, opts);
  const body = parse(await res.text());
  if (!res.ok) throw new ApiError(res.status, body);
  return body as T;
}

/** Saves a blob the API answers (the token is a header, so no plain link can fetch it). */
async function download(url: string, filename?: string): Promise<{ name: string; size: number }> {
  const res = await call(url);
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
  const blob = await res.blob();
  const cd = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : (filename ?? url.split('/').pop() ?? '下载文件');
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return { name, size: blob.size };
}

export const api = {
  get: <T>(url: string, query?: Query) => json<T>(url + queryString(query), {}),
  post: <T>(url: string, body?: unknown) => json<T>(url, { method: 'POST', body }),
  put: <T>(url: string, body?: unknown) => json<T>(url, { method: 'PUT', body }),
  patch: <T>(url: string, body?: unknown) => json<T>(url, { method: 'PATCH', body }),
  del: <T>(url: string, body?: unknown) => json<T>(url, { method: 'DELETE', body }),
  upload: <T>(url: string, formData: FormData) => json<T>(url, { method: 'POST', body: formData }),
  download,
  /** Without the token (sign-in, the public page). */
  anonymous: {
    get: <T>(url: string, query?: Query) => json<T>(url + queryString(query), { anonymous: true }),
    post: <T>(url: string, body?: unknown) => json<T>(url, { method: 'POST', body, anonymous: true }),
  },
};

/** Shows a failure to the person (in Chinese); a 401 is already handled by the session. */
export function showError(e: unknown, what?: string): void {
  if (e instanceof ApiError && e.status === 401) return;
  const text = e instanceof ApiError ? e.message : '操作失败，请稍后重试';
  ElMessage({ type: 'error', message: what ? `${what}：${text}` : text, showClose: true, duration: 6000 });
}

/**
 * A 422's per-field messages for el-form (`:error` on each el-form-item), keyed by the field's name as sent
 * (nested fields dotted: `milestones.0.title`). Empty when the failure is not about fields.
 */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || !e.fields) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.fields)) out[k] = v.join('；');
  return out;
}
