// Jest's global teardown: the cluster dump of the global setup goes with the run.
import { rmSync } from 'node:fs';
import path from 'node:path';

export default async function globalTeardown() {
  const file = process.env.DUBAN_EMBEDDED_TEMPLATE;
  if (file && path.basename(path.dirname(file)).startsWith('duban-cluster-')) {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
