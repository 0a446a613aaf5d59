import type { NextFunction, Request, Response } from 'express';
import { NotAuthorizedError } from '../errors/not-authorized-error';
import type { UserPayload } from '../session/user-token';

export const requireAuth = (req: Request, _res: Response, next: NextFunction): void => {
  if (!req.currentUser) throw new NotAuthorizedError();
  next();
};

/** The signed-in user; only valid on routes behind `requireAuth`. */
export const signedInUser = (req: Request): UserPayload => {
  if (!req.currentUser) throw new NotAuthorizedError();
  return req.currentUser;
};
