import { ErrorCode, type ErrorBody } from '@parley/shared';

/** An error the API reports to the caller with a stable code and an HTTP status. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: { path: string; message: string }[]) {
    super(ErrorCode.VALIDATION_FAILED, message, 400, details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(ErrorCode.NOT_FOUND, `${what} was not found`, 404);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(code: ErrorCode = ErrorCode.UNAUTHENTICATED, message = 'Sign in to continue') {
    super(code, message, 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(code, message, 403);
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(code, message, 409);
  }
}
