import { Logger, type INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountService } from '../src/auth/account.service.js';
import { TokenService } from '../src/auth/token.service.js';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/app-config.js';
import { agentWith, bpmn, emptyDir, freshDatabaseEnv } from './support/test-app.js';

// Any character a log line or a stored name must not hold.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const FORGED = '\r\n[Nest] 1  - 2026-03-02 09:00:00     LOG [auth] FORGED admin signed in\u001b[2K\u001b[31m';

/** A multipart deployment whose file name carries raw control characters (RFC 5987 `filename*`, as clients send it). */
function multipart(fields: Record<string, string>, filename: string, content: string): { type: string; body: Buffer } {
  const boundary = 'duban-boundary-7f3a';
  const head = (disposition: string) => `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n`;
  const parts = Object.entries(fields).map(([k, v]) => `${head(`name="${k}"`)}\r\n${v}\r\n`);
  const encoded = encodeURIComponent(filename);
  parts.push(`${head(`name="data"; filename*=UTF-8''${encoded}`)}Content-Type: application/xml\r\n\r\n${content}\r\n`);
  const body = Buffer.from(`${parts.join('')}--${boundary}--\r\n`);
  return { type: `multipart/form-data; boundary=${boundary}`, body };
}

/**
 * Caller text with CR, LF and terminal escapes — a deployment name, a resource file name, a process name —
 * is stored without them, and the log (the service's own logger, at level log) shows each as an escape on
 * the line it belongs to: no line of its own, no escape sequence.
 */
describe('log injection', () => {
  let app: INestApplication;
  let drop: () => Promise<void>;
  let api: ReturnType<typeof agentWith>;
  const deploy = (form: { type: string; body: Buffer }) =>
    api.post('/engine-rest/deployment/create').set('Content-Type', form.type).send(form.body);
  const written: string[] = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };

  beforeAll(async () => {
    const db = await freshDatabaseEnv();
    drop = db.drop;
    const config = loadConfig({ NODE_ENV: 'test', DUBAN_PROCESSES_DIR: emptyDir(), ...db.env });
    app = await createApp(config, { logger: ['error', 'warn', 'log'] });
    await app.init();
    const admin = { username: 'log-admin', password: 'a-long-enough-password-1', role: 'admin' as const };
    const account = await app.get(AccountService).create(admin, { actor: 'system', actorName: 'test' });
    const token = app.get(TokenService).issue(
      {
        accountId: account.id,
        username: 'log-admin',
        role: 'admin',
        unitCode: null,
        personId: null,
        personName: null,
      },
      0,
    );
    api = agentWith(app.getHttpServer(), () => `Bearer ${token}`);
    const capture = (original: typeof process.stdout.write) =>
      ((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
      }) as typeof process.stdout.write;
    process.stdout.write = capture(writes.out);
    process.stderr.write = capture(writes.err);
  });
  afterAll(async () => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    await app.close();
    await drop();
  });

  it('stores and logs a deployment name, a resource name and a process name without a control character', async () => {
    const xml = bpmn(`<process id="injected" name="整改&#13;&#10;[Nest] FORGED&#x2028;" isExecutable="true">
      <startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/><endEvent id="e"/></process>`);
    const form = multipart({ 'deployment-name': `月调度${FORGED}` }, `整改${FORGED}.bpmn`, xml);
    const res = await deploy(form).expect(200);
    expect(res.body.name).toBe('月调度[Nest] 1  - 2026-03-02 09:00:00     LOG [auth] FORGED admin signed in');

    const q = app.get(DataSource);
    const [deployment] = await q.query(`SELECT name FROM engine_deployment WHERE id = $1`, [res.body.id]);
    const [definition] = await q.query(`SELECT name, resource FROM engine_definition WHERE deployment_id = $1`, [
      res.body.id,
    ]);
    for (const stored of [deployment.name, definition.name, definition.resource]) {
      expect([stored, CONTROL.test(stored)]).toEqual([stored, false]);
    }
    expect(definition.resource).toBe('整改[Nest] 1  - 2026-03-02 09:00:00     LOG [auth] FORGED admin signed in.bpmn');

    const log = written.join('');
    const line = log.split('\n').find((l) => l.includes('deployed injected:1'));
    expect(line).toBeDefined();
    expect(line).toContain('FORGED');
    expect(log).not.toMatch(/\r|\u001b\[2K|\u001b\[31m|\u2028/);
    // No line of the log begins with the forged entry.
    const forgedLines = log.split('\n').filter((l) => l.includes('FORGED'));
    expect(forgedLines.every((l) => l.includes('deployed injected:1'))).toBe(true);
  });

  it("escapes whatever raw text any module's logger is handed", () => {
    written.length = 0;
    new Logger('notify').warn(`notification to channel x failed: ${FORGED}`);
    const log = written.join('');
    const escaped = '\\r\\n[Nest] 1  - 2026-03-02 09:00:00     LOG [auth] FORGED admin signed in\\x1b[2K\\x1b[31m';
    expect(log).toContain(`failed: ${escaped}`);
    expect(log.split('\n').filter((l) => l.includes('FORGED'))).toHaveLength(1);
    expect(log).not.toMatch(/\r|\u001b\[2K/);
  });

  it('logs a refused deployment naming the resource without its control characters', async () => {
    written.length = 0;
    const form = multipart({ 'deployment-name': 'x' }, `坏${FORGED}.bpmn`, '<definitions');
    const res = await deploy(form).expect(400);
    expect(res.body.message).toContain('坏[Nest] 1');
    expect(CONTROL.test(res.body.message)).toBe(false);
    expect(written.join('')).not.toMatch(/\r|\u001b/);
  });
});
