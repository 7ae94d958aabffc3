import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
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
    const file = path.resolve(config.DUBAN_DATA_DIR, 'jwt-secret');
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8').trim();
      if (text.length >= 32) return Buffer.from(text, 'utf8');
      logger.warn(`${file} holds no usable key; writing a new one`);
    }
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    logger.log(`generated the token key in ${file}`);
    return Buffer.from(secret, 'utf8');
  }
  if (config.NODE_ENV !== 'test') {
    logger.warn('DUBAN_JWT_SECRET is not set: using a random key for this process only; tokens end with it');
  }
  return randomBytes(48);
}
