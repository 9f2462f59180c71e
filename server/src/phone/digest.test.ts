import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestAuth } from './digest.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** What a trunk answers to the challenge (RFC 2617, qop=auth), as the sip package parses it. */
function answer(challenge: string, password: string, uri = 'sip:parley@127.0.0.1') {
  const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
  const ha1 = md5(`trunk:parley:${password}`);
  const ha2 = md5(`INVITE:${uri}`);
  const response = md5(`${ha1}:${nonce}:00000001:abc:auth:${ha2}`);
  return {
    scheme: 'Digest',
    username: '"trunk"',
    realm: '"parley"',
    nonce: `"${nonce}"`,
    uri: `"${uri}"`,
    qop: 'auth',
    nc: '00000001',
    cnonce: '"abc"',
    response: `"${response}"`,
  };
}

describe('SIP digest authentication', () => {
  const auth = new DigestAuth({ user: 'trunk', password: 'secret', realm: 'parley' });

  it('accepts the right password against a fresh challenge', () => {
    expect(auth.verify('INVITE', answer(auth.challenge(1000), 'secret'), 2000)).toBe(true);
  });

  it('refuses a wrong password, another user, a stale or forged nonce, and no header', () => {
    expect(auth.verify('INVITE', answer(auth.challenge(1000), 'guess'), 2000)).toBe(false);
    expect(
      auth.verify('INVITE', { ...answer(auth.challenge(1000), 'secret'), username: '"other"' }, 2000),
    ).toBe(false);
    expect(auth.verify('INVITE', answer(auth.challenge(1000), 'secret'), 1000 + 6 * 60_000)).toBe(false);
    const forged = new DigestAuth({ user: 'trunk', password: 'secret', realm: 'parley' }).challenge(1000);
    expect(auth.verify('INVITE', answer(forged, 'secret'), 2000)).toBe(false);
    expect(auth.verify('INVITE', undefined, 2000)).toBe(false);
  });
});
