import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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

/**
 * The Standard Webhooks headers (standardwebhooks.com), so receivers can check Parley's messages
 * with an existing verifier. `webhook-id` stays the same across retries of one delivery.
 */
export const STANDARD_WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  /** `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`. */
  signature: 'webhook-signature',
} as const;

const STANDARD_SECRET_PREFIX = 'whsec_';

/** A new signing secret in the Standard Webhooks form: `whsec_` + 32 random bytes, base64. */
export function newWebhookSecret(): string {
  return `${STANDARD_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The HMAC key of a secret: a `whsec_` secret's base64 bytes (what Standard Webhooks verifiers
 * use); an older, hand-typed secret's own UTF-8 bytes.
 */
function standardKey(secret: string): Buffer {
  return secret.startsWith(STANDARD_SECRET_PREFIX)
    ? Buffer.from(secret.slice(STANDARD_SECRET_PREFIX.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

export function signStandardWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', standardKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * What a Standard Webhooks receiver does: the header may list several space-separated signatures
 * (during a secret rotation); one matching `v1` signature within the tolerance is enough.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.id || !Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return false;
  }
  const expected = Buffer.from(signStandardWebhook(secret, headers.id, timestamp, body));
  return (headers.signature ?? '').split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
