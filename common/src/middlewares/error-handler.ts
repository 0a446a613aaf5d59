import type { NextFunction, Request, Response } from 'express';
import { CustomError } from '../errors/custom-error';
import { BadRequestError } from '../errors/bad-request-error';
import { PayloadTooLargeError } from '../errors/payload-too-large-error';

/** body-parser's errors carry a `type`; map the ones a client can cause to our typed errors. */
const fromBodyParser = (err: unknown): CustomError | undefined => {
  const type = (err as { type?: unknown })?.type;
  if (type === 'entity.parse.failed') return new BadRequestError('Malformed JSON body');
  if (type === 'entity.too.large') return new PayloadTooLargeError();
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new BadRequestError('Unsupported body encoding');
  return undefined;
};

export const errorHandler = (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
  const known = err instanceof CustomError ? err : fromBodyParser(err);
  if (known) {
    res.status(known.statusCode).send({ errors: known.serializeErrors() });
    return;
  }
  console.error('Unexpected error', err);
  res.status(500).send({ errors: [{ message: 'Something went wrong' }] });
};
