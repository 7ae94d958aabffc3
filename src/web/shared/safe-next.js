// Shared by the sign-in page and anything else that sends the browser on to a `next` it was given: plain
// JavaScript (the pages have no build step), typed by safe-next.d.ts, tested by safe-next.spec.ts.

const MAX_LENGTH = 2048;

/**
 * Where to go after signing in: `next` when it is a path of this site, else null (go home).
 * Only a path that starts with one `/` and resolves, by the URL parser the browser itself follows, to
 * `origin`; backslashes and control characters are refused outright, since browsers read `/\host` as
 * `//host` and drop tabs and newlines (`/%09/host`). The answer is the resolved path, query and fragment,
 * never the text as given. The sign-in page itself is no place to go on to.
 *
 * @param {string | null | undefined} next the `next` query parameter, decoded
 * @param {string} origin this site's origin, e.g. `location.origin`
 * @returns {string | null}
 */
export function safeNext(next, origin) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > MAX_LENGTH) return null;
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(next)) return null;
  let url;
  let base;
  try {
    base = new URL(origin);
    url = new URL(next, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || url.username || url.password) return null;
  if (url.pathname === '/login' || url.pathname.startsWith('/login/')) return null;
  return url.pathname + url.search + url.hash;
}
