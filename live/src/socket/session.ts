import { UserPayload, verifyUserToken } from '@ticketing/common';

/** The value of cookie `name` in a Cookie header. */
const cookieValue = (header: string, name: string): string | undefined => {
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
};

const jwtOf = (session: string): unknown => {
  try {
    const body: unknown = JSON.parse(Buffer.from(session, 'base64').toString('utf8'));
    return typeof body === 'object' && body !== null ? (body as { jwt?: unknown }).jwt : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The user an upgrade request's session cookie signs in, read as cookie-session writes it (base64 JSON
 * `{jwt}` in cookie `session`, unsigned) and checked as currentUser checks it; undefined means public only.
 */
export const userOfCookie = (cookieHeader: string | undefined): UserPayload | undefined => {
  const session = cookieHeader === undefined ? undefined : cookieValue(cookieHeader, 'session');
  if (!session) return undefined;
  const token = jwtOf(session);
  return typeof token === 'string' ? verifyUserToken(token) : undefined;
};
