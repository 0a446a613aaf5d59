import { SimpleError } from './custom-error';

/** A backing service (a database, Redis) does not answer just now: the client may try again shortly. */
export class ServiceUnavailableError extends SimpleError {
  readonly statusCode = 503;

  constructor(message = 'Service unavailable, try again shortly') {
    super(message);
  }
}
