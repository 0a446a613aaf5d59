module.exports = require('../jest.preset')(__dirname, {
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  globals: { infra: [] },
});
