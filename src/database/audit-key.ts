import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { keyFromFile } from '../common/key-file.js';
import type { AppConfig } from '../config/app-config.js';

/** The session setting through which PostgreSQL gets the key, for the chaining trigger (never stored). */
export const AUDIT_KEY_SETTING = 'duban.audit_key';
/** What the fingerprint is the HMAC of; the trigger computes the same (migration 1765320000000). */
const FINGERPRINT_INPUT = 'duban audit key fingerprint';

/**
 * The audit chain's key: entries are chained with HMAC-SHA256 under it, so writing the database is not enough
 * to re-chain the trail. It is never in the database: each session carries it as a setting, and the trail
 * records only its fingerprint.
 */
export class AuditKey {
  readonly fingerprint: string;

  constructor(private readonly bytes: Buffer) {
    this.fingerprint = createHmac('sha256', bytes).update(FINGERPRINT_INPUT).digest('hex').slice(0, 16);
  }

  /** HMAC-SHA256 of a chain link (the previous hash and the entry's canonical JSON), hex. */
  link(prevHash: string, canonical: string): string {
    return createHmac('sha256', this.bytes).update(prevHash).update(canonical).digest('hex');
  }

  /** The key as the session setting holds it (hex: safe in a connection's startup options). */
  get sessionValue(): string {
    return this.bytes.toString('hex');
  }
}

/**
 * DUBAN_AUDIT_KEY when set (required on a server database and in production). Otherwise the embedded default
 * keeps a generated one in DUBAN_DATA_DIR/audit-key (mode 0600) beside the token key; with `:memory:` each
 * process makes its own, as its trail ends with it.
 */
export function resolveAuditKey(config: AppConfig, logger = new Logger('audit')): AuditKey {
  if (config.DUBAN_AUDIT_KEY) return new AuditKey(Buffer.from(config.DUBAN_AUDIT_KEY, 'utf8'));
  if (config.embedded && config.DUBAN_DATA_DIR !== ':memory:') {
    return new AuditKey(keyFromFile(path.resolve(config.DUBAN_DATA_DIR, 'audit-key'), 'audit key', logger));
  }
  if (!config.embedded) throw new Error('DUBAN_AUDIT_KEY must be set with DATABASE_URL');
  return new AuditKey(randomBytes(48));
}
