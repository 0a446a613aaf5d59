import type { ApiError } from '@ticketing/common/api';
import type { ApiResult } from './result';

const UNREACHABLE_MESSAGE = 'We could not reach the ticketing service. Please try again in a moment.';

const isErrorItem = (value: unknown): value is ApiError =>
  typeof value === 'object' && value !== null && typeof (value as ApiError).message === 'string';

/** Reads `{errors:[{message, field?}]}` from a failed response, with a generic message when the body is anything else. */
export async function readErrors(res: Response): Promise<ApiError[]> {
  const body: unknown = await res.json().catch(() => null);
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every(isErrorItem)) {
    return errors.map(({ message, field }) => (field ? { message, field } : { message }));
  }
  return [{ message: `Something went wrong (HTTP ${res.status}). Please try again.` }];
}

/** Retry-After in seconds; an HTTP date or anything else is left out. */
const retryAfterSeconds = (res: Response): number | undefined => {
  const header = res.headers.get('retry-after');
  return header && /^\d+$/.test(header) ? Number(header) : undefined;
};

/** Turns a fetch Response into an ApiResult; 204 and empty bodies become `undefined` data. */
export async function toResult<T>(res: Response): Promise<ApiResult<T>> {
  if (!res.ok) return { ok: false, status: res.status, errors: await readErrors(res), retryAfterSeconds: retryAfterSeconds(res) };
  const text = await res.text();
  try {
    const data = (text ? JSON.parse(text) : undefined) as T;
    return { ok: true, status: res.status, data, headers: res.headers };
  } catch {
    return { ok: false, status: res.status, errors: [{ message: 'The service sent a response we could not read. Please try again.' }] };
  }
}

export const unreachable = <T>(): ApiResult<T> => ({ ok: false, status: 0, errors: [{ message: UNREACHABLE_MESSAGE }] });
