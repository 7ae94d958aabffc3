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
  /** The account's token version when it was issued (absent: 0); a higher one on the account ends the token. */
  ver?: number;
  /** When the person signed in (seconds): a renewed token keeps it, so renewals end a day after sign-in. */
  sat?: number;
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

export type JwtResult =
  { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'not yet valid' };

/** How far a token's issue time may lie ahead of this node's clock (the clocks of the nodes differ a little). */
export const CLOCK_SKEW_S = 60;

/**
 * Verifies signature (constant time), algorithm (exactly the header this service writes, so `alg: none` or
 * RS/HS confusion never gets as far as a key), expiry against `nowS` (seconds of real time), and that the token
 * was not issued in the future (`iat`, or `nbf` if present, beyond CLOCK_SKEW_S): a token from a node whose
 * clock ran ahead, or after the system clock was set back, would otherwise live longer than its lifetime.
 */
export function verifyJwt(token: string, secret: Buffer, nowS: number): JwtResult {
  const parts = token.split('.');
  if (
    parts.length !== 3 ||
    parts[0] !== HEADER ||
    !/^[A-Za-z0-9_-]+$/.test(parts[1]) ||
    !/^[A-Za-z0-9_-]+$/.test(parts[2])
  )
    return { ok: false, reason: 'malformed' };
  const expected = mac(secret, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims?.sub !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number')
    return { ok: false, reason: 'malformed' };
  if (nowS >= claims.exp) return { ok: false, reason: 'expired' };
  const notBefore =
    typeof (claims as { nbf?: unknown }).nbf === 'number'
      ? Math.max(claims.iat, (claims as { nbf?: number }).nbf!)
      : claims.iat;
  if (notBefore > nowS + CLOCK_SKEW_S) return { ok: false, reason: 'not yet valid' };
  return { ok: true, claims };
}
