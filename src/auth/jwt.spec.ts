import { signJwt, verifyJwt } from './jwt.js';

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
});
