export * from './infra/process';
export * from './infra/servers';
export * from './infra/start-infra';
export * from './infra/tools';
