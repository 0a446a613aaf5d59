import 'server-only';
import { headers } from 'next/headers';
import { toResult, unreachable } from './errors';
import type { ApiResult } from './result';
import { parseServerRoutes, resolveServerUrl } from './server-routes';

const DEFAULT_SERVER_API_URL = 'http://127.0.0.1:8080';

/** Where server-side requests go: each service by SERVER_API_ROUTES in the cluster, else the gateway on one machine. */
const serverUrl = (path: string): string =>
  resolveServerUrl(
    parseServerRoutes(process.env.SERVER_API_ROUTES),
    (process.env.SERVER_API_URL ?? DEFAULT_SERVER_API_URL).replace(/\/+$/, ''),
    path,
  );

/**
 * GETs an API path on behalf of the user whose request is being rendered: their cookie and Host travel along,
 * so the call is routed and authenticated like the browser's own. Never cached.
 */
export async function serverFetch<T>(path: string): Promise<ApiResult<T>> {
  const incoming = await headers();
  const forwarded = new Headers({ accept: 'application/json' });
  // The raw header, not cookies().toString(), which re-encodes values and would break the session signature.
  const cookie = incoming.get('cookie');
  if (cookie) forwarded.set('cookie', cookie);
  const host = incoming.get('host');
  if (host) forwarded.set('host', host);

  try {
    const res = await fetch(serverUrl(path), { headers: forwarded, cache: 'no-store' });
    return await toResult<T>(res);
  } catch (err) {
    console.error(`GET ${path} failed:`, err instanceof Error ? err.message : err);
    return unreachable<T>();
  }
}
