// First: tracing hooks `require` before express, mongoose and ioredis load (observability/tracing.ts).
import './observability/start-tracing';

export * from './errors/custom-error';
export * from './errors/bad-request-error';
export * from './errors/not-found-error';
export * from './errors/not-authorized-error';
export * from './errors/request-validation-error';
export * from './errors/payload-too-large-error';
export * from './errors/client-error';
export * from './errors/too-many-requests-error';
export * from './errors/forbidden-error';
export * from './errors/service-unavailable-error';
export * from './errors/invalid-message-error';

export * from './session/user-token';
export * from './session/admission-token';
export * from './socket/upgrade-request';
export * from './socket/socket-hub';
export * from './socket/socket-server';
export * from './middlewares/current-user';
export * from './middlewares/require-auth';
export * from './middlewares/validate-request';
export * from './middlewares/page-limit';
export * from './middlewares/error-handler';

export * from './events/subjects';
export * from './events/events';
export * from './events/order-status';

export * from './bus/event-bus';
export * from './bus/publisher';
export * from './bus/listener';
export * from './bus/connect-event-bus';
export * from './bus/nats-users';
export * from './bus/process-event-bus';
export * from './bus/dead-letters';
export * from './bus/failing-messages';
export * from './bus/dead-letter-store';

export * from './outbox/outbox';
export * from './replica/versioned';
export * from './models/to-json';
export * from './models/api-json-without';
export * from './models/update-if-current';
export * from './models/ensure-indexes';
export * from './models/database-uri';
export * from './models/is-duplicate-key';
export * from './money';
export * from './jobs/job-retention';
export * from './jobs/bull-queue';
export * from './observability/metrics';

export * from './service/env';
export * from './service/create-app';
export * from './service/run-service';
export * from './service/request-path';
export * from './service/process-failures';
export * from './service/periodic-task';

export * from './observability/trace-context';
export * from './observability/tracing';
export * from './observability/logger';
export * from './observability/service-name';
