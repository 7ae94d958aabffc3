import { ACCESS_RULES, findRule, roleDecision, ruleTableProblems } from './access-rules.js';

describe('access rules', () => {
  it('is a consistent table', () => {
    expect(ruleTableProblems()).toEqual([]);
  });

  it('finds an exact route before a prefix, and nothing for an unknown route', () => {
    expect(findRule('GET', '/api/problems/:id')?.scope).toEqual({ resource: 'problem', param: 'id' });
    expect(findRule('HEAD', '/api/problems')?.path).toBe('/api/problems');
    expect(findRule('POST', '/engine-rest/task/:id/complete')?.path).toBe('/engine-rest/**');
    expect(findRule('POST', '/api/admin/clock/pin')?.allow).toEqual(['admin']);
    expect(findRule('GET', '/api/admin/clock')?.allow).toEqual(['admin']);
    expect(findRule('DELETE', '/api/problems/:id')).toBeUndefined();
    expect(findRule('GET', '/api/secret')).toBeUndefined();
    expect(findRule('GET', '/engine-restless')).toBeUndefined();
  });

  it('lets office and admin act, leaders read, and scopes units', () => {
    const problem = findRule('GET', '/api/problems/:id')!;
    const importRule = findRule('POST', '/api/problems/import')!;
    const complete = findRule('POST', '/api/tasks/:id/complete')!;
    expect(roleDecision(problem, 'office', 'GET')).toBe('allow');
    expect(roleDecision(problem, 'leader', 'GET')).toBe('allow');
    expect(roleDecision(problem, 'unit', 'GET')).toBe('unit-scope');
    expect(roleDecision(importRule, 'leader', 'POST')).toBe('deny');
    expect(roleDecision(importRule, 'unit', 'POST')).toBe('deny');
    expect(roleDecision(complete, 'inspector', 'POST')).toBe('own-task');
    expect(roleDecision(complete, 'unit', 'POST')).toBe('unit-scope');
    expect(roleDecision(findRule('GET', '/engine-rest/task')!, 'unit', 'GET')).toBe('deny');
  });

  it('makes public only reads, sign-in and an objection to a sign-off on notice', () => {
    const pub = ACCESS_RULES.filter((r) => r.allow === 'public').map((r) => `${r.method} ${r.path}`);
    expect(pub.filter((p) => !p.startsWith('GET '))).toEqual([
      'POST /api/auth/login',
      'POST /api/public/notices/:code/objections',
    ]);
    expect(
      pub.filter(
        (p) => p.startsWith('GET /api/') && !p.startsWith('GET /api/docs') && !p.startsWith('GET /api/public/'),
      ),
    ).toEqual([]);
  });
});
