import { SimpleError } from './custom-error';

export class TooManyRequestsError extends SimpleError {
  readonly statusCode = 429;

  constructor(message = 'Too many requests, try again later') {
    super(message);
  }
}
