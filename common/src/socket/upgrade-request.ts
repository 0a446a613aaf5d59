import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import proxyAddr from 'proxy-addr';
import { UserPayload, verifyUserToken } from '../session/user-token';

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
 * `{jwt}` in cookie `session`, unsigned) and checked as currentUser checks it; undefined means nobody.
 */
export const userOfCookie = (cookieHeader: string | undefined): UserPayload | undefined => {
  const session = cookieHeader === undefined ? undefined : cookieValue(cookieHeader, 'session');
  if (!session) return undefined;
  const token = jwtOf(session);
  return typeof token === 'string' ? verifyUserToken(token) : undefined;
};

/**
 * A browser sends its cookies with a WebSocket opened by any site: the Origin, when there is one, must be
 * the host the request was sent to, or another site could read a user's private messages.
 */
export const sameOrigin = (req: IncomingMessage): boolean => {
  const { origin, host } = req.headers;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
};

/** Answers an upgrade request with a plain HTTP status instead of a WebSocket. */
export const refuseUpgrade = (socket: Duplex, status: number, reason: string): void => {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/** Express's reading of a `trust proxy` setting (a hop count, or the trusted proxies' addresses and subnets). */
const trustOf = (trust: number | string): ((address: string, hop: number) => boolean) =>
  typeof trust === 'number' ? (_address, hop) => hop < trust : proxyAddr.compile(trust.split(',').map((entry) => entry.trim()));

/**
 * The client address of an upgrade request as Express's `req.ip` reads it with the same `trust proxy`
 * (TRUST_PROXY): the X-Forwarded-For entry the trusted proxies appended, never one the client wrote itself.
 */
export const clientAddressOf = (req: IncomingMessage, trust: number | string): string => proxyAddr(req, trustOf(trust));
