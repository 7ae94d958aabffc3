import { deploySupervision } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { importFile, problemRow, problemSheet, seedUnits } from './support/xlsx.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * What a user reads when a request is refused is Chinese: a set of bad requests across the API, each answer's
 * message (and the messages of its fields and cells) checked for English words. The API keeps the code.
 * Left aside: what the user wrote (quoted, or a field name), formats and file types, which are names.
 */
const NAMES =
  /YYYY-MM-DD|YYYY-MM|YYYY年M月D日|\.?xlsx|\.xls|JPEG|PNG|WebP|HEIC|PDF|Word|Excel|PowerPoint|CSV|UUID|ISO|JSON|true|false|application\/[\w.+-]+|image\/[\w.+-]+|workdays\([^)]*\)|DUBAN_[A-Z_]+/g;
const ENGLISH = /[A-Za-z]{4,}/;

function english(body: any, sent: string[] = []): string[] {
  const fields: string[] = (body?.fields ?? []).map((f: any) => String(f.field));
  const texts: string[] = [
    body?.message,
    ...(body?.fields ?? []).map((f: any) => f.message),
    ...(body?.errors ?? []).map((e: any) => e.message),
  ].filter((m) => typeof m === 'string');
  return texts.filter((text) => {
    let rest = text.replace(/“[^”]*”|「[^」]*」|"[^"]*"/g, '').replace(NAMES, '');
    for (const word of [...fields, ...sent].sort((x, y) => y.length - x.length)) rest = rest.split(word).join('');
    return ENGLISH.test(rest);
  });
}

describe('error answers are Chinese', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(Date.parse('2026-03-02T01:00:00Z'));
    await deploySupervision(t);
    await seedUnits(t);
    await importFile(t, await problemSheet([problemRow(1, { 编号: 'ZH-1', 责任单位: null, 整改时限: '2026-06-30' })]));
  });
  afterAll(() => t.close());

  it('for bad fields, unknown things, refused files, wrong states and refused access', async () => {
    const unit = await t.as('unit', 'HBJ');
    const answers: [string, any, number, string[]?][] = [];
    const ask = async (what: string, req: PromiseLike<any>, sent: string[] = []) => {
      const res = await req;
      answers.push([what, res.body, res.status, sent]);
      return res;
    };
    await ask('missing fields', t.http.post('/api/units').send({}));
    await ask('a field that is not there', t.http.post('/api/units').send({ code: 'X1', name: '某局', isAdmin: true }));
    await ask('bad paging', t.http.get('/api/problems?page=0&pageSize=100000'));
    await ask('bad date filter', t.http.get('/api/problems?dueBefore=2026-02-30'));
    await ask('unknown problem', t.http.get('/api/problems/NOPE-404'), ['NOPE-404']);
    await ask('unknown route', t.http.get('/api/no-such-thing'));
    await ask('unreadable JSON', t.http.post('/api/units').set('Content-Type', 'application/json').send('{"code":'));
    await ask(
      'unknown unit of a person',
      t.http.post('/api/persons').send({ name: '张三', unitCode: 'NOPE', role: 'handler' }),
      ['NOPE'],
    );
    await ask('a unit twice', t.http.post('/api/units').send({ code: 'HBJ', name: '市环保局' }), ['HBJ']);
    await ask(
      'a CSV as the problem list',
      t.http
        .post('/api/problems/import')
        .attach('file', Buffer.from('编号,问题\nA-1,油烟\n'), { filename: 'problems.xlsx', contentType: XLSX }),
    );
    const bad = await problemSheet([
      problemRow(1, { 编号: 'ZH-2', 牵头单位: '市宣传部', 整改时限: '2026-02-01' }),
      problemRow(2, { 编号: 'ZH-1' }),
    ]);
    await ask(
      'unknown unit, past deadline, a code in the ledger',
      t.http.post('/api/problems/import').attach('file', bad, { filename: 'problems.xlsx', contentType: XLSX }),
      ['ZH-1', 'ZH-2'],
    );
    await ask(
      'an executable as evidence',
      t.http.post('/api/problems/ZH-1/files').attach('file', Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00'), {
        filename: 'report.pdf',
        contentType: 'application/pdf',
      }),
      ['report.pdf', 'exe'],
    );
    await ask('evidence without a file', t.http.post('/api/problems/ZH-1/files'));
    await ask(
      'an extension before the deadline',
      unit.post('/api/problems/ZH-1/extension').send({ date: '2026-06-01', reason: '设备到货延迟' }),
    );
    await ask(
      'an extension to a year without a calendar',
      unit.post('/api/problems/ZH-1/extension').send({ date: '2100-01-15', reason: '设备到货延迟' }),
    );
    await ask('an extension with no date', unit.post('/api/problems/ZH-1/extension').send({ reason: '设备到货延迟' }));
    await ask('a working-day count from nothing', t.http.get('/api/calendar/workdays?from=tomorrow&add=x'));
    await ask(
      'a year with a bad day',
      t.http
        .put('/api/calendar/years/2027')
        .send({ holidays: [{ date: '2027-02-06' }], workdays: [{ date: '2027-02-06' }] }),
    );
    await ask('a unit reading the incidents', unit.get('/api/incidents'));
    await ask('no sign-in', t.anon.get('/api/problems'));
    await ask(
      'a wrong password',
      t.anon.post('/api/auth/login').send({ username: 'nobody', password: 'wrong password' }),
    );
    await ask('an unknown task', t.http.post('/api/tasks/00000000-0000-4000-8000-000000000000/complete').send({}));
    await ask('an unknown incident', t.http.post('/api/incidents/00000000-0000-4000-8000-000000000000/retry'));

    for (const [what, body, status] of answers) {
      expect([what, status >= 400, typeof body?.error === 'string' || typeof body?.message === 'string']).toEqual([
        what,
        true,
        true,
      ]);
    }
    const english_ = answers
      .map(([what, body, , sent]) => [what, english(body, sent)])
      .filter(([, found]) => (found as string[]).length);
    expect(english_).toEqual([]);
    // The code stays for machines.
    const codes = Object.fromEntries(answers.map(([what, body]) => [what, body.error]));
    expect(codes).toMatchObject({
      'missing fields': 'VALIDATION',
      'unknown problem': 'NOT_FOUND',
      'an extension to a year without a calendar': 'VALIDATION',
      'an executable as evidence': 'UNSUPPORTED_MEDIA_TYPE',
    });
  });
});
