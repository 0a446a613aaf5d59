module.exports = require('../jest.preset')(__dirname, {
  globals: { infra: ['mongo', 'stripe', 'redis'] },
  // Any test-mode key does for stripe-mock.
  setupFiles: ['<rootDir>/src/__test__/stripe-key.ts'],
});
