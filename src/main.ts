import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/app-config.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen(config.PORT, '0.0.0.0');
  const url = `http://localhost:${config.PORT}`;
  new Logger('duban').log(`listening on ${url} (${config.embedded ? `embedded database in ${config.DUBAN_DATA_DIR}` : 'PostgreSQL + Redis'})`);
  new Logger('duban').log(`open ${url}/login to sign in; API documentation at ${url}/api/docs`);
}

process.on('unhandledRejection', (e) => new Logger('process').error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
void main();
