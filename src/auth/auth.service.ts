import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { WallClock } from '../clock/clock.js';
import { DomainException } from '../common/domain-exception.js';
import { AppConfig } from '../config/app-config.js';
import { authUserOf } from './account.service.js';
import { AccountsRepository, type AccountRow } from './accounts.repository.js';
import type { AuthUser } from './auth-user.js';
import { LoginThrottleRepository, type ThrottleKey } from './login-throttle.repository.js';
import {
  LOCK_MS,
  MAX_FAILURES,
  NAME_LIMIT,
  RESERVATION_MS,
  WINDOW_MS,
  addressLimit,
  afterFailure,
  afterSuccess,
  failureDelayMs,
  reserve,
  type ThrottleLimit,
  type ThrottleState,
} from './login-throttle.js';
import { decoyHash, verifyPassword } from './password-hasher.js';
import { TokenService } from './token.service.js';

export type Authenticated = { ok: true; user: AuthUser } | { ok: false; reason: string; locked?: { until: number } };
type Checked =
  | { ok: true; user: AuthUser; version: number }
  | { ok: false; reason: string; checked: boolean; locked?: { until: number } };
type SignedIn = { accessToken: string; expiresIn: number; expiresAt: string; user: AuthUser };

/** A sign-in refused because the name is locked for this address: 423 with the time to wait. */
export function lockedError(until: number, now: number): DomainException {
  const retryAfterSeconds = Math.max(1, Math.ceil((until - now) / 1000));
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new DomainException('LOCKED', 423, `登录失败次数过多，请 ${minutes} 分钟后再试`, {
    retryAfterSeconds,
    lockedUntil: new Date(until).toISOString(),
  });
}

type Settle = (s: ThrottleState, limit: ThrottleLimit, now: number, i: number) => ThrottleState;

/** An attempt refused before its password is checked (thrown to roll its transaction back). */
class Refused {
  constructor(readonly until: number) {}
}

const BASIC_CACHE_MS = 60_000;
/** A session renews while the person works, but not beyond a working day after signing in. */
export const MAX_SESSION_S = 12 * 3600;

/** The signed-in account as the pages show it, with the end of its token. */
export type SessionView = AuthUser & { unitName: string | null; expiresAt: string };
const CLEANUP_EVERY_MS = 60_000;

