import { SimpleError } from './custom-error';

export class NotFoundError extends SimpleError {
  readonly statusCode = 404;

  constructor(message = 'Not found') {
    super(message);
  }
}
