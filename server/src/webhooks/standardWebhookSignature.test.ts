import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signStandardWebhook, verifyStandardWebhook } from './webhookSignature.ts';

// The example in the Standard Webhooks specification: a receiver's verifier must agree with it.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signatures', () => {
  it('match the specification example', () => {
    expect(signStandardWebhook(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it('verify within the tolerance, among several signatures, and not otherwise', () => {
    const headers = { id: SPEC.id, timestamp: String(SPEC.timestamp), signature: SPEC.signature };
    expect(verifyStandardWebhook(SPEC.secret, headers, SPEC.body, SPEC.timestamp + 60)).toBe(true);
    const rotated = { ...headers, signature: `v1,c3RhbGU= ${SPEC.signature}` };
    expect(verifyStandardWebhook(SPEC.secret, rotated, SPEC.body, SPEC.timestamp)).toBe(true);
    expect(verifyStandardWebhook(SPEC.secret, headers, `${SPEC.body} `, SPEC.timestamp)).toBe(false);
    expect(
      verifyStandardWebhook(SPEC.secret, { ...headers, id: 'msg_other' }, SPEC.body, SPEC.timestamp),
    ).toBe(false);
    expect(verifyStandardWebhook(SPEC.secret, headers, SPEC.body, SPEC.timestamp + 600)).toBe(false);
    expect(verifyStandardWebhook(newWebhookSecret(), headers, SPEC.body, SPEC.timestamp)).toBe(false);
  });

  it('makes secrets of 32 random bytes in the whsec_ form', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});
