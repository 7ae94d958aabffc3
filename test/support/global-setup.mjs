// Jest's global setup (jest.config.js), once per run: the pages built when missing or stale, so the tests that
// open one serve the real build; and a fresh embedded cluster dumped once, which every in-memory test database
// starts from (DUBAN_EMBEDDED_TEMPLATE) rather than creating its own cluster anew.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { buildPages } from '../../scripts/build-pages.mjs';

export default async function globalSetup() {
  await buildPages({ quiet: true });
  const db = await PGlite.create({ extensions: { pgcrypto } });
  try {
    const dump = await db.dumpDataDir('none');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'duban-cluster-')), 'cluster.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    process.env.DUBAN_EMBEDDED_TEMPLATE = file;
  } finally {
    await db.close();
  }
}
