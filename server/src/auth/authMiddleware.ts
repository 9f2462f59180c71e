import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode, type Role } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { AppError, ForbiddenError, UnauthenticatedError } from '../http/AppError.ts';
import { verifyAccessToken, type AccessClaims } from './tokens.ts';
import { userSessionsFor } from './UserSessions.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by authenticate: who is asking, and for which organisation. */
    auth?: AccessClaims;
    /** Set by authenticate when the bearer is a valid access token of a session that has ended. */
    authRefusal?: AppError;
    /** authenticate ran for this request. */
    authChecked?: boolean;
  }
}

function bearer(req: Request): string | undefined {
  return req.headers.authorization?.match(/^Bearer ([A-Za-z0-9._-]+)$/)?.[1];
}

/**
 * Runs for every API request: a bearer that is a valid access token is checked against the user's
 * current session (active, session version) and, when it holds, becomes `req.auth`. It refuses
 * nothing itself — sign-in and the kiosk's own tokens pass through — so that requireAuth can.
 */
export function authenticate(ctx: Pick<AppContext, 'db' | 'config' | 'logger'>): RequestHandler {
  const sessions = userSessionsFor(ctx);
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.authChecked = true;
    const token = bearer(req);
    if (token) {
      let claims;
      try {
        claims = verifyAccessToken(token, ctx.config.jwtSecret);
      } catch {
        // Not an access token of ours (a kiosk token, an expired one): requireAuth says which.
      }
      if (claims) {
        try {
          await sessions.assertAccessToken(claims);
          const { sessionVersion: _version, ...who } = claims;
          req.auth = who;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          req.authRefusal = err;
        }
      }
    }
    next();
  };
}

/** Rejects requests without a valid bearer access token of a current session. Must follow authenticate. */
export function requireAuth(secret: string): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.authChecked) {
      // A router mounted without authenticate would accept revoked sessions: fail loudly instead.
      next(new Error('requireAuth is mounted without authenticate(ctx) before it'));
      return;
    }
    if (req.authRefusal) {
      next(req.authRefusal);
      return;
    }
    if (req.auth) {
      next();
      return;
    }
    const token = bearer(req);
    if (!token) {
      next(new UnauthenticatedError());
      return;
    }
    // Says why the token is not accepted (expired, invalid); a valid one was handled above.
    verifyAccessToken(token, secret);
    next(new UnauthenticatedError(ErrorCode.TOKEN_INVALID, 'The access token is not valid'));
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
