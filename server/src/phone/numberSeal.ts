import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A phone number at rest, sealed with AES-256-GCM under a key derived (HKDF-SHA256) from a server
 * secret: a scheduled dial-out must keep the number it will ring, and Parley never stores a number
 * in clear. Format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. The consultation and seat are
 * bound in as associated data, so a sealed number copied onto another row does not open.
 */
export class NumberSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    // The secret is SIP_PIN_SECRET (default JWT_SECRET), checked where the configuration is read.
    if (secret.length === 0) throw new Error('The phone number seal needs a secret');
    this.key = Buffer.from(
      hkdfSync('sha256', secret, 'parley', 'phone number at rest (scheduled dial-out)', 32),
    );
  }

  seal(number: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(number, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The number, or null when the seal is not ours, was altered or belongs to another row. */
  open(sealed: string, boundTo: string): string | null {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') return null;
    const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    if (iv!.length !== 12 || tag!.length !== 16) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv!);
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
