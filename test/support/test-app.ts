import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.factory.js';
import { Clock, ControlledClock, WallClock } from '../../src/clock/clock.js';
import { loadConfig } from '../../src/config/app-config.js';
import { DefinitionService } from '../../src/engine/definition.service.js';
import { EngineService } from '../../src/engine/engine.service.js';
import { AccountService } from '../../src/auth/account.service.js';
import type { Role } from '../../src/auth/auth-user.js';
import { TokenService } from '../../src/auth/token.service.js';

/** Real servers when DUBAN_TEST_DATABASE_URL / DUBAN_TEST_REDIS_URL are set (CI), else the embedded database. */
export const realServers = Boolean(process.env.DUBAN_TEST_DATABASE_URL);

export interface TestApp {
  app: INestApplication;
  /** Requests signed in as an admin (a fresh token each request); a test's own `Authorization` wins. */
  http: TestAgent;
  /** Requests without any credentials. */
  anon: TestAgent;
  /** Requests signed in with an account of this role (and unit, for `unit`), created on first use. */
  as(role: Role, unitCode?: string): Promise<TestAgent>;
  /** A bearer token of such an account, valid for DUBAN_TOKEN_TTL_S of real time (the wall clock). */
  token(role?: Role, unitCode?: string): Promise<string>;
  /** Username and password of such an account (for sign-in and HTTP Basic). */
  credentials(role?: Role, unitCode?: string): Promise<TestAccount>;
  clock: ControlledClock;
  /** Security time (token expiry, sign-in locks): real time, which a test may move forward to let them run out. */
  wallClock: ControlledClock;
  engine: EngineService;
  definitions: DefinitionService;
  db: DataSource;
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface TestAccount {
  id: string;
  username: string;
  password: string;
  role: Role;
  unitCode: string | null;
}

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options'] as const;

/** supertest with an `Authorization` header put on each request when it is made (the test may set its own). */
export function agentWith(server: unknown, header: () => string | null): TestAgent {
  const base = request(server as Parameters<typeof request>[0]) as unknown as Record<string, (url: string) => any>;
  const agent: Record<string, (url: string) => any> = {};
  for (const verb of VERBS) {
    agent[verb] = (url: string) => {
      const req = base[verb](url);
      const value = header();
      return value ? req.set('Authorization', value) : req;
    };
  }
  return agent as unknown as TestAgent;
}

/** A fresh database for one test file: a new PostgreSQL database on the real server, or in-memory PGlite. */
export async function freshDatabaseEnv(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (!realServers) {
    // The cluster the global setup dumped: a second to start rather than several.
    const template = process.env.DUBAN_EMBEDDED_TEMPLATE;
    const env: Record<string, string> = {
      DUBAN_DATA_DIR: ':memory:',
      ...(template ? { DUBAN_EMBEDDED_TEMPLATE: template } : {}),
    };
    return { env, drop: async () => undefined };
  }
  const base = process.env.DUBAN_TEST_DATABASE_URL!;
  const name = `duban_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: {
      DATABASE_URL: url.toString(),
      REDIS_URL: process.env.DUBAN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      DUBAN_QUEUE_PREFIX: name,
      // A server database requires the token key, the same on every node that shares it.
      DUBAN_JWT_SECRET: randomBytes(32).toString('base64url'),
      // The audit chain's key, one per database: every node and CLI run on it shares it.
      DUBAN_AUDIT_KEY: randomBytes(24).toString('base64url'),
    },
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function emptyDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'duban-'));
}

export async function startTestApp(
  env: Record<string, string> = {},
  db?: { env: Record<string, string>; drop: () => Promise<void> },
): Promise<TestApp> {
  const database = db ?? (await freshDatabaseEnv());
  const full = {
    DUBAN_CLOCK_CONTROLLED: 'true',
    DUBAN_PROCESSES_DIR: emptyDir(),
    DUBAN_LOG_LEVEL: 'error',
    NODE_ENV: 'test',
    ...database.env,
    ...env,
  };
  const config = loadConfig(full);
  const app = await createApp(config, { logger: ['error'] });
  await app.init();
  const clock = app.get(Clock) as ControlledClock;
  const tokens = app.get(TokenService);
  const accounts = new Map<string, Promise<TestAccount>>();
  const credentials = (role: Role = 'admin', unitCode?: string): Promise<TestAccount> => {
    const key = `${role}:${unitCode ?? ''}`;
    let account = accounts.get(key);
    if (!account) {
      account = (async () => {
        const username = `t-${role}${unitCode ? `-${unitCode.toLowerCase()}` : ''}-${randomBytes(3).toString('hex')}`;
        const password = randomBytes(18).toString('base64url');
        const view = await app
          .get(AccountService)
          .create({ username, password, role, unitCode }, { actor: 'system', actorName: 'test' });
        return { id: view.id, username, password, role, unitCode: view.unitCode };
      })();
      accounts.set(key, account);
    }
    return account;
  };
  const admin = await credentials('admin');
  // The helper's accounts are new and unchanged: token version 0.
  const user = (a: TestAccount) => ({ accountId: a.id, username: a.username, role: a.role, unitCode: a.unitCode });
  const bearer = (a: TestAccount) => `Bearer ${tokens.issue({ ...user(a), personId: null, personName: null }, 0)}`;
  return {
    app,
    http: agentWith(app.getHttpServer(), () => bearer(admin)),
    anon: agentWith(app.getHttpServer(), () => null),
    as: async (role, unitCode) => {
      const a = await credentials(role, unitCode);
      return agentWith(app.getHttpServer(), () => bearer(a));
    },
    token: async (role = 'admin', unitCode) => bearer(await credentials(role, unitCode)).slice('Bearer '.length),
    credentials,
    clock,
    wallClock: app.get(WallClock) as ControlledClock,
    engine: app.get(EngineService),
    definitions: app.get(DefinitionService),
    db: app.get(DataSource),
    env: full,
    close: async () => {
      await app.close();
      if (!db) await database.drop();
    },
  };
}

export const DAY = 86_400_000;
export const BPMN_NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
export function bpmn(body: string, id = 'defs'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<definitions ${BPMN_NS} id="${id}" targetNamespace="http://duban.test">${body}</definitions>`;
}
