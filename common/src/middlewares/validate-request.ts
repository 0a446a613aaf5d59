import type { NextFunction, Request, Response } from 'express';
import { param, validationResult } from 'express-validator';
import { NotFoundError } from '../errors/not-found-error';
import { RequestValidationError } from '../errors/request-validation-error';

export const validateRequest = (req: Request, _res: Response, next: NextFunction): void => {
  const errors = validationResult(req);
  if (!errors.isEmpty()) throw new RequestValidationError(errors.array());
  next();
};

/** A route parameter that must be an ObjectId; anything else cannot name a record, so 404. */
export const objectIdParam = (name = 'id') => [
  param(name).isMongoId(),
  (req: Request, _res: Response, next: NextFunction) => {
    if (!validationResult(req).isEmpty()) throw new NotFoundError();
    next();
  },
];
