import { STATUS_CODES } from 'http';
import { SimpleError } from './custom-error';

/** A 4xx raised by a library (the router, body-parser), kept at its status in the one error shape. */
export class ClientError extends SimpleError {
  constructor(
    readonly statusCode: number,
    message = STATUS_CODES[statusCode] ?? 'Bad request',
  ) {
    super(message);
  }
}
