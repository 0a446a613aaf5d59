import { SimpleError } from './custom-error';

/** Signed in, but this user may not do this (yet): e.g. an order for a waiting-room listing without an admission. */
export class ForbiddenError extends SimpleError {
  readonly statusCode = 403;

  constructor(message = 'Forbidden') {
    super(message);
  }
}
