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

  /** A token for `user`, under the account's current `tokenVersion`; `signedInAt` (seconds) carried over on a renewal. */
  issue(user: AuthUser, tokenVersion: number, signedInAt?: number): string {
    return this.issueWithExpiry(user, tokenVersion, signedInAt).token;
  }

  /** The token and the instant it ends. */
  issueWithExpiry(user: AuthUser, tokenVersion: number, signedInAt?: number): { token: string; exp: number } {
    const iat = Math.floor(this.clock.now() / 1000);
    const exp = iat + this.ttlSeconds;
    const who = { sub: user.accountId, username: user.username, role: user.role, unit: user.unitCode };
    const person = { pid: user.personId, pname: user.personName };
    const claims = { ...who, ...person, ver: tokenVersion, sat: signedInAt ?? iat, iat, exp };
    return { token: signJwt(claims, this.secret), exp };
  }

  verify(token: string): JwtResult {
    return verifyJwt(token, this.secret, Math.floor(this.clock.now() / 1000));
  }

  /** The caller a valid token names, or why it is not valid. */
  user(token: string): TokenCheck {
    const v = this.verify(token);
    if (!v.ok) return { ok: false, reason: `token ${v.reason}` };
    const c = v.claims;
    if (!(ROLES as readonly string[]).includes(c.role) || typeof c.username !== 'string')
      return { ok: false, reason: 'token malformed' };
    const version = c.ver ?? 0;
    if (!Number.isSafeInteger(version)) return { ok: false, reason: 'token malformed' };
    const role = c.role as AuthUser['role'];
    const person = { personId: c.pid ?? null, personName: c.pname ?? null };
    const user = { accountId: c.sub, username: c.username, role, unitCode: c.unit ?? null, ...person };
    return { ok: true, version, user };
  }
}
