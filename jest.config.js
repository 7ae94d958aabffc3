// Unit specs beside the code and integration tests in test/, all on the embedded database unless
// DUBAN_TEST_DATABASE_URL / DUBAN_TEST_REDIS_URL point at real servers.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // The pages (dist/pages) built when missing or stale: the tests that open one serve the real build.
  globalSetup: '<rootDir>/scripts/build-pages.mjs',
  // Generous: a test file starts the whole service on a fresh database, on a shared 2-core machine.
  testTimeout: 180000,
  maxWorkers: 1,
  forceExit: true,
};
