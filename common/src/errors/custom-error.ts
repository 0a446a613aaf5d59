export interface SerializedError {
  message: string;
  field?: string;
}

/** An error that knows its HTTP status and how it looks in the one error shape. */
export abstract class CustomError extends Error {
  abstract readonly statusCode: number;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  abstract serializeErrors(): SerializedError[];
}

/** The common case: one message, no field. */
export abstract class SimpleError extends CustomError {
  serializeErrors(): SerializedError[] {
    return [{ message: this.message }];
  }
}
