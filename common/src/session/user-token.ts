import { createSecretKey, KeyObject } from 'crypto';
import jwt from 'jsonwebtoken';

/** Who is signed in, as the session's token carries it. */
export interface UserPayload {
  id: string;
  email: string;
  iat?: number;
}

export const jwtKey = (): string => {
  const key = process.env.JWT_KEY;
  if (!key) throw new Error('JWT_KEY must be defined');
  return key;
};

const cached = new Map<string, { text: string; key: KeyObject }>();

/**
 * The environment variable `name` as a KeyObject, made once per key: given the string, jsonwebtoken first tries it
 * as a public key on every call, which cost about a tenth of a service's CPU per request (profiled).
 */
export const secretKeyFromEnv = (name: string): KeyObject => {
  const text = process.env[name];
  if (!text) throw new Error(`${name} must be defined`);
  const known = cached.get(name);
  if (known?.text === text) return known.key;
  const key = createSecretKey(Buffer.from(text));
  cached.set(name, { text, key });
  return key;
};

/** JWT_KEY, which signs and checks the session tokens. */
export const signingKey = (): KeyObject => secretKeyFromEnv('JWT_KEY');

const isUserPayload = (value: unknown): value is UserPayload =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as UserPayload).id === 'string' &&
  typeof (value as UserPayload).email === 'string';

/** The token a session cookie carries for this user. */
export const signUserToken = (user: { id: string; email: string }, expiresIn: jwt.SignOptions['expiresIn'] = '7d'): string =>
  jwt.sign({ id: user.id, email: user.email }, signingKey(), { algorithm: 'HS256', expiresIn });

/** The user a token names; undefined when it is tampered, expired or not ours. */
export const verifyUserToken = (token: string): UserPayload | undefined => {
  try {
    const payload = jwt.verify(token, signingKey(), { algorithms: ['HS256'] });
    return isUserPayload(payload) ? { id: payload.id, email: payload.email, iat: payload.iat } : undefined;
  } catch {
    return undefined;
  }
};
