import { isIP } from 'node:net';
import { ADDRESS_CLASS_LABEL, classifyAddress, isAllowedAddress } from './addressClassification.ts';

/** Where webhooks may go: `Config.webhooks`. */
export interface WebhookUrlPolicy {
  /** Plain http (case notes are personal data): by default only outside production. */
  allowHttp: boolean;
  /** Loopback, RFC 1918, CGNAT and unique-local addresses: for tests and local receivers only. */
  allowPrivateNetworks: boolean;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** The host of a URL as an IP address (WHATWG URL keeps IPv6 in brackets), or null for a name. */
export function ipLiteralOf(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}

/**
 * What can be decided from the URL alone, when it is saved and again before every delivery:
 * the scheme, no credentials, and a host that is not an internal IP literal (WHATWG URL has
 * already turned `2130706433`, `0x7f.1` and `127.1` into `127.0.0.1`). Host names are checked
 * at delivery, against what they resolve to then.
 */
export function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'the URL is not valid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      ok: false,
      reason: policy.allowHttp ? 'the URL must use http or https' : 'the URL must use https',
    };
  }
  if (url.protocol === 'http:' && !policy.allowHttp) {
    return { ok: false, reason: 'the URL must use https' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'the URL must not contain a user name or password' };
  }
  const ip = ipLiteralOf(url);
  if (ip !== null) {
    const cls = classifyAddress(ip);
    if (!isAllowedAddress(cls, policy.allowPrivateNetworks)) {
      return { ok: false, reason: `${url.hostname} is ${ADDRESS_CLASS_LABEL[cls]}` };
    }
  }
  return { ok: true, url };
}

/**
 * The addresses a host name resolved to, checked: refused if any one of them is not allowed (a
 * name that also points inside is not a public receiver). Returns the reason, or null when the
 * connection may use these addresses.
 */
export function refusedAddressReason(
  hostname: string,
  addresses: readonly string[],
  policy: WebhookUrlPolicy,
): string | null {
  if (addresses.length === 0) return `${hostname} resolves to no address`;
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (!isAllowedAddress(cls, policy.allowPrivateNetworks)) {
      return `${hostname} resolves to ${ADDRESS_CLASS_LABEL[cls]}`;
    }
  }
  return null;
}
