import type { NextFunction, Request, Response } from 'express';
import { CustomError } from '../errors/custom-error';
import { BadRequestError } from '../errors/bad-request-error';
import { ClientError } from '../errors/client-error';
import { PayloadTooLargeError } from '../errors/payload-too-large-error';
import { logger } from '../observability/logger';

interface LibraryError {
  /** body-parser's kind of error. */
  type?: unknown;
  /** The HTTP status the router or body-parser gave it. */
  status?: unknown;
}

/** body-parser's errors carry a `type`; map the ones a client can cause to our typed errors. */
const fromBodyParser = ({ type }: LibraryError): CustomError | undefined => {
  if (type === 'entity.parse.failed') return new BadRequestError('Malformed JSON body');
  if (type === 'entity.too.large') return new PayloadTooLargeError();
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new BadRequestError('Unsupported body encoding');
  if (type === 'request.aborted') return new BadRequestError('Request aborted');
  if (type === 'request.size.invalid') return new BadRequestError('Request size did not match Content-Length');
  return undefined;
};

/** Any other library error with a 4xx status is the client's doing (a URL that does not decode, say): keep the status. */
const fromStatus = (err: unknown, { status }: LibraryError): CustomError | undefined => {
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return err instanceof URIError ? new ClientError(status, 'Malformed URL') : new ClientError(status);
};

const toKnownError = (err: unknown): CustomError | undefined => {
  if (err instanceof CustomError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  return fromBodyParser(err) ?? fromStatus(err, err);
};

export const errorHandler = (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
  const known = toKnownError(err);
  if (known) {
    res.status(known.statusCode).send({ errors: known.serializeErrors() });
    return;
  }
  logger.error({ err }, 'Unexpected error');
  res.status(500).send({ errors: [{ message: 'Something went wrong' }] });
};