/**
 * Sign-in and the checks of every call: passwords (scrypt) behind the throttle (login-throttle.ts), bearer
 * tokens checked against the account's state, and HTTP Basic for the Camunda tools. An unknown name goes
 * through the same reservation, hash, delays and lock as a wrong password, so the answers tell nothing about
 * which names exist. Security time is the wall clock.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('auth');
  /** Basic credentials verified a moment ago (a worker polls every few hundred ms; scrypt costs ~100 ms). */
  private readonly basicCache = new Map<string, { accountId: string; version: number; until: number }>();
  private readonly limits: [ThrottleLimit, ThrottleLimit];
  private lastCleanup = 0;
  /** Passwords this node has hashed to compare (sign-ins and HTTP Basic): what the throttle bounds. */
  passwordChecks = 0;

  constructor(
    private readonly db: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly wall: WallClock,
    config: AppConfig,
  ) {
    this.limits = [NAME_LIMIT, addressLimit(config.DUBAN_LOGIN_ADDRESS_FAILURES)];
  }

  async login(username: string, password: string, address: string): Promise<SignedIn> {
    const res = await this.checkPassword(username, password, address);
    if (!res.ok) {
      const details = { username, address, reason: res.reason, passwordChecked: res.checked };
      const failed = { actor: 'anonymous', actorName: null, action: 'auth.login_failed', entityType: 'account' };
      await this.audit.record({ ...failed, entityId: null, details });
      if (res.locked) throw lockedError(res.locked.until, this.wall.now());
      throw new DomainException('INVALID_CREDENTIALS', 401, '用户名或密码错误');
    }
    const { accountId, username: name } = res.user;
    const entry = { actor: accountId, actorName: name, action: 'auth.login', entityType: 'account' };
    await this.audit.record({ ...entry, entityId: accountId, details: { address } });
    const { token, exp } = this.tokens.issueWithExpiry(res.user, res.version);
    return {
      accessToken: token,
      expiresIn: this.tokens.ttlSeconds,
      expiresAt: new Date(exp * 1000).toISOString(),
      user: res.user,
    };
  }

  /** A bearer token: valid signature, not expired, and its account still enabled and unchanged since it was issued. */
  async authenticateBearer(token: string): Promise<Authenticated> {
    const t = this.tokens.user(token);
    if (!t.ok) return t;
    const session = await this.accounts.session(t.user.accountId);
    if (!session) return { ok: false, reason: 'token of an account that does not exist' };
    if (session.disabled) return { ok: false, reason: 'account disabled' };
    if (session.token_version !== t.version) return { ok: false, reason: 'token revoked: the account changed since' };
    return { ok: true, user: t.user };
  }

  /**
   * A new token for the caller's still valid one (`POST /api/auth/refresh`), under the account's current token
   * version and with its current person; refused once MAX_SESSION_S have passed since the sign-in.
   */
  async refresh(token: string): Promise<{ token: string; accessToken: string; expiresIn: number; expiresAt: string }> {
    const v = this.tokens.verify(token);
    if (!v.ok) throw new DomainException('UNAUTHENTICATED', 401, '登录已失效，请重新登录');
    const signedInAt = v.claims.sat ?? v.claims.iat;
    if (Math.floor(this.wall.now() / 1000) - signedInAt >= MAX_SESSION_S) {
      throw new DomainException('SESSION_TOO_LONG', 401, `登录已超过 ${MAX_SESSION_S / 3600} 小时，请重新登录`);
    }
    const account = await this.accounts.findById(v.claims.sub);
    if (!account || account.disabled || account.token_version !== (v.claims.ver ?? 0)) {
      throw new DomainException('UNAUTHENTICATED', 401, '账号已停用或已变更，请重新登录');
    }
    const fresh = this.tokens.issueWithExpiry(authUserOf(account), account.token_version, signedInAt);
    const expiresAt = new Date(fresh.exp * 1000).toISOString();
    return { token: fresh.token, accessToken: fresh.token, expiresIn: this.tokens.ttlSeconds, expiresAt };
  }

  /** `GET /api/auth/me`: the account as it is now (person and unit names), and when the caller's token ends. */
  async me(user: AuthUser, token: string | null): Promise<SessionView> {
    const v = token ? this.tokens.verify(token) : null;
    const account = await this.accounts.findById(user.accountId);
    const now = account ? authUserOf(account) : user;
    const unitName = now.unitCode ? await this.accounts.unitName(now.unitCode) : null;
    const expiresAt = v?.ok ? new Date(v.claims.exp * 1000).toISOString() : new Date(this.wall.now()).toISOString();
    return { ...now, unitName, expiresAt };
  }

  /** HTTP Basic, as Camunda Modeler and external workers send it; the same throttle and lock as sign-in. */
  async authenticateBasic(username: string, password: string, address: string): Promise<Authenticated> {
    const key = createHash('sha256').update(`${username}\u0000${password}`).digest('base64');
    const cached = this.basicCache.get(key);
    if (cached && cached.until > this.wall.now()) {
      // Read with the call: a disabled account or a reset password stops working at once, on every node.
      const account = await this.accounts.findById(cached.accountId);
      const valid = account && !account.disabled && account.token_version === cached.version;
      if (valid) return { ok: true, user: authUserOf(account) };
      this.basicCache.delete(key);
    }
    const res = await this.checkPassword(username, password, address);
    if (!res.ok) return res;
    if (this.basicCache.size > 1000) this.basicCache.clear();
    const until = this.wall.now() + BASIC_CACHE_MS;
    this.basicCache.set(key, { accountId: res.user.accountId, version: res.version, until });
    return { ok: true, user: res.user };
  }

  /**
   * One guess: a place reserved in the name's and the address's counters (or a refusal, no password hashed),
   * then the hash compared, then the outcome counted and the reservation given back.
   */
  private async checkPassword(username: string, password: string, address: string): Promise<Checked> {
    const keys: ThrottleKey[] = [
      { username, address },
      { username: '', address },
    ];
    const now = this.wall.now();
    const refused = await this.db
      .transaction(async (m) => {
        const r = reserve(await this.throttle.lock(keys, now, m), this.limits, now);
        // Refused: rolled back, so that a locked address trying new names leaves no rows behind.
        if (!r.ok) throw new Refused(r.until);
        await this.throttle.save(keys, r.states, now, m);
      })
      .then(
        () => null,
        (e) => (e instanceof Refused ? e : Promise.reject(e)),
      );
    this.cleanUp(now);
    if (refused) return { ok: false, reason: 'locked', checked: false, locked: { until: refused.until } };
    let account: AccountRow | null;
    let matches: boolean;
    try {
      account = await this.accounts.findByUsername(username);
      this.passwordChecks++;
      matches = await verifyPassword(password, account?.password_hash ?? (await decoyHash()));
    } catch (e) {
      await this.settle(keys, (s, limit, at) => afterSuccess(s, limit, at, false)).catch(() => undefined);
      throw e;
    }
    if (matches && account && !account.disabled) {
      await this.settle(keys, (s, limit, at, i) => afterSuccess(s, limit, at, i === 0));
      return { ok: true, user: authUserOf(account), version: account.token_version };
    }
    const after = await this.settle(keys, afterFailure);
    await sleep(failureDelayMs(after[0].failures));
    const locks = after.map((s) => s.lockedUntil).filter((t): t is number => t !== null);
    if (locks.length) {
      const why = after[0].lockedUntil !== null ? `wrong password ${MAX_FAILURES} times` : 'too many failures';
      const reason = `${why} from ${address}: locked for ${LOCK_MS / 60_000} min`;
      return { ok: false, reason, checked: true, locked: { until: Math.max(...locks) } };
    }
    const reason = !account ? 'unknown username' : account.disabled ? 'account disabled' : 'wrong password';
    return { ok: false, checked: true, reason };
  }

  /** The counters after `next` (given each, its limit, the time and its place: 0 the name's, 1 the address's). */
  private async settle(keys: ThrottleKey[], next: Settle): Promise<ThrottleState[]> {
    const now = this.wall.now();
    return this.db.transaction(async (m) => {
      const states = (await this.throttle.lock(keys, now, m)).map((s, i) => next(s, this.limits[i], now, i));
      await this.throttle.save(keys, states, now, m);
      return states;
    });
  }

  /** Now and then, counters whose window, lock and reservations have all run out go (unknown names add rows). */
  private cleanUp(now: number): void {
    if (now - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = now;
    this.throttle
      .deleteIdle(now - Math.max(WINDOW_MS, LOCK_MS) - RESERVATION_MS)
      .catch((e) => this.logger.warn(`could not remove idle sign-in counters: ${(e as Error).message}`));
  }
}
