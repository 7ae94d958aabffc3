import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@nestjs/common';

/** The shortest key a key file or a key setting may hold. */
export const MIN_KEY_CHARS = 32;

/**
 * A key kept in a file of its own (mode 0600), generated the first time: `file` is read when it holds a usable
 * key (at least MIN_KEY_CHARS characters), else written with 48 random bytes in base64url. The key is the
 * file's text, as its UTF-8 bytes.
 */
export function keyFromFile(file: string, what: string, logger: Logger): Buffer {
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8').trim();
    if (text.length >= MIN_KEY_CHARS) return Buffer.from(text, 'utf8');
    logger.warn(`${file} holds no usable ${what}; writing a new one`);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(48).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  logger.log(`generated the ${what} in ${file}`);
  return Buffer.from(key, 'utf8');
}
