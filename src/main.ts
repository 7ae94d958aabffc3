import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { servePort } from './cluster-primary.js';

async function main() {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const workers = config.workers(availableParallelism());
  if (cluster.isPrimary && workers > 1) return servePort(workers);
  if (cluster.isWorker) {
    // The primary is gone (killed, or stopped): this process is part of a dead node and stops with it.
    process.on('disconnect', () => process.exit(1));
  }
  const app = await createApp(config);
  await app.listen(config.PORT, '0.0.0.0');
  if (cluster.isWorker && cluster.worker!.id > 1) return;
  const url = `http://localhost:${config.PORT}`;
  const how = workers > 1 ? `, ${workers} processes` : '';
  new Logger('duban').log(
    `listening on ${url} (${config.embedded ? `embedded database in ${config.DUBAN_DATA_DIR}` : 'PostgreSQL + Redis'}${how})`,
  );
  new Logger('duban').log(`open ${url}/login to sign in; API documentation at ${url}/api/docs`);
}

process.on('unhandledRejection', (e) =>
  new Logger('process').error(`unhandled rejection: ${(e as Error)?.stack ?? e}`),
);
void main();
