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
import { Clock, ControlledClock } from '../../src/clock/clock.js';
import { loadConfig } from '../../src/config/app-config.js';
import { DefinitionService } from '../../src/engine/definition.service.js';
import { EngineService } from '../../src/engine/engine.service.js';

/** Real servers when DUBAN_TEST_DATABASE_URL / DUBAN_TEST_REDIS_URL are set (CI), else the embedded database. */
export const realServers = Boolean(process.env.DUBAN_TEST_DATABASE_URL);

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  clock: ControlledClock;
  engine: EngineService;
  definitions: DefinitionService;
  db: DataSource;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A fresh database for one test file: a new PostgreSQL database on the real server, or in-memory PGlite. */
export async function freshDatabaseEnv(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (!realServers) return { env: { DUBAN_DATA_DIR: ':memory:' }, drop: async () => undefined };
  const base = process.env.DUBAN_TEST_DATABASE_URL!;
  const name = `duban_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), REDIS_URL: process.env.DUBAN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', DUBAN_QUEUE_PREFIX: name },
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

export async function startTestApp(env: Record<string, string> = {}, db?: { env: Record<string, string>; drop: () => Promise<void> }): Promise<TestApp> {
  const database = db ?? (await freshDatabaseEnv());
  const full = { DUBAN_CLOCK_CONTROLLED: 'true', DUBAN_PROCESSES_DIR: emptyDir(), DUBAN_LOG_LEVEL: 'error', NODE_ENV: 'test', ...database.env, ...env };
  const config = loadConfig(full);
  const app = await createApp(config, { logger: ['error'] });
  await app.init();
  const clock = app.get(Clock) as ControlledClock;
  return {
    app,
    http: request(app.getHttpServer()),
    clock,
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
export const BPMN_NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
export function bpmn(body: string, id = 'defs'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<definitions ${BPMN_NS} id="${id}" targetNamespace="http://duban.test">${body}</definitions>`;
}
