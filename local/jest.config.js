// The end-to-end suites start whole systems of their own: one test file at a time.
module.exports = require('../jest.preset')(__dirname, { globals: { infra: [] }, maxWorkers: 1, testTimeout: 60_000 });
