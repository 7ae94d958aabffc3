import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import { DirectoryFileStorage, FileStorage } from '../src/files/file-storage.js';
import { FilesService } from '../src/files/files.service.js';
import { bpmn, emptyDir, startTestApp, type TestApp } from './support/test-app.js';

const LIMIT = 64 * 1024;
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(100)]);
const HTML = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/api/problems")</script></body></html>');

const process_ = bpmn(`
  <process id="evidence" isExecutable="true">
    <startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="rectify"/>
    <userTask id="rectify" name="整改落实" camunda:candidateGroups="HBJ"/><sequenceFlow id="f2" sourceRef="rectify" targetRef="end"/>
    <endEvent id="end"/>
  </process>`);

describe('evidence files (佐证材料)', () => {
  let t: TestApp;
  let filesDir: string;
  const problems: Record<string, string> = {};
  let taskId: string;

  async function problem(code: string): Promise<string> {
    const id = randomUUID();
    await t.db.query(
      `INSERT INTO problem (id, code, title, category, lead_unit, deadline, tier, status, created_at) VALUES ($1,$2,$3,'大气污染','HBJ','2026-12-31','short','rectifying',now())`,
      [id, code, `${code} 城区餐饮油烟直排`],
    );
    return id;
  }
  const upload = (
    ref: string,
    content: Buffer,
    name: string,
    fields: Record<string, string> = {},
    contentType = 'application/pdf',
  ) => {
    let req = t.http.post(`/api/problems/${ref}/files`);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', content, { filename: name, contentType });
  };

  beforeAll(async () => {
    filesDir = path.join(emptyDir(), 'evidence');
    t = await startTestApp({ DUBAN_FILES_DIR: filesDir, DUBAN_MAX_UPLOAD_BYTES: String(LIMIT) });
    await t.http.post('/api/units').send({ code: 'HBJ', name: '市环保局' }).expect(201);
    problems.A = await problem('EV-1');
    problems.B = await problem('EV-2');
    await t.definitions.deploy('evidence', [{ resource: 'evidence.bpmn', content: process_ }]);
    const inst = await t.engine.startProcess('evidence', { businessKey: 'EV-1' });
    [{ id: taskId }] = await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
  });
  afterAll(() => t.close());

  it('stores an upload under a generated id with its SHA-256, type, size, task and note, and lists it', async () => {
    const res = await upload('EV-1', PNG, '现场照片（整改后）.png', { taskId, note: '整改后现场' }, 'image/png').expect(
      201,
    );
    expect(res.body).toMatchObject({
      problemId: problems.A,
      taskId,
      name: '现场照片（整改后）.png',
      size: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      contentType: 'image/png',
      type: 'png',
      note: '整改后现场',
      uploadedBy: { accountId: expect.any(String) },
    });
    const stored = path.join(filesDir, res.body.id.slice(0, 2), res.body.id);
    expect(statSync(stored).size).toBe(PNG.length);
    expect(readdirSync(path.join(filesDir, '.tmp'))).toEqual([]);

    const list = (await t.http.get(`/api/problems/${problems.A}/files`).expect(200)).body;
    expect(list.map((f: any) => f.id)).toEqual([res.body.id]);
    expect((await t.http.get('/api/problems/EV-2/files').expect(200)).body).toEqual([]);
    await t.http.get('/api/problems/NOPE/files').expect(404);
    expect(await t.app.get(FilesService).problemIdOfFile(res.body.id)).toBe(problems.A);
    expect(await t.app.get(FilesService).problemIdOfFile(randomUUID())).toBeNull();
  });

  it('serves the original bytes under the original name (RFC 5987), with nosniff', async () => {
    const docx = Buffer.from(
      await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('整改报告')] }] })),
    );
    const up = (await upload(problems.A, docx, '整改报告"终稿".docx', {}, 'application/octet-stream').expect(201)).body;
    expect(up).toMatchObject({
      type: 'docx',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      taskId: null,
      note: null,
    });

    const res = await t.http
      .get(`/api/files/${up.id}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(res.body, docx)).toBe(0);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-length']).toBe(String(docx.length));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="________.docx"; filename*=UTF-8''${encodeURIComponent('整改报告"终稿".docx')}`,
    );

    await t.http.get(`/api/problems/EV-1/files/${up.id}`).expect(200);
    await t.http.get(`/api/problems/EV-2/files/${up.id}`).expect(404); // a file of another problem
    await t.http.get(`/api/files/${randomUUID()}`).expect(404);
    await t.http.get('/api/files/../../etc/passwd').expect(404);
    await t.http.get('/api/files/not-an-id').expect(404);
  });

  it('refuses by content with 415 naming the detected type, whatever the name and content type claim', async () => {
    const exe = await upload('EV-1', EXE, '整改方案.pdf', {}, 'application/pdf').expect(415);
    expect(exe.body).toMatchObject({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      detectedType: 'exe',
      detectedMime: 'application/x-msdownload',
    });
    expect(exe.body.message).toContain('exe');
    const html = await upload('EV-1', HTML, 'report.pdf').expect(415);
    expect(html.body).toMatchObject({ detectedType: 'html', detectedMime: 'text/html' });
    await upload('EV-1', Buffer.from('just text'), 'notes.docx').expect(415);
    expect((await upload('EV-1', PDF, 'scan.png', {}, 'image/png').expect(201)).body).toMatchObject({
      type: 'pdf',
      contentType: 'application/pdf',
    });
    expect((await t.http.get('/api/problems/EV-1/files').expect(200)).body).toHaveLength(3);
  });

  it('answers 413 over the size limit, 422 without a file or with a task of another problem, 404 for an unknown problem', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(LIMIT + 1)]);
    const res = await upload('EV-1', big, 'big.pdf').expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, limit: LIMIT });
    await t.http.post('/api/problems/EV-1/files').field('note', 'x').expect(422);
    await upload('EV-2', PDF, 'a.pdf', { taskId }).expect(422);
    await upload('EV-1', PDF, 'a.pdf', { taskId: 'nope' }).expect(422);
    await upload('EV-1', PDF, 'a.pdf', { owner: 'me' }).expect(422);
    await upload('NOPE', PDF, 'a.pdf').expect(404);
    expect((await t.http.get('/api/problems/EV-1/files').expect(200)).body).toHaveLength(3);
  });

  it('keeps a traversal name only as data and stores nothing outside its directory', async () => {
    const up = (await upload('EV-2', PDF, '../../../../tmp/evil.pdf').expect(201)).body;
    expect(up.name).toBe('evil.pdf');
    expect(existsSync(path.join(filesDir, up.id.slice(0, 2), up.id))).toBe(true);
    expect(existsSync('/tmp/evil.pdf')).toBe(false);
  });

  it('uses the storage behind the FileStorage token', async () => {
    const storage = t.app.get(FileStorage);
    expect(storage).toBeInstanceOf(DirectoryFileStorage);
    await expect(storage.get(randomUUID())).rejects.toMatchObject({ status: 404 });
    await storage.put('0123456789abcdef', Buffer.from('x'));
    await storage.delete('0123456789abcdef');
    await storage.delete('0123456789abcdef');
    await expect(storage.put('../escape-attempt', Buffer.from('x'))).rejects.toThrow(/not a storage id/);
  });
});

describe('evidence files with in-memory data', () => {
  it('keeps the files in a temporary directory removed at shutdown', async () => {
    const t = await startTestApp({ DUBAN_DATA_DIR: ':memory:' });
    const storage = t.app.get(FileStorage) as DirectoryFileStorage;
    expect(existsSync(storage.root)).toBe(true);
    await t.close();
    expect(existsSync(storage.root)).toBe(false);
  });
});
