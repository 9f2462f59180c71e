import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode, type Role } from '@parley/shared';
import { ForbiddenError, UnauthenticatedError } from '../http/AppError.ts';
import { verifyAccessToken, type AccessClaims } from './tokens.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requireAuth: who is asking, and for which organisation. */
    auth?: AccessClaims;
  }
}

/** Rejects requests without a valid bearer access token. */
export function requireAuth(secret: string): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer ([A-Za-z0-9._-]+)$/);
    if (!match?.[1]) {
      next(new UnauthenticatedError());
      return;
    }
    req.auth = verifyAccessToken(match[1], secret);
    next();
  };
}

/** Allows only the listed roles. Must follow requireAuth. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const auth = req.auth;
    if (!auth) {
      next(new UnauthenticatedError());
      return;
    }
    if (!roles.includes(auth.role)) {
      next(
        new ForbiddenError(ErrorCode.FORBIDDEN_ROLE, `This needs one of these roles: ${roles.join(', ')}`),
      );
      return;
    }
    next();
  };
}

/** The authenticated caller; throws if the route forgot requireAuth. */
export function caller(req: Request): AccessClaims {
  if (!req.auth) throw new UnauthenticatedError();
  return req.auth;
}
