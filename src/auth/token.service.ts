import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { ROLES, type AuthUser } from './auth-user.js';
import { signJwt, verifyJwt, type JwtResult } from './jwt.js';

export const JWT_SECRET = Symbol('JWT_SECRET');

/**
 * Access tokens: HS256 JWTs that live DUBAN_TOKEN_TTL_S seconds by the service clock. They carry the whole
 * AuthUser, so a call is checked without a database read; a disabled account's tokens run out with their TTL.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(JWT_SECRET) private readonly secret: Buffer,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get ttlSeconds(): number {
    return this.config.DUBAN_TOKEN_TTL_S;
  }

  issue(user: AuthUser): string {
    const iat = Math.floor(this.clock.now() / 1000);
    return signJwt(
      { sub: user.accountId, username: user.username, role: user.role, unit: user.unitCode, pid: user.personId, pname: user.personName, iat, exp: iat + this.ttlSeconds },
      this.secret,
    );
  }

  verify(token: string): JwtResult {
    return verifyJwt(token, this.secret, Math.floor(this.clock.now() / 1000));
  }

  /** The caller a valid token names, or why it is not valid. */
  user(token: string): { ok: true; user: AuthUser } | { ok: false; reason: string } {
    const v = this.verify(token);
    if (!v.ok) return { ok: false, reason: `token ${v.reason}` };
    const c = v.claims;
    if (!(ROLES as readonly string[]).includes(c.role) || typeof c.username !== 'string') return { ok: false, reason: 'token malformed' };
    return { ok: true, user: { accountId: c.sub, username: c.username, role: c.role as AuthUser['role'], unitCode: c.unit ?? null, personId: c.pid ?? null, personName: c.pname ?? null } };
  }
}
