import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode } from '@parley/shared';
import type { Logger } from '../logger.ts';
import { AppError } from './AppError.ts';

/** What body-parser and the router attach to the errors they raise (http-errors). */
interface HttpLibraryError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  /** http-errors sets this for 4xx: the error is the caller's, not ours. */
  expose?: boolean;
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

/**
 * The caller's mistakes (a body that cannot be read, a bad address) become a 4xx with a stable
 * code and a message of our own; anything else is a 500 that says nothing about the inside.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // The router decodes path parameters with decodeURIComponent: /api/clients/%ZZ.
  if (err instanceof URIError) {
    return new AppError(ErrorCode.MALFORMED_URI, 'The address has bad percent-encoding', 400);
  }
  const httpError = (err ?? {}) as HttpLibraryError;
  switch (httpError.type) {
    case 'entity.parse.failed':
      return new AppError(ErrorCode.MALFORMED_JSON, 'The request body is not valid JSON', 400);
    case 'entity.too.large':
      return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large', 413);
    case 'encoding.unsupported':
      return new AppError(
        ErrorCode.UNSUPPORTED_ENCODING,
        'Unsupported Content-Encoding (send identity, gzip, deflate or br)',
        415,
      );
    case 'charset.unsupported':
      return new AppError(ErrorCode.UNSUPPORTED_ENCODING, 'Unsupported charset (send UTF-8)', 415);
  }
  const status = httpError.status ?? httpError.statusCode;
  if (httpError.expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) {
      return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large', 413);
    }
    if (status === 415) {
      return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Unsupported request body type', 415);
    }
    // A gzip/deflate/br stream that does not decompress, a truncated or aborted upload, a
    // Content-Length that does not match the body.
    return new AppError(
      ErrorCode.MALFORMED_BODY,
      'The request body could not be read (broken compression or an incomplete upload)',
      400,
    );
  }
  return new AppError(ErrorCode.INTERNAL, 'Something went wrong on our side; please try again', 500);
}

export const routeNotFound: RequestHandler = (req, res) => {
  res
    .status(404)
    .json(new AppError(ErrorCode.ROUTE_NOT_FOUND, `No API route ${req.method} ${req.path}`, 404).toBody());
};
