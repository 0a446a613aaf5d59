import type { ApiError } from '@ticketing/common/api';

/** Every request answers with data, or with the API's error list and the HTTP status (0 when the API was unreachable). */
export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  /** `retryAfterSeconds`: the server's Retry-After on a refusal (429, 503), when it sent one in seconds. */
  | { ok: false; status: number; errors: ApiError[]; retryAfterSeconds?: number };
