import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The facility's link token: HMAC-SHA256 of the request's id under the server's secret, base64url
 * (43 characters). Signed rather than stored, so a reminder can send the same link again; only the
 * token's SHA-256 is stored, to find the request it names. A token names one request, and so one
 * booking at one time.
 */
export function confirmationToken(secret: string, requestId: string): string {
  return createHmac('sha256', secret).update(`parley:facility-confirmation:${requestId}`).digest('base64url');
}

export function hashConfirmationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when `token` is the signature of `requestId` (constant time). */
export function tokenSignsRequest(secret: string, requestId: string, token: string): boolean {
  const expected = Buffer.from(confirmationToken(secret, requestId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The page the facility's contact opens. The token rides in the fragment: browsers never send it. */
export function confirmationLink(origin: string, consultationId: string, token: string): string {
  return `${origin}/facility-confirmation/${consultationId}#${token}`;
}
