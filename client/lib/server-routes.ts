/** An API path prefix and the base URL that serves it. */
export interface ServerRoute {
  prefix: string;
  base: string;
}

/**
 * Reads SERVER_API_ROUTES, `/api/users=http://auth-srv:3000,/api/tickets=http://tickets-srv:3000,...`:
 * in the cluster, server-side requests go to each service directly, since the
 * ingress answers plain http with a redirect to https.
 */
export const parseServerRoutes = (text: string | undefined): ServerRoute[] =>
  (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=');
      if (at <= 0) throw new Error(`SERVER_API_ROUTES: "${entry}" is not <path prefix>=<base URL>`);
      return { prefix: entry.slice(0, at).replace(/\/+$/, ''), base: entry.slice(at + 1).replace(/\/+$/, '') };
    });

/** The URL of an API path: under the longest prefix that matches whole path segments (as the Ingress does), else the fallback. */
export const resolveServerUrl = (routes: ServerRoute[], fallback: string, path: string): string => {
  const pathname = path.split(/[?#]/)[0];
  const route = routes
    .filter(({ prefix }) => pathname === prefix || pathname.startsWith(`${prefix}/`))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  return `${route?.base ?? fallback}${path}`;
};
