/** `@ticketing/common/api`: the HTTP API's JSON and the WebSockets' messages, types only. */
export type * from './types';
export type * from './live';
