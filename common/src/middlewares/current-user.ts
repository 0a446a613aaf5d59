import type { NextFunction, Request, Response } from 'express';
import { UserPayload, verifyUserToken } from '../session/user-token';

declare global {
  // Express's typings declare the global `Express` namespace for apps to extend Request: an extension, not a namespace of ours.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      currentUser?: UserPayload;
    }
  }
}

/** Reads the JWT from the session cookie; a missing, tampered or expired token means signed out. */
export const currentUser = (req: Request, _res: Response, next: NextFunction): void => {
  const token: unknown = req.session?.jwt;
  if (typeof token === 'string') req.currentUser = verifyUserToken(token);
  next();
};
