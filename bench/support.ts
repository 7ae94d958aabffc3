import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { AccountService } from '../src/auth/account.service.js';
import type { Role } from '../src/auth/auth-user.js';
import { TokenService } from '../src/auth/token.service.js';
import { Clock, ControlledClock } from '../src/clock/clock.js';
import { loadConfig } from '../src/config/app-config.js';
import { DefinitionService } from '../src/engine/definition.service.js';
import { EngineService } from '../src/engine/engine.service.js';

export interface BenchApp {
  app: NestExpressApplication;
  engine: EngineService;
  definitions: DefinitionService;
  db: DataSource;
  clock: ControlledClock;
  url: string;
  mode: string;
  /** A bearer header of a new account of this role (and unit, which must exist). */
  bearer(role: Role, unitCode?: string | null): Promise<string>;
  close(): Promise<void>;
}

/** The service in this process, on DATABASE_URL/REDIS_URL when set, else on an in-memory embedded database. */
export async function bootApp(env: Record<string, string> = {}): Promise<BenchApp> {
  // A server database requires the token key; the nodes a bench starts inherit this process's environment.
  if (process.env.DATABASE_URL && !process.env.DUBAN_JWT_SECRET) {
    process.env.DUBAN_JWT_SECRET = randomBytes(32).toString('base64url');
  }
  const config = loadConfig({
    ...process.env,
    DUBAN_CLOCK_CONTROLLED: 'true',
    NODE_ENV: 'development',
    DUBAN_DATA_DIR: process.env.DUBAN_DATA_DIR ?? ':memory:',
    DUBAN_PROCESSES_DIR: process.env.DUBAN_PROCESSES_DIR ?? './processes',
    DUBAN_LOG_LEVEL: 'error',
    DUBAN_DEMO: 'false',
    ...env,
  });
  const app = await createApp(config, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const tokens = app.get(TokenService);
  return {
    app,
    engine: app.get(EngineService),
    definitions: app.get(DefinitionService),
    db: app.get(DataSource),
    clock: app.get(Clock) as ControlledClock,
    url: `http://127.0.0.1:${port}`,
    mode: config.embedded ? 'embedded PostgreSQL (PGlite)' : 'PostgreSQL + Redis',
    bearer: async (role, unitCode = null) => {
      const username = `bench-${role}-${randomBytes(4).toString('hex')}`;
      const by = { actor: 'system', actorName: 'bench' };
      const password = randomBytes(18).toString('base64url');
      const a = await app.get(AccountService).create({ username, password, role, unitCode: unitCode ?? undefined }, by);
      const user = { accountId: a.id, username, role, unitCode: a.unitCode, personId: null, personName: null };
      return `Bearer ${tokens.issue(user, 0)}`;
    },
    close: () => app.close(),
  };
}

export function header(name: string, mode: string, extra = ''): void {
  console.log(`duban bench ${name} — ${os.cpus().length} cores, ${mode}${extra ? `, ${extra}` : ''}`);
}

export function percentiles(samples: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;

export function argValue(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** `--name 25,50,100`: a list of positive numbers. */
export function argList(args: string[], name: string, fallback: number[]): number[] {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const list = String(args[i + 1] ?? '')
    .split(',')
    .map(Number);
  if (!list.length || list.some((x) => !Number.isFinite(x) || x <= 0))
    throw new Error(`--${name}: a comma-separated list of positive numbers`);
  return list;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}
