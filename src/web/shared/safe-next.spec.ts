import { safeNext } from './safe-next.js';

const SITE = 'https://duban.example.gov.cn';

describe('where the sign-in page goes on to', () => {
  it('goes on to a path of this site, as resolved', () => {
    expect(safeNext('/inbox', SITE)).toBe('/inbox');
    expect(safeNext('/problems/TM-00001?tab=files#evidence', SITE)).toBe('/problems/TM-00001?tab=files#evidence');
    expect(safeNext('/tasks/../ledger', SITE)).toBe('/ledger');
    expect(safeNext('/ledger?q=%E6%B2%B9%E7%83%9F', SITE)).toBe('/ledger?q=%E6%B2%B9%E7%83%9F');
    // Still encoded (not decoded from the query string): a path of this site, not a tab.
    expect(safeNext('/%09/evil.example', SITE)).toBe('/%09/evil.example');
  });

  it('refuses anything that leaves the site or is no page of it', () => {
    const hostile = [
      '/\\evil.example',
      '/\\/evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '//evil.example',
      '///evil.example',
      '/\u0000/evil.example',
      'https://evil.example',
      'http:evil.example',
      `${SITE}.evil.example/`,
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'evil.example',
      '',
      '/\u0085/evil.example',
      '//user:pass@evil.example',
      `/${'x'.repeat(3000)}`,
    ];
    for (const next of hostile) expect([next, safeNext(next, SITE)]).toEqual([next, null]);
    expect(safeNext(null, SITE)).toBeNull();
    expect(safeNext(undefined, SITE)).toBeNull();
  });

  it('does not go back to the sign-in page', () => {
    expect(safeNext('/login', SITE)).toBeNull();
    expect(safeNext('/login?next=/inbox', SITE)).toBeNull();
    expect(safeNext('/./login', SITE)).toBeNull();
  });
});
