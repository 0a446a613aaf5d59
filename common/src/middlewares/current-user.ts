import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

export interface UserPayload {
  id: string;
  email: string;
  iat?: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      currentUser?: UserPayload;
    }
  }
}

const isUserPayload = (value: unknown): value is UserPayload =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as UserPayload).id === 'string' &&
  typeof (value as UserPayload).email === 'string';

/** Reads the JWT from the session cookie; a missing, tampered or expired token means signed out. */
export const currentUser = (req: Request, _res: Response, next: NextFunction): void => {
  const token: unknown = req.session?.jwt;
  if (typeof token !== 'string') return next();
  try {
    const payload = jwt.verify(token, jwtKey(), { algorithms: ['HS256'] });
    if (isUserPayload(payload)) req.currentUser = { id: payload.id, email: payload.email, iat: payload.iat };
  } catch {
    // An invalid token is treated as no token.
  }
  next();
};

export const jwtKey = (): string => {
  const key = process.env.JWT_KEY;
  if (!key) throw new Error('JWT_KEY must be defined');
  return key;
};

export const signUserToken = (user: { id: string; email: string }, expiresIn: jwt.SignOptions['expiresIn'] = '7d'): string =>
  jwt.sign({ id: user.id, email: user.email }, jwtKey(), { algorithm: 'HS256', expiresIn });
