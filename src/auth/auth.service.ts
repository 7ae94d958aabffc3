import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../clock/clock.js';
import { DomainException } from '../common/domain-exception.js';
import { authUserOf } from './account.service.js';
import { AccountsRepository, type AccountRow } from './accounts.repository.js';
import type { AuthUser } from './auth-user.js';
import { LOCK_MS, MAX_FAILURES, UnknownUserThrottle, afterFailure, failureDelayMs, lockedAt, type ThrottleState } from './login-throttle.js';
import { decoyHash, verifyPassword } from './password-hasher.js';
import { TokenService } from './token.service.js';

export type Authenticated = { ok: true; user: AuthUser } | { ok: false; reason: string; locked?: { until: number } };

/** A sign-in refused because the name is locked: 423 with the time to wait. */
export function lockedError(until: number, now: number): DomainException {
  const retryAfterSeconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new DomainException('LOCKED', 423, `too many failed sign-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} min`, {
    retryAfterSeconds,
    lockedUntil: new Date(until).toISOString(),
  });
}

const BASIC_CACHE_MS = 60_000;

/**
 * Sign-in and the checks of every call: passwords (scrypt), the failure throttle and lock, bearer tokens,
 * and HTTP Basic for the Camunda tools. An unknown name goes through the same hash, delays and lock as a
 * wrong password, so the answers tell nothing about which names exist.
 */
@Injectable()
export class AuthService {
  private readonly unknown = new UnknownUserThrottle();
  /** Basic credentials verified a moment ago (a worker polls every few hundred ms; scrypt costs ~100 ms). */
  private readonly basicCache = new Map<string, { accountId: string; until: number }>();

  constructor(
    private readonly db: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async login(username: string, password: string): Promise<{ accessToken: string; expiresIn: number; user: AuthUser }> {
    const res = await this.checkPassword(username, password);
    if (!res.ok) {
      await this.audit.record({ actor: 'anonymous', actorName: null, action: 'auth.login_failed', entityType: 'account', entityId: null, details: { username, reason: res.reason } });
      if (res.locked) throw lockedError(res.locked.until, this.clock.now());
      throw new DomainException('INVALID_CREDENTIALS', 401, 'wrong username or password');
    }
    await this.audit.record({ actor: res.user.accountId, actorName: res.user.username, action: 'auth.login', entityType: 'account', entityId: res.user.accountId });
    return { accessToken: this.tokens.issue(res.user), expiresIn: this.tokens.ttlSeconds, user: res.user };
  }

  /** A bearer token: valid signature and not expired (no database read: the token carries the caller). */
  authenticateBearer(token: string): Authenticated {
    return this.tokens.user(token);
  }

  /** HTTP Basic, as Camunda Modeler and external workers send it; same throttle and lock as sign-in. */
  async authenticateBasic(username: string, password: string): Promise<Authenticated> {
    const key = createHash('sha256').update(`${username}\u0000${password}`).digest('base64');
    const cached = this.basicCache.get(key);
    const now = this.clock.now();
    if (cached && cached.until > Date.now()) {
      const account = await this.accounts.findById(cached.accountId);
      if (account && !account.disabled && !lockedAt(throttleOf(account), now)) return { ok: true, user: authUserOf(account) };
      this.basicCache.delete(key);
    }
    const res = await this.checkPassword(username, password);
    if (res.ok) {
      if (this.basicCache.size > 1000) this.basicCache.clear();
      this.basicCache.set(key, { accountId: res.user.accountId, until: Date.now() + BASIC_CACHE_MS });
    }
    return res;
  }

  private async checkPassword(username: string, password: string): Promise<Authenticated> {
    const account = await this.accounts.findByUsername(username);
    const now = this.clock.now();
    const state = account ? throttleOf(account) : this.unknown.get(username);
    if (lockedAt(state, now)) return { ok: false, reason: 'locked', locked: { until: state.lockedUntil! } };
    const ok = await verifyPassword(password, account?.password_hash ?? (await decoyHash()));
    if (ok && account && !account.disabled) {
      if (account.failed_attempts || account.locked_until) await this.accounts.clearFailures(account.id);
      return { ok: true, user: authUserOf(account) };
    }
    const next = account ? await this.countFailure(account) : this.unknown.fail(username, now);
    await sleep(failureDelayMs(next.failedAttempts));
    if (lockedAt(next, now)) return { ok: false, reason: `wrong password ${MAX_FAILURES} times in a row: locked for ${LOCK_MS / 60_000} min`, locked: { until: next.lockedUntil! } };
    return { ok: false, reason: !account ? 'unknown username' : account.disabled ? 'account disabled' : 'wrong password' };
  }

  private async countFailure(account: AccountRow): Promise<ThrottleState> {
    return this.db.transaction(async (m) => {
      const row = await this.accounts.throttleForUpdate(account.id, m);
      const next = afterFailure(row ? { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until ? new Date(row.locked_until).getTime() : null } : throttleOf(account), this.clock.now());
      await this.accounts.saveThrottle(account.id, next.failedAttempts, next.lockedUntil ? new Date(next.lockedUntil) : null, m);
      return next;
    });
  }
}

function throttleOf(a: AccountRow): ThrottleState {
  return { failedAttempts: a.failed_attempts, lockedUntil: a.locked_until ? new Date(a.locked_until).getTime() : null };
}
