import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode } from '@parley/shared';
import type { Logger } from '../logger.ts';
import { AppError } from './AppError.ts';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Maps anything thrown in a route to `{ error: { code, message } }` with a fitting status. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const error = toAppError(err);
    if (error.status >= 500) {
      logger.error({ err, method: req.method, path: req.path }, 'request failed');
    }
    res.status(error.status).json(error.toBody());
  };
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const bodyError = err as BodyParserError;
  if (bodyError?.type === 'entity.parse.failed') {
    return new AppError(ErrorCode.MALFORMED_JSON, 'The request body is not valid JSON', 400);
  }
  if (bodyError?.type === 'entity.too.large') {
    return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large', 413);
  }
  if (bodyError?.type === 'encoding.unsupported' || bodyError?.type === 'charset.unsupported') {
    return new AppError(ErrorCode.VALIDATION_FAILED, 'Unsupported request encoding', 415);
  }
  return new AppError(ErrorCode.INTERNAL, 'Something went wrong on our side; please try again', 500);
}

export const routeNotFound: RequestHandler = (req, res) => {
  res
    .status(404)
    .json(new AppError(ErrorCode.ROUTE_NOT_FOUND, `No API route ${req.method} ${req.path}`, 404).toBody());
};
