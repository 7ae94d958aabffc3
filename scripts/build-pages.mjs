#!/usr/bin/env node
// Builds the pages (src/web/app, Vue + Element Plus) into dist/pages with Vite, when dist/pages is missing or
// older than any of its sources. `npm start` runs it first, so a newcomer needs no second command; the
// browser tests call it once too. `--force` builds regardless.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'dist/pages/index.html');
// The settings page takes the supervision settings' labels, ranges and groups from the service's own module.
const SOURCES = [
  'src/web/app',
  'src/web/shared',
  'src/supervision/settings/supervision-settings.ts',
  'vite.config.ts',
  'package-lock.json',
].map((p) => path.join(root, p));

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const e of readdirSync(p)) t = Math.max(t, newest(path.join(p, e)));
  return t;
}

/** True when dist/pages is missing or older than its sources. */
export function pagesStale() {
  if (!existsSync(OUT)) return true;
  const built = statSync(OUT).mtimeMs;
  return SOURCES.some((s) => newest(s) > built);
}

export async function buildPages({ force = false, quiet = false } = {}) {
  if (!force && !pagesStale()) return false;
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });
  if (!quiet) console.log(`pages built into dist/pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildPages({ force: process.argv.includes('--force') }).catch((e) => {
    console.error(`building the pages failed: ${e?.stack ?? e}`);
    process.exit(1);
  });
}
