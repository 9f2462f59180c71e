import jwt from 'jsonwebtoken';
import { z } from 'zod';

const ISSUER = 'parley';

/**
 * A seat token lets the device that proved a call was its client's return to that call (a page
 * reload, a dropped connection) without asking for the digits again. It names the device and the
 * consultation, and lapses when the call's time is over; it is not a call ticket (the socket
 * refuses it) and another device cannot use it.
 */
export interface KioskSeatClaims {
  deviceId: string;
  consultationId: string;
}

const SeatPayloadSchema = z.object({
  typ: z.literal('kiosk-seat'),
  did: z.uuid(),
  cid: z.uuid(),
});

/** Valid until the call's end, plus a margin for the last reconnection. */
export function signKioskSeatToken(
  claims: KioskSeatClaims,
  callEndsAt: Date,
  now: Date,
  secret: string,
): string {
  const seconds = Math.max(60, Math.ceil((callEndsAt.getTime() - now.getTime()) / 1000) + 5 * 60);
  return jwt.sign({ typ: 'kiosk-seat', did: claims.deviceId, cid: claims.consultationId }, secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    expiresIn: Math.min(seconds, 24 * 3600),
  });
}

/** The claims of a valid seat token, or null (expired, forged, or another kind of token). */
export function verifyKioskSeatToken(token: string, secret: string): KioskSeatClaims | null {
  try {
    const decoded = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER });
    const parsed = SeatPayloadSchema.safeParse(decoded);
    return parsed.success ? { deviceId: parsed.data.did, consultationId: parsed.data.cid } : null;
  } catch {
    return null;
  }
}
