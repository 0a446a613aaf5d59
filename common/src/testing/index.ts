export * from './database';
export * from './entry-point';
export * from './free-port';
export * from './recording-bus';
export * from './signin';
export * from './service-test';
export * from './wait-until';
export * from './events';
