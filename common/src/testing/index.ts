export * from './database';
export * from './recording-bus';
export * from './signin';
export * from './service-test';
