import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhookSignature.ts';

const SECRET = 'a-shared-secret-of-24-chars!';
const BODY = '{"event":"consultation.case_note"}';
const NOW = 1_773_000_000;

describe('webhook signatures', () => {
  it('verify with the right secret, body and a fresh timestamp', () => {
    const signature = signWebhook(SECRET, NOW, BODY);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, { timestamp: String(NOW), signature }, BODY, NOW + 10)).toBe(true);
  });

  it.each([
    ['another secret', 'another-secret-of-24-chars!!', BODY, NOW, NOW],
    ['a changed body', SECRET, `${BODY} `, NOW, NOW],
    ['a replay ten minutes later', SECRET, BODY, NOW, NOW + 600],
  ])('fail with %s', (_name, secret, body, signedAt, now) => {
    const signature = signWebhook(SECRET, signedAt, BODY);
    expect(verifyWebhookSignature(secret, { timestamp: String(signedAt), signature }, body, now)).toBe(false);
  });

  it('fail without headers', () => {
    expect(verifyWebhookSignature(SECRET, { timestamp: undefined, signature: undefined }, BODY, NOW)).toBe(
      false,
    );
  });
});
