// The integration suite: the same e2e tests against real PostgreSQL and Redis (set by .ci/run), plus the
// multi-node tests that need them.
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e-spec.ts', '**/*.int-spec.ts'],
  // The pages in a browser run once, in the embedded suite: what they show does not depend on the database.
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/'],
  testTimeout: 180000,
};
