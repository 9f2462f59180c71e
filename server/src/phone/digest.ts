import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SIP digest authentication (RFC 3261 §22.4, RFC 2617 MD5 with qop=auth) of the trunk's INVITEs.
 * Nonces are stateless: a timestamp and its HMAC, valid for five minutes.
 */
export class DigestAuth {
  private readonly key = randomBytes(32);

  constructor(private readonly credentials: { user: string; password: string; realm: string }) {}

  /** The WWW-Authenticate value of a 401. */
  challenge(now = Date.now()): string {
    return `Digest realm="${this.credentials.realm}", nonce="${this.nonce(now)}", algorithm=MD5, qop="auth"`;
  }

  /**
   * Whether the request's Authorization answers a fresh challenge of ours with the right password.
   * `authorization` is the header as the `sip` package parses it (unquoted parameters).
   */
  verify(method: string, authorization: Record<string, string> | undefined, now = Date.now()): boolean {
    if (!authorization) return false;
    const get = (name: string) => unquote(authorization[name]);
    const { user, password, realm } = this.credentials;
    if (get('username') !== user || get('realm') !== realm) return false;
    const nonce = get('nonce');
    const uri = get('uri');
    const response = get('response');
    if (!nonce || !uri || !response || !this.nonceIsFresh(nonce, now)) return false;
    const ha1 = md5(`${user}:${realm}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = get('qop');
    const expected =
      qop === 'auth'
        ? md5(`${ha1}:${nonce}:${get('nc') ?? ''}:${get('cnonce') ?? ''}:auth:${ha2}`)
        : md5(`${ha1}:${nonce}:${ha2}`);
    const a = Buffer.from(expected);
    const b = Buffer.from(response.toLowerCase());
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private nonce(now: number): string {
    const stamp = now.toString(16);
    return `${stamp}.${createHmac('sha256', this.key).update(stamp).digest('hex').slice(0, 32)}`;
  }

  private nonceIsFresh(nonce: string, now: number): boolean {
    const [stamp] = nonce.split('.');
    if (!stamp || !/^[0-9a-f]{1,13}$/.test(stamp)) return false;
    const issued = parseInt(stamp, 16);
    if (now - issued > 5 * 60_000 || issued > now + 1000) return false;
    const a = Buffer.from(this.nonce(issued));
    const b = Buffer.from(nonce);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
