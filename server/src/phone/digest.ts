import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import sip from 'sip';

export interface DigestCredentials {
  user: string;
  password: string;
  realm: string;
}

/** What `verify` found: the right answer, the right answer to an expired challenge, or neither. */
export type DigestVerdict = 'ok' | 'stale' | 'invalid';

/** How long a nonce answers for: then the trunk is challenged again with stale=TRUE. */
export const NONCE_TTL_MS = 5 * 60_000;

/**
 * SIP digest authentication (RFC 3261 §22.4, RFC 2617 MD5 with qop=auth) of the trunk's INVITEs.
 * Nonces are stateless and signed with a secret every node shares (SIP_DIGEST_NONCE_SECRET, else
 * JWT_SECRET): the time they were made, some randomness and an HMAC of both, the realm and the
 * challenged request's Call-ID, so any node verifies a challenge another node gave (a trunk's
 * retry may reach another node behind a load balancer) and nothing is remembered. The answer must
 * name the request's own URI and come in the same Call-ID (RFC 3261 retries keep it): a captured
 * answer cannot start another call, only repeat the one it was made for, for five minutes.
 */
export class DigestAuth {
  private readonly key: Buffer;

  constructor(
    private readonly credentials: DigestCredentials,
    secret: string,
    private readonly ttlMs = NONCE_TTL_MS,
  ) {
    this.key = createHmac('sha256', secret).update('parley sip digest nonce').digest();
  }

  /** The WWW-Authenticate value of a 401; `stale` says the password was right but the nonce old. */
  challenge(now = Date.now(), stale = false, callId = ''): string {
    return `Digest realm="${this.credentials.realm}", nonce="${this.nonce(now, callId)}", algorithm=MD5, qop="auth"${stale ? ', stale=TRUE' : ''}`;
  }

  /**
   * Whether the request's Authorization answers a challenge of ours, for this request's URI, with
   * the right password. `authorization` is the header as the `sip` package parses it (quoted
   * parameters keep their quotes).
   */
  verify(
    method: string,
    requestUri: string,
    authorization: Record<string, string> | undefined,
    now = Date.now(),
    callId = '',
  ): DigestVerdict {
    if (!authorization) return 'invalid';
    const get = (name: string) => unquote(authorization[name]);
    const { user, password, realm } = this.credentials;
    if (get('username') !== user || get('realm') !== realm) return 'invalid';
    const algorithm = get('algorithm');
    if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') return 'invalid';
    const nonce = get('nonce');
    const uri = get('uri');
    const response = get('response');
    if (!nonce || !uri || !response) return 'invalid';
    // RFC 2617 §3.2.2.5: the digest-uri must be the request's own; an answer for another does not do.
    if (!sameUri(uri, requestUri)) return 'invalid';
    const issued = this.issuedAt(nonce, callId);
    if (issued === null) return 'invalid';
    const ha1 = md5(`${user}:${realm}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = get('qop');
    if (qop !== undefined && qop !== 'auth') return 'invalid';
    const expected =
      qop === 'auth'
        ? md5(`${ha1}:${nonce}:${get('nc') ?? ''}:${get('cnonce') ?? ''}:auth:${ha2}`)
        : md5(`${ha1}:${nonce}:${ha2}`);
    const a = Buffer.from(expected);
    const b = Buffer.from(response.toLowerCase());
    if (a.length !== b.length || !timingSafeEqual(a, b)) return 'invalid';
    // The right password for one of our nonces, but an old one: challenge again, stale=TRUE.
    if (now - issued > this.ttlMs || issued > now + 5_000) return 'stale';
    return 'ok';
  }

  private nonce(now: number, callId: string): string {
    const body = `${now.toString(16)}.${randomBytes(8).toString('hex')}`;
    return `${body}.${this.sign(body, callId)}`;
  }

  private sign(body: string, callId: string): string {
    return createHmac('sha256', this.key)
      .update(`${this.credentials.realm}\n${callId}\n${body}`)
      .digest('hex')
      .slice(0, 32);
  }

  /** When a nonce of ours was made for `callId`, or null for one we did not sign (for it). */
  private issuedAt(nonce: string, callId: string): number | null {
    const match = /^([0-9a-f]{1,13})\.([0-9a-f]{16})\.([0-9a-f]{32})$/.exec(nonce);
    if (!match) return null;
    const a = Buffer.from(this.sign(`${match[1]}.${match[2]}`, callId));
    const b = Buffer.from(match[3]!);
    return timingSafeEqual(a, b) ? parseInt(match[1]!, 16) : null;
  }
}

/**
 * Whether two SIP URIs name the same resource for digest purposes: equal as written, or the same
 * scheme, user, host and port (5060 when left out), the comparison RFC 3261 §19.1.4 makes of those parts.
 */
export function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  const x = sip.parseUri(a);
  const y = sip.parseUri(b);
  if (!x || !y) return false;
  return (
    (x.schema ?? '').toLowerCase() === (y.schema ?? '').toLowerCase() &&
    (x.user ?? '') === (y.user ?? '') &&
    x.host.toLowerCase() === y.host.toLowerCase() &&
    portOf(x) === portOf(y)
  );
}

function portOf(uri: { schema?: string; port?: number }): number {
  // The parser gives NaN for a port left out.
  return Number.isFinite(uri.port) ? uri.port! : uri.schema?.toLowerCase() === 'sips' ? 5061 : 5060;
}

/**
 * The Authorization value that answers a challenge of the trunk's (RFC 2617; qop=auth when offered),
 * for Parley's dial-out. `challenge` is the WWW-/Proxy-Authenticate header as the `sip` package parses
 * it (quoted values keep their quotes); null when it is not an MD5 digest challenge.
 */
export function answerChallenge(
  challenge: Record<string, string> | undefined,
  credentials: { user: string; password: string },
  method: string,
  uri: string,
  cnonce = randomBytes(8).toString('hex'),
): string | null {
  if (!challenge || (challenge.scheme ?? '').toLowerCase() !== 'digest') return null;
  const get = (name: string) => unquote(challenge[name]);
  const realm = get('realm');
  const nonce = get('nonce');
  const algorithm = get('algorithm');
  if (realm === undefined || !nonce) return null;
  if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') return null;
  const ha1 = md5(`${credentials.user}:${realm}:${credentials.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const useQop = (get('qop') ?? '')
    .split(',')
    .map((q) => q.trim())
    .includes('auth');
  const nc = '00000001';
  const response = useQop
    ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)
    : md5(`${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username="${credentials.user}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
    'algorithm=MD5',
  ];
  const opaque = get('opaque');
  if (opaque !== undefined) parts.push(`opaque="${opaque}"`);
  if (useQop) parts.push('qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(', ')}`;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
