// Unit specs beside the code and integration tests in test/, all on the embedded database unless
// DUBAN_TEST_DATABASE_URL / DUBAN_TEST_REDIS_URL point at real servers. `npm test` runs all of them.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // The pages built when stale, and a fresh embedded cluster to start the in-memory databases from.
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  // Generous: a test file starts the whole service on a fresh database, on a shared 2-core machine.
  testTimeout: 180000,
  maxWorkers: 1,
  forceExit: true,
};

/**
 * The e2e tests whose code path differs on the embedded database: PGlite behind its socket with one connection,
 * the local timer loop and import queue instead of BullMQ, a data directory on disk, the demo as `npm start`
 * loads it, and the CLI's throw-away database. CI runs these (with the unit specs and the pages' browser walks,
 * which run on the embedded database too) on the embedded database, and every e2e test on the real servers.
 */
export const EMBEDDED_PATH = [
  'audit-key',
  'audit-trail',
  'auth-login',
  'demo-load',
  'engine-timers',
  'faults',
  'petitions',
  'problems-import',
  'simulate',
  'timer-limits',
].map((name) => `/test/${name}\\.e2e-spec\\.ts$`);

/** Tests that never read DUBAN_TEST_DATABASE_URL (the CLI's simulation makes its own embedded database). */
export const EMBEDDED_ONLY = ['/test/simulate\\.e2e-spec\\.ts$'];
