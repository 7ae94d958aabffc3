// CI's embedded-database share: the unit specs, the pages' browser walks and the e2e tests whose code path is
// the embedded database's own (EMBEDDED_PATH); the integration suite runs every e2e test on the real servers.
import base, { EMBEDDED_PATH } from './jest.config.js';

const { testMatch: _all, ...rest } = base;

export default {
  ...rest,
  testRegex: ['/src/.*\\.spec\\.ts$', '/test/browser/.*\\.e2e-spec\\.ts$', ...EMBEDDED_PATH],
};
