import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { keyFromFile } from '../common/key-file.js';
import type { AppConfig } from '../config/app-config.js';

/**
 * The token key: DUBAN_JWT_SECRET when set (required in production and on a server database, where nodes must
 * share it: loadConfig refuses to start without). Otherwise the embedded default keeps a generated one in
 * DUBAN_DATA_DIR/jwt-secret (mode 0600), so sign-ins survive a restart; with nowhere to keep it (`:memory:`)
 * the process makes its own, and tokens end with the process.
 */
export function resolveJwtSecret(config: AppConfig, logger = new Logger('auth')): Buffer {
  if (config.DUBAN_JWT_SECRET) return Buffer.from(config.DUBAN_JWT_SECRET, 'utf8');
  if (config.embedded && config.DUBAN_DATA_DIR !== ':memory:') {
    return keyFromFile(path.resolve(config.DUBAN_DATA_DIR, 'jwt-secret'), 'token key', logger);
  }
  if (config.NODE_ENV !== 'test') {
    logger.warn('DUBAN_JWT_SECRET is not set: using a random key for this process only; tokens end with it');
  }
  return randomBytes(48);
}
