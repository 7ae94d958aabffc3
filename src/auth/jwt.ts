import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims of an access token. */
export interface TokenClaims {
  sub: string;
  username: string;
  role: string;
  /** The unit of a unit account. */
  unit?: string | null;
  /** The person using the account, and their name. */
  pid?: string | null;
  pname?: string | null;
  iat: number;
  exp: number;
}

const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function b64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

function mac(secret: Buffer, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** A compact JWS, HS256 only. */
export function signJwt(claims: TokenClaims, secret: Buffer): string {
  const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

export type JwtResult = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/**
 * Verifies signature (constant time), algorithm (exactly the header this service writes, so `alg: none` or
 * RS/HS confusion never gets as far as a key) and expiry against `nowS` (seconds).
 */
export function verifyJwt(token: string, secret: Buffer, nowS: number): JwtResult {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER || !/^[A-Za-z0-9_-]+$/.test(parts[1]) || !/^[A-Za-z0-9_-]+$/.test(parts[2])) return { ok: false, reason: 'malformed' };
  const expected = mac(secret, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims?.sub !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return { ok: false, reason: 'malformed' };
  if (nowS >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
