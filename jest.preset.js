// Shared jest settings: every package runs its TypeScript tests through ts-jest
// (type checking is left to `tsc -b`), against the local infrastructure that
// `local`'s global setup starts unless the environment already names it.
const path = require('path');

module.exports = (packageDir, { setupFiles = [], ...overrides } = {}) => ({
  rootDir: packageDir,
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__test__/**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleNameMapper: {
    '^@ticketing/common$': path.join(__dirname, 'common/src'),
    '^@ticketing/common/testing$': path.join(__dirname, 'common/src/testing'),
  },
  setupFiles: [path.join(__dirname, 'common/src/testing/test-environment.ts'), ...setupFiles],
  globalSetup: path.join(__dirname, 'local/src/jest/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'local/src/jest/global-teardown.ts'),
  testTimeout: 20000,
  ...overrides,
});
