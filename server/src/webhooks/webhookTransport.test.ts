import type { LookupAddress } from 'node:dns';
import { describe, expect, it, vi } from 'vitest';
import { pinnedLookup, postWebhook, type PostOptions } from './webhookTransport.ts';

type LookupResult = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function callLookup(addresses: LookupAddress[], options: Parameters<ReturnType<typeof pinnedLookup>>[1]) {
  let result: LookupResult | undefined;
  pinnedLookup(addresses)('cms.example.org', options, (err, address, family) => {
    result = { err, address, family };
  });
  return result;
}

const BOTH: LookupAddress[] = [
  { address: '2606:2800:21f:cb07::1', family: 6 },
  { address: '93.184.215.14', family: 4 },
];

describe('pinnedLookup', () => {
  it('answers with every vetted address when asked for all (happy eyeballs)', () => {
    expect(callLookup(BOTH, { all: true })).toEqual({ err: null, address: BOTH, family: undefined });
  });

  it('answers with the first vetted address otherwise', () => {
    expect(callLookup(BOTH, {})).toEqual({ err: null, address: '2606:2800:21f:cb07::1', family: 6 });
  });

  it('keeps to the family asked for, in either spelling', () => {
    expect(callLookup(BOTH, { family: 4 })).toEqual({ err: null, address: '93.184.215.14', family: 4 });
    expect(callLookup(BOTH, { family: 'IPv4', all: true })?.address).toEqual([BOTH[1]]);
  });

  it('fails with ENOTFOUND rather than look anything up itself', () => {
    const result = callLookup([{ address: '93.184.215.14', family: 4 }], { family: 6 });
    expect(result?.err?.code).toBe('ENOTFOUND');
  });
});

const options = (overrides: Partial<PostOptions> = {}): PostOptions => ({
  headers: { 'Content-Type': 'application/json' },
  body: '{}',
  policy: { allowHttp: true, allowPrivateNetworks: false },
  timeoutMs: 1_000,
  ...overrides,
});

describe('postWebhook refuses before connecting', () => {
  it('a URL the policy does not allow, without resolving it', async () => {
    const resolveHost = vi.fn();
    const result = await postWebhook(
      'http://cms.example.org/notes',
      options({ policy: { allowHttp: false, allowPrivateNetworks: false }, resolveHost }),
    );
    expect(result).toEqual({
      kind: 'refused',
      error: 'URL_NOT_ALLOWED: the URL must use https',
      addresses: [],
    });
    expect(resolveHost).not.toHaveBeenCalled();
  });

  it('an internal IP literal, without resolving it', async () => {
    const resolveHost = vi.fn();
    const result = await postWebhook('http://0x7f.1:5432/', options({ resolveHost }));
    expect(result).toMatchObject({
      kind: 'refused',
      error: 'URL_NOT_ALLOWED: 127.0.0.1 is a loopback address',
    });
    expect(resolveHost).not.toHaveBeenCalled();
  });

  it('a name that now resolves inside (DNS rebinding), however public it looked when saved', async () => {
    const result = await postWebhook(
      'https://cms.example.org/notes',
      options({
        resolveHost: () =>
          Promise.resolve([
            { address: '93.184.215.14', family: 4 },
            { address: '169.254.169.254', family: 4 },
          ]),
      }),
    );
    expect(result).toEqual({
      kind: 'refused',
      error: 'ADDRESS_NOT_ALLOWED: cms.example.org resolves to a link-local address',
      addresses: ['93.184.215.14', '169.254.169.254'],
    });
  });
});

describe('postWebhook reports a lookup that fails as worth retrying', () => {
  it('when the name does not resolve', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    const result = await postWebhook(
      'https://cms.example.org/notes',
      options({ resolveHost: () => Promise.reject(notFound) }),
    );
    expect(result).toEqual({ kind: 'failed', error: 'DNS_LOOKUP_FAILED' });
  });

  it('when the lookup outlasts the attempt’s timeout', async () => {
    const result = await postWebhook(
      'https://cms.example.org/notes',
      options({ timeoutMs: 20, resolveHost: () => new Promise(() => undefined) }),
    );
    expect(result).toEqual({ kind: 'failed', error: 'TIMEOUT' });
  });
});
