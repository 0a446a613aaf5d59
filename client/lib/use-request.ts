import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '@ticketing/common/api';
import { toResult, unreachable } from './errors';
import type { ApiResult } from './result';

type Method = 'POST' | 'PUT' | 'DELETE';

export interface RequestErrors {
  /** Errors tied to an input, by field name. */
  field(name: string): string | undefined;
  /** Errors for the form as a whole, including field errors whose input this form does not have. */
  general: string[];
  /** When a refused request may be sent again (ms since the epoch), from the server's Retry-After. */
  retryAt?: number;
}

/** Where keyboard and screen-reader users land after a failed submit: the first invalid input, else the form's errors. */
const focusFirstError = () => {
  const first = document.querySelector<HTMLElement>('main [aria-invalid="true"], main [data-form-errors]');
  first?.focus();
};

/**
 * Sends a form's browser-side API request and keeps its errors for that form, while `pending` disables its button.
 * `fields` lists the inputs the form shows, so an error for any other field is still displayed, above the submit button.
 */
export function useRequest<T>(method: Method, url: string, fields: readonly string[] = []) {
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [retryAt, setRetryAt] = useState<number>();
  const [failures, setFailures] = useState(0);
  const [pending, setPending] = useState(false);

  // After the errors are on the page, so that there is something to focus.
  useEffect(() => {
    if (failures > 0) focusFirstError();
  }, [failures]);

  const send = useCallback(
    async (body?: unknown): Promise<ApiResult<T>> => {
      setPending(true);
      setErrors([]);
      setRetryAt(undefined);
      const result = await request<T>(method, url, body);
      if (!result.ok) {
        setErrors(result.errors);
        if (result.retryAfterSeconds !== undefined) setRetryAt(Date.now() + result.retryAfterSeconds * 1000);
        setFailures((count) => count + 1);
      }
      setPending(false);
      return result;
    },
    [method, url],
  );

  const fieldErrors = errors.filter((e) => e.field && fields.includes(e.field));
  const requestErrors: RequestErrors = {
    field: (name) => fieldErrors.find((e) => e.field === name)?.message,
    general: errors.filter((e) => !fieldErrors.includes(e)).map((e) => e.message),
    retryAt,
  };

  return { send, pending, errors: requestErrors };
}

/** Same-origin fetch of an `/api/...` path; the browser sends the session cookie itself. */
export async function request<T>(method: 'GET' | Method, url: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    return await toResult<T>(res);
  } catch {
    return unreachable<T>();
  }
}
