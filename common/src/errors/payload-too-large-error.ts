import { SimpleError } from './custom-error';

export class PayloadTooLargeError extends SimpleError {
  readonly statusCode = 413;

  constructor(message = 'Request body too large') {
    super(message);
  }
}
