import { Inject, Injectable } from '@nestjs/common';
import { WallClock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { ROLES, type AuthUser } from './auth-user.js';
import { signJwt, verifyJwt, type JwtResult } from './jwt.js';

export const JWT_SECRET = Symbol('JWT_SECRET');

/** A valid token: the caller it names and the account's token version it was issued under. */
export type TokenCheck = { ok: true; user: AuthUser; version: number } | { ok: false; reason: string };

/**
 * Access tokens: HS256 JWTs that live DUBAN_TOKEN_TTL_S seconds of real time (the wall clock: moving the
 * service clock neither ends nor stretches them). They carry the caller and the account's token version,
 * which every call compares with the account's (AuthService), so disabling an account ends them at once.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(JWT_SECRET) private readonly secret: Buffer,
    private readonly config: AppConfig,
    private readonly clock: WallClock,
  ) {}

  get ttlSeconds(): number {
    return this.config.DUBAN_TOKEN_TTL_S;
  }

  /** A token for `user`, under the account's current `tokenVersion`. */
  issue(user: AuthUser, tokenVersion: number): string {
    const iat = Math.floor(this.clock.now() / 1000);
    const who = { sub: user.accountId, username: user.username, role: user.role, unit: user.unitCode };
    const person = { pid: user.personId, pname: user.personName };
    return signJwt({ ...who, ...person, ver: tokenVersion, iat, exp: iat + this.ttlSeconds }, this.secret);
  }

  verify(token: string): JwtResult {
    return verifyJwt(token, this.secret, Math.floor(this.clock.now() / 1000));
  }

  /** The caller a valid token names, or why it is not valid. */
  user(token: string): TokenCheck {
    const v = this.verify(token);
    if (!v.ok) return { ok: false, reason: `token ${v.reason}` };
    const c = v.claims;
    if (!(ROLES as readonly string[]).includes(c.role) || typeof c.username !== 'string') return { ok: false, reason: 'token malformed' };
    const version = c.ver ?? 0;
    if (!Number.isSafeInteger(version)) return { ok: false, reason: 'token malformed' };
    const role = c.role as AuthUser['role'];
    const person = { personId: c.pid ?? null, personName: c.pname ?? null };
    const user = { accountId: c.sub, username: c.username, role, unitCode: c.unit ?? null, ...person };
    return { ok: true, version, user };
  }
}
