import type { ValidationError } from 'express-validator';
import { CustomError, SerializedError } from './custom-error';

export class RequestValidationError extends CustomError {
  readonly statusCode = 400;

  constructor(readonly errors: ValidationError[]) {
    super('Invalid request parameters');
  }

  serializeErrors(): SerializedError[] {
    return this.errors.map((error) =>
      error.type === 'field' ? { message: String(error.msg), field: error.path } : { message: String(error.msg) },
    );
  }
}
