module.exports = require('../jest.preset')(__dirname, { globals: { infra: ['redis'] } });
