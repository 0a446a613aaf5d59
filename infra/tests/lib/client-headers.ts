import { loadTsModule } from './ts-module';

export const nextConfigFile = 'client/next.config.ts';

export interface HeaderRule {
  source: string;
  headers: { key: string; value: string }[];
}

const isHeaderRule = (value: unknown): value is HeaderRule => {
  if (typeof value !== 'object' || value === null) return false;
  const { source, headers } = value as { source?: unknown; headers?: unknown };
  return (
    typeof source === 'string' &&
    Array.isArray(headers) &&
    headers.every(
      (header: unknown) =>
        typeof header === 'object' &&
        header !== null &&
        typeof (header as { key?: unknown }).key === 'string' &&
        typeof (header as { value?: unknown }).value === 'string',
    )
  );
};

/** What the client's next.config.ts `headers()` returns, evaluated as Next.js evaluates it at build time. */
export const loadClientHeaderRules = async (text?: string): Promise<HeaderRule[]> => {
  const config = loadTsModule(nextConfigFile, text).default as { headers?: unknown } | undefined;
  if (typeof config?.headers !== 'function') return [];
  const rules: unknown = await (config.headers as () => Promise<unknown>)();
  if (!Array.isArray(rules) || !rules.every(isHeaderRule)) throw new Error(`${nextConfigFile}: headers() returns no list of rules`);
  return rules;
};

/** Sources that cover every path of the app, in Next.js's path-to-regexp syntax. */
const everyPath = ['/:path*', '/(.*)'];

const required: { header: string; accepts: (value: string) => boolean; wants: string }[] = [
  {
    header: 'Content-Security-Policy',
    accepts: (value) => /(?:^|;)\s*frame-ancestors\s+(?:'none'|'self')\s*(?:;|$)/.test(value),
    wants: "frame-ancestors 'none' or 'self'",
  },
  { header: 'X-Frame-Options', accepts: (value) => /^(?:DENY|SAMEORIGIN)$/i.test(value), wants: 'DENY or SAMEORIGIN' },
  { header: 'X-Content-Type-Options', accepts: (value) => value.toLowerCase() === 'nosniff', wants: 'nosniff' },
  {
    header: 'Referrer-Policy',
    accepts: (value) => ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(value),
    wants: 'a policy that sends no path to other origins',
  },
  { header: 'Permissions-Policy', accepts: (value) => value.length > 0, wants: 'the features the app does not use turned off' },
  {
    header: 'Strict-Transport-Security',
    accepts: (value) => Number(/max-age=(\d+)/.exec(value)?.[1] ?? 0) >= 180 * 24 * 3600,
    wants: 'max-age of at least 180 days',
  },
];

/** The headers every response of the client must carry, on a rule that covers every path. */
export const clientHeaderProblems = (rules: HeaderRule[]): string[] => {
  const global = rules.filter((rule) => everyPath.includes(rule.source));
  const sent = new Map(global.flatMap((rule) => rule.headers).map(({ key, value }) => [key.toLowerCase(), value] as const));
  return required.flatMap(({ header, accepts, wants }) => {
    const value = sent.get(header.toLowerCase());
    if (value === undefined) return [`${nextConfigFile}: no ${header} on every path`];
    return accepts(value) ? [] : [`${nextConfigFile}: ${header} is "${value}", not ${wants}`];
  });
};
