// The bus suite runs on both transports: the `nats` piece is nats-streaming-server (NATS_URL), `jetstream` a nats-server -js (JETSTREAM_URL).
module.exports = require('../jest.preset')(__dirname, { globals: { infra: ['mongo', 'nats', 'jetstream'], eventBus: 'nats-streaming' } });
