module.exports = require('../jest.preset')(__dirname, {
  globals: { infra: ['mongo', 'redis'] },
  setupFiles: ['<rootDir>/src/__test__/address-limits.ts'],
});
