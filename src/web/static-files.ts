import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest folder above this file whose package.json is duban's. The pages are served
 * from the source tree (`src/web/public`), so `npm start` (compiled to dist/) and the tests (ts-jest) serve the
 * same files and there is no build step for them.
 */
export function projectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'duban') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no duban package.json above ${from}`);
    dir = up;
  }
}

const root = projectRoot();

/** URL prefix → folder. Only these folders are served; vendor bundles straight from node_modules. */
export const STATIC_DIRS = {
  assets: path.join(root, 'src/web/public'),
  // Plain modules the pages and any build of them share (the safe `next` after sign-in).
  shared: path.join(root, 'src/web/shared'),
  'bpmn-js': path.join(root, 'node_modules/bpmn-js/dist'),
  echarts: path.join(root, 'node_modules/echarts/dist'),
} as const;

export const PAGES_DIR = path.join(root, 'src/web/public');

/** A relative path of plain segments (no dot-files, no `..`), or null. */
export function safeRelative(segments: string[] | string): string | null {
  const parts = Array.isArray(segments) ? segments : segments.split('/');
  if (!parts.length || parts.length > 6) return null;
  for (const s of parts) if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}$/.test(s) || s.includes('..')) return null;
  return parts.join('/');
}

/**
 * The pages' own policy: scripts and styles from this origin only (bpmn-js and ECharts set inline styles on
 * the shapes they draw); no upgrade-insecure-requests, so a plain-http deployment still loads its scripts.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');
