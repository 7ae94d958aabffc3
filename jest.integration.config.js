// The integration suite: the e2e tests against real PostgreSQL and Redis (set by .ci/run), plus the
// multi-node tests that need them.
import base, { EMBEDDED_ONLY } from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e-spec.ts', '**/*.int-spec.ts'],
  // The pages' browser walks read the same API; they run once, on the embedded database. A test that makes its
  // own embedded database whatever the environment says would only repeat itself here.
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/', ...EMBEDDED_ONLY],
  testTimeout: 180000,
};
