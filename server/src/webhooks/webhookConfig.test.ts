import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(32),
  // Production refuses to start without the key that signs call attestations.
  ATTESTATION_PRIVATE_KEY: generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString(),
};

describe('webhook configuration from the environment', () => {
  it('in production: https only and no private networks, unless explicitly asked', () => {
    expect(loadConfig(PRODUCTION).webhooks).toEqual({ allowHttp: false, allowPrivateNetworks: false });
    expect(
      loadConfig({ ...PRODUCTION, WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })
        .webhooks,
    ).toEqual({ allowHttp: true, allowPrivateNetworks: true });
  });

  it('elsewhere: http is allowed, private networks still are not', () => {
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      expect(loadConfig({ NODE_ENV }).webhooks).toEqual({ allowHttp: true, allowPrivateNetworks: false });
    }
    expect(loadConfig({ WEBHOOK_ALLOW_HTTP: 'false' }).webhooks.allowHttp).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '' }).webhooks.allowPrivateNetworks).toBe(false);
  });

  it.each(['1', 'yes', 'TRUE', ' true'])(
    'refuses WEBHOOK_ALLOW_PRIVATE_NETWORKS=%j rather than guess',
    (value) => {
      expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: value })).toThrow(
        'WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false',
      );
    },
  );
});
