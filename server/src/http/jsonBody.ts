import express, { type RequestHandler } from 'express';
import { ErrorCode } from '@parley/shared';
import { AppError } from './AppError.ts';

/**
 * The API's body reader: JSON only. A request that carries a body in another Content-Type gets
 * 415 UNSUPPORTED_MEDIA_TYPE instead of reaching a route with no body at all (which would read
 * as a confusing "required" error). A request without a body passes untouched.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const onlyJson: RequestHandler = (req, _res, next) => {
    // req.is() is null without a body, false for a body of another type. A browser's fetch POST
    // with no body sends "Content-Length: 0" and no type, which req.is() counts as a body: it has none.
    if (req.is('application/json') === false && req.headers['content-length'] !== '0') {
      next(new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the request body as application/json', 415));
      return;
    }
    next();
  };
  return [onlyJson, express.json({ limit, strict: true })];
}
