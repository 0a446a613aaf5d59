import { SimpleError } from './custom-error';

export class NotAuthorizedError extends SimpleError {
  readonly statusCode = 401;

  constructor(message = 'Not authorized') {
    super(message);
  }
}
