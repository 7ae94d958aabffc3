import { CLOCK_SKEW_S, signJwt, verifyJwt } from './jwt.js';

const secret = Buffer.from('k'.repeat(40));
const claims = { sub: 'a1', username: 'office', role: 'office', iat: 1000, exp: 1900 };

describe('jwt', () => {
  it('verifies its own tokens until they expire', () => {
    const t = signJwt(claims, secret);
    expect(verifyJwt(t, secret, 1899)).toEqual({ ok: true, claims });
    expect(verifyJwt(t, secret, 1900)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another key, a changed payload, alg none and garbage', () => {
    const t = signJwt(claims, secret);
    expect(verifyJwt(t, Buffer.from('x'.repeat(40)), 1000).ok).toBe(false);
    const [h, , s] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(verifyJwt(`${h}.${forged}.${s}`, secret, 1000)).toEqual({ ok: false, reason: 'signature' });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(verifyJwt(`${none}.${t.split('.')[1]}.`, secret, 1000)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyJwt('abc', secret, 1000)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a token issued (or valid only) later than now, beyond the clock skew', () => {
    const t = signJwt(claims, secret);
    expect(verifyJwt(t, secret, 1000 - CLOCK_SKEW_S).ok).toBe(true);
    expect(verifyJwt(t, secret, 1000 - CLOCK_SKEW_S - 1)).toEqual({ ok: false, reason: 'not yet valid' });
    const later = signJwt({ ...claims, nbf: 1500 } as typeof claims, secret);
    expect(verifyJwt(later, secret, 1200)).toEqual({ ok: false, reason: 'not yet valid' });
    expect(verifyJwt(later, secret, 1500).ok).toBe(true);
  });
});
