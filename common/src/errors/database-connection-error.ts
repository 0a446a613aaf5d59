import { SimpleError } from './custom-error';

export class DatabaseConnectionError extends SimpleError {
  readonly statusCode = 503;

  constructor(message = 'Error connecting to the database') {
    super(message);
  }
}
