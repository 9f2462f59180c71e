import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  checkWebhookUrl,
  ipLiteralOf,
  refusedAddressReason,
  type WebhookUrlPolicy,
} from './webhookUrlPolicy.ts';

/** Resolves a host name the way a connection would (getaddrinfo: /etc/hosts, then DNS). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolveHost: ResolveHost = (hostname) => dnsLookup(hostname, { all: true });

export type PostResult =
  /** The receiver answered; its body was dropped unread. */
  | { kind: 'answered'; statusCode: number }
  /** Not sent, and never will be as things stand: the URL or what it resolves to is not allowed. */
  | { kind: 'refused'; error: string; addresses: string[] }
  /** Not delivered this time; worth retrying. */
  | { kind: 'failed'; error: 'TIMEOUT' | 'CONNECTION_FAILED' | 'DNS_LOOKUP_FAILED' };

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  policy: WebhookUrlPolicy;
  /** For the whole attempt: resolving, connecting, and waiting for the status line. */
  timeoutMs: number;
  resolveHost?: ResolveHost;
}

/**
 * A `lookup` for `http.request` that answers with exactly the addresses that were checked, so
 * the connection cannot go anywhere a second DNS answer points to (DNS rebinding). Honours
 * `all` (Node's happy-eyeballs connect asks for every address) and `family`.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable =
      family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : [...addresses];
    const first = usable[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error(`${hostname} has no vetted IPv${family} address`);
      err.code = 'ENOTFOUND';
      callback(err, '');
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/** `work`, or the signal's reason if it aborts first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * POSTs a webhook without letting it reach inside: the URL is checked, the host name resolved
 * once, every address it resolves to checked, and the connection made to those addresses only
 * (TLS SNI, certificate check and Host header still use the name). Redirects are not followed.
 */
export async function postWebhook(rawUrl: string, options: PostOptions): Promise<PostResult> {
  const verdict = checkWebhookUrl(rawUrl, options.policy);
  if (!verdict.ok) return { kind: 'refused', error: `URL_NOT_ALLOWED: ${verdict.reason}`, addresses: [] };
  const { url } = verdict;
  const signal = AbortSignal.timeout(options.timeoutMs);

  const literal = ipLiteralOf(url);
  let addresses: LookupAddress[];
  if (literal !== null) {
    addresses = [{ address: literal, family: isIP(literal) }];
  } else {
    try {
      addresses = await untilAborted((options.resolveHost ?? systemResolveHost)(url.hostname), signal);
    } catch {
      return { kind: 'failed', error: signal.aborted ? 'TIMEOUT' : 'DNS_LOOKUP_FAILED' };
    }
    const reason = refusedAddressReason(
      url.hostname,
      addresses.map((a) => a.address),
      options.policy,
    );
    if (reason !== null) {
      return {
        kind: 'refused',
        error: `ADDRESS_NOT_ALLOWED: ${reason}`,
        addresses: addresses.map((a) => a.address),
      };
    }
  }

  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: { ...options.headers, 'Content-Length': String(Buffer.byteLength(options.body)) },
    lookup: pinnedLookup(addresses),
    // A fresh connection each time: a pooled socket would skip the lookup above.
    agent: false,
    signal,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve) => {
    const req = send(url, requestOptions, (res) => {
      // The receiver's answer is not ours to keep, and may be any size: drop it unread.
      res.destroy();
      resolve({ kind: 'answered', statusCode: res.statusCode ?? 0 });
    });
    req.on('error', () =>
      resolve({ kind: 'failed', error: signal.aborted ? 'TIMEOUT' : 'CONNECTION_FAILED' }),
    );
    req.end(options.body);
  });
}
