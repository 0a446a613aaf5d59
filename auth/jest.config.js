module.exports = require('../jest.preset')(__dirname, {
  setupFiles: ['<rootDir>/src/__test__/address-limits.ts'],
});
