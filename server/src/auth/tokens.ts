import { createHash, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ErrorCode, RoleSchema, type Role } from '@parley/shared';
import { UnauthenticatedError } from '../http/AppError.ts';

const ISSUER = 'parley';

/** What an access token says about its bearer. */
export interface AccessClaims {
  userId: string;
  organizationId: string;
  role: Role;
}

/** An access token's claims and the session version it was issued under. */
export interface AccessTokenClaims extends AccessClaims {
  /** The user's session version when the token was issued: a later revocation makes it stale. */
  sessionVersion: number;
}

const AccessPayloadSchema = z.object({
  sub: z.uuid(),
  org: z.uuid(),
  role: RoleSchema,
  typ: z.literal('access'),
  sv: z.number().int().nonnegative(),
});

export function signAccessToken(claims: AccessTokenClaims, secret: string, ttlSeconds: number): string {
  const payload = { org: claims.organizationId, role: claims.role, typ: 'access', sv: claims.sessionVersion };
  return jwt.sign(payload, secret, {
    algorithm: 'HS256',
    subject: claims.userId,
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
}

/** Verifies signature, algorithm, issuer, expiry and shape; throws a 401 AppError otherwise. */
export function verifyAccessToken(token: string, secret: string): AccessTokenClaims {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) {
      throw new UnauthenticatedError(ErrorCode.TOKEN_EXPIRED, 'Your session has expired; sign in again');
    }
    throw new UnauthenticatedError(ErrorCode.TOKEN_INVALID, 'The access token is not valid');
  }
  const parsed = AccessPayloadSchema.safeParse(decoded);
  if (!parsed.success) {
    throw new UnauthenticatedError(ErrorCode.TOKEN_INVALID, 'The access token is not valid');
  }
  return {
    userId: parsed.data.sub,
    organizationId: parsed.data.org,
    role: parsed.data.role,
    sessionVersion: parsed.data.sv,
  };
}

/** Refresh tokens are opaque random strings; only their SHA-256 is stored. */
export function newRefreshToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return hashSecretToken(token);
}

/**
 * SHA-256 of a high-entropy secret (refresh tokens, kiosk device credentials), so it can be looked
 * up by hash. Passwords, which people choose, use argon2 instead.
 */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
