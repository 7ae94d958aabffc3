import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config.js';
import { AuditKey, resolveAuditKey } from './audit-key.js';

const quiet = new Logger('test');
quiet.log = () => undefined;
quiet.warn = () => undefined;

describe('the audit key', () => {
  it('is DUBAN_AUDIT_KEY when set: its UTF-8 bytes, named by a fingerprint that does not give it away', () => {
    const secret = 'a-key-of-at-least-thirty-two-characters';
    const key = resolveAuditKey(loadConfig({ DUBAN_AUDIT_KEY: secret }), quiet);
    expect(key.sessionValue).toBe(Buffer.from(secret).toString('hex'));
    const hmac = (...parts: string[]) =>
      parts.reduce((h, p) => h.update(p), createHmac('sha256', secret)).digest('hex');
    expect(key.fingerprint).toBe(hmac('duban audit key fingerprint').slice(0, 16));
    expect(key.link('0'.repeat(64), '{}')).toBe(hmac('0'.repeat(64), '{}'));
  });

  it('is generated beside the data on the embedded default (mode 0600) and read back at the next start', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'duban-key-'));
    const first = resolveAuditKey(loadConfig({ DUBAN_DATA_DIR: dir }), quiet);
    const file = path.join(dir, 'audit-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toHaveLength(64);
    expect(resolveAuditKey(loadConfig({ DUBAN_DATA_DIR: dir }), quiet).fingerprint).toBe(first.fingerprint);
  });

  it('is random per process with nowhere to keep it', () => {
    const a = resolveAuditKey(loadConfig({ DUBAN_DATA_DIR: ':memory:' }), quiet);
    const b = resolveAuditKey(loadConfig({ DUBAN_DATA_DIR: ':memory:' }), quiet);
    expect(a).toBeInstanceOf(AuditKey);
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });
});
