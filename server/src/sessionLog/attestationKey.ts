import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import type { AttestationJwks } from '@parley/shared';

/** Parley's call-attestation signing key (Ed25519) and how it is published. */
export interface AttestationKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** RFC 7638 thumbprint of the public JWK: names the key in every attestation. */
  keyId: string;
  jwks: AttestationJwks;
}

/**
 * Reads ATTESTATION_PRIVATE_KEY: a PKCS#8 PEM, or base64 of that PEM or of its DER bytes. Throws,
 * naming the variable, when it is not an Ed25519 private key.
 */
export function parseAttestationKey(value: string): AttestationKey {
  const text = value.trim();
  let privateKey: KeyObject;
  try {
    if (text.includes('-----BEGIN')) privateKey = createPrivateKey(text);
    else {
      const bytes = Buffer.from(text, 'base64');
      const pem = bytes.toString('utf8');
      privateKey = pem.includes('-----BEGIN')
        ? createPrivateKey(pem)
        : createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
    }
  } catch {
    throw new Error('ATTESTATION_PRIVATE_KEY is not a private key (PKCS#8 PEM, or base64 of PEM or DER)');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`ATTESTATION_PRIVATE_KEY must be an Ed25519 key, not ${privateKey.asymmetricKeyType}`);
  }
  return fromPrivateKey(privateKey);
}

/** A new key as PKCS#8 PEM (embedded and demo mode keep it beside the data folder). */
export function generateAttestationKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function fromPrivateKey(privateKey: KeyObject): AttestationKey {
  const publicKey = createPublicKey(privateKey);
  const { x } = publicKey.export({ format: 'jwk' }) as { x: string };
  // RFC 7638: SHA-256 of the required members in lexicographic order, without whitespace.
  const keyId = createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
    .digest('base64url');
  return {
    privateKey,
    publicKey,
    keyId,
    jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x, kid: keyId, alg: 'EdDSA', use: 'sig' }] },
  };
}

/** The public keys of a JWKS document, by key id. */
export function publicKeysOf(jwks: AttestationJwks): Map<string, KeyObject> {
  return new Map(
    jwks.keys.map((jwk) => [
      jwk.kid,
      createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' }),
    ]),
  );
}

const generated = new WeakMap<object, AttestationKey>();

/**
 * The key of a configuration: ATTESTATION_PRIVATE_KEY when set; otherwise (never in production,
 * where loadConfig requires it) one generated for this process and kept for its lifetime.
 */
export function attestationKeyOf(config: { attestationPrivateKey?: string | undefined }): AttestationKey {
  let key = generated.get(config);
  if (!key) {
    key = config.attestationPrivateKey
      ? parseAttestationKey(config.attestationPrivateKey)
      : parseAttestationKey(generateAttestationKeyPem());
    generated.set(config, key);
  }
  return key;
}
