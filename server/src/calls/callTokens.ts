import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { CallRoleSchema, ErrorCode, type CallRole } from '@parley/shared';
import { UnauthenticatedError } from '../http/AppError.ts';

const ISSUER = 'parley';
/** Long enough to open the call screen and connect; a rejoin asks for a new one. */
export const CALL_TOKEN_TTL_SECONDS = 120;
/** A kiosk device stays signed in for a day of visits. */
export const KIOSK_TOKEN_TTL_SECONDS = 12 * 3600;

/** Who may join which consultation, as what. Signed by the REST API, checked by the signalling socket. */
export interface CallClaims {
  consultationId: string;
  organizationId: string;
  participantId: string;
  role: CallRole;
  displayName: string;
  /** Unique per token: a token joins once (replays are refused). */
  tokenId: string;
  expiresAt: number;
}

const CallPayloadSchema = z.object({
  typ: z.literal('call'),
  cid: z.uuid(),
  org: z.uuid(),
  sub: z.string().min(1).max(100),
  role: CallRoleSchema,
  name: z.string().max(200),
  jti: z.uuid(),
  exp: z.number(),
});

export function signCallToken(claims: Omit<CallClaims, 'tokenId' | 'expiresAt'>, secret: string): string {
  return jwt.sign(
    {
      typ: 'call',
      cid: claims.consultationId,
      org: claims.organizationId,
      role: claims.role,
      name: claims.displayName,
    },
    secret,
    {
      algorithm: 'HS256',
      issuer: ISSUER,
      subject: claims.participantId,
      expiresIn: CALL_TOKEN_TTL_SECONDS,
      jwtid: randomUUID(),
    },
  );
}

function verifyTyped<T>(token: string, secret: string, schema: z.ZodType<T>): T {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) {
      throw new UnauthenticatedError(
        ErrorCode.TOKEN_EXPIRED,
        'This link to the call has expired; open the call again',
      );
    }
    throw new UnauthenticatedError(ErrorCode.TOKEN_INVALID, 'The call token is not valid');
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw new UnauthenticatedError(ErrorCode.TOKEN_INVALID, 'The call token is not valid');
  return parsed.data;
}

export function verifyCallToken(token: string, secret: string): CallClaims {
  const p = verifyTyped(token, secret, CallPayloadSchema);
  return {
    consultationId: p.cid,
    organizationId: p.org,
    participantId: p.sub,
    role: p.role,
    displayName: p.name,
    tokenId: p.jti,
    expiresAt: p.exp * 1000,
  };
}

/** A facility device's session. Checked against the device's revocation on every use. */
export interface KioskClaims {
  deviceId: string;
  facilityId: string;
  organizationId: string;
}

const KioskPayloadSchema = z.object({
  typ: z.literal('kiosk'),
  sub: z.uuid(),
  fac: z.uuid(),
  org: z.uuid(),
});

export function signKioskToken(claims: KioskClaims, secret: string): string {
  return jwt.sign({ typ: 'kiosk', fac: claims.facilityId, org: claims.organizationId }, secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    subject: claims.deviceId,
    expiresIn: KIOSK_TOKEN_TTL_SECONDS,
  });
}

export function verifyKioskToken(token: string, secret: string): KioskClaims {
  const p = verifyTyped(token, secret, KioskPayloadSchema);
  return { deviceId: p.sub, facilityId: p.fac, organizationId: p.org };
}

/**
 * Remembers the ids of call tokens already used until they expire, so a captured token cannot be
 * replayed to join as someone else. One process holds the room, so memory is the right place.
 */
export class UsedTokenRegistry {
  private readonly used = new Map<string, number>();

  /** Returns false when the token was used before. */
  markUsed(tokenId: string, expiresAt: number, now = Date.now()): boolean {
    this.sweep(now);
    if (this.used.has(tokenId)) return false;
    this.used.set(tokenId, expiresAt);
    return true;
  }

  private sweep(now: number): void {
    for (const [id, expiresAt] of this.used) if (expiresAt <= now) this.used.delete(id);
  }
}
