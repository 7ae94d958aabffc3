// The integration suite: the same e2e tests against real PostgreSQL and Redis (set by .ci/run), plus the
// multi-node tests that need them.
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e-spec.ts', '**/*.int-spec.ts'],
  // The pages' browser walks read the same API; they run once, in the embedded suite.
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/'],
  testTimeout: 180000,
};
