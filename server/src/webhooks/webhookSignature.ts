import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of every webhook Parley sends. */
export const WEBHOOK_HEADERS = {
  event: 'X-Parley-Event',
  delivery: 'X-Parley-Delivery',
  /** Unix seconds when this attempt was signed. */
  timestamp: 'X-Parley-Timestamp',
  /** `v1=` + hex HMAC-SHA256 of `${timestamp}.${body}` under the organisation's secret. */
  signature: 'X-Parley-Signature',
} as const;

/**
 * The signature of one attempt. Signing the timestamp with the body lets a receiver refuse replays
 * of an old message (Stripe's and Slack's scheme).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature (constant-time compare) and refuse a timestamp
 * outside the tolerance. Exported for receivers written in TypeScript and for the tests.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
