import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest folder above this file whose package.json is duban's. The pages are built
 * (Vite, scripts/build-pages.mjs) from src/web/app into dist/pages there, so `npm start` (compiled to dist/)
 * and the tests (ts-jest) serve the same files.
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

/** The built pages: index.html and its hashed bundles under assets/. */
export const PAGES_DIR = path.join(root, 'dist/pages');
export const ASSETS_DIR = path.join(PAGES_DIR, 'assets');

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
