import { createHash } from 'node:crypto';
import sip from 'sip';
import { describe, expect, it } from 'vitest';
import { answerChallenge, DigestAuth, NONCE_TTL_MS, sameUri } from './digest.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const URI = 'sip:parley@127.0.0.1';

/** What a trunk answers to the challenge (RFC 2617, qop=auth), as the sip package parses it. */
function answer(challenge: string, password: string, uri = URI) {
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

const credentials = { user: 'trunk', password: 'secret', realm: 'parley' };

describe('SIP digest authentication', () => {
  const auth = new DigestAuth(credentials, 'cluster-secret');

  it('accepts the right password against a fresh challenge, for the request’s own URI', () => {
    expect(auth.verify('INVITE', URI, answer(auth.challenge(1000), 'secret'), 2000)).toBe('ok');
    // The same URI written with its default port is the same resource.
    expect(
      auth.verify('INVITE', 'sip:parley@127.0.0.1:5060', answer(auth.challenge(1000), 'secret'), 2000),
    ).toBe('ok');
  });

  it('verifies on any node that shares the secret: the nonce is signed, not remembered', () => {
    const otherNode = new DigestAuth(credentials, 'cluster-secret');
    expect(otherNode.verify('INVITE', URI, answer(auth.challenge(1000), 'secret'), 2000)).toBe('ok');
    const otherSecret = new DigestAuth(credentials, 'another-secret');
    expect(otherSecret.verify('INVITE', URI, answer(auth.challenge(1000), 'secret'), 2000)).toBe('invalid');
  });

  it('binds the nonce to the challenged Call-ID: an answer cannot start another call', () => {
    const challenge = auth.challenge(1000, false, 'call-1@trunk');
    expect(auth.verify('INVITE', URI, answer(challenge, 'secret'), 2000, 'call-1@trunk')).toBe('ok');
    expect(auth.verify('INVITE', URI, answer(challenge, 'secret'), 2000, 'call-2@trunk')).toBe('invalid');
  });

  it('refuses an answer made for another URI (a captured answer replayed at another request)', () => {
    const forOther = answer(auth.challenge(1000), 'secret', 'sip:someone-else@127.0.0.1');
    expect(auth.verify('INVITE', URI, forOther, 2000)).toBe('invalid');
    expect(
      auth.verify('INVITE', 'sip:parley@127.0.0.1:5070', answer(auth.challenge(1000), 'secret'), 2000),
    ).toBe('invalid');
  });

  it('says stale for the right password on an expired nonce, and challenges with stale=TRUE', () => {
    const old = answer(auth.challenge(1000), 'secret');
    expect(auth.verify('INVITE', URI, old, 1000 + NONCE_TTL_MS + 1)).toBe('stale');
    // A wrong password on an expired nonce is just wrong.
    expect(auth.verify('INVITE', URI, answer(auth.challenge(1000), 'guess'), 1000 + NONCE_TTL_MS + 1)).toBe(
      'invalid',
    );
    expect(auth.challenge(5000, true)).toMatch(/stale=TRUE$/);
    expect(auth.challenge(5000)).not.toMatch(/stale/);
  });

  it('refuses a wrong password, another user, a forged or tampered nonce, and no header', () => {
    expect(auth.verify('INVITE', URI, answer(auth.challenge(1000), 'guess'), 2000)).toBe('invalid');
    expect(
      auth.verify('INVITE', URI, { ...answer(auth.challenge(1000), 'secret'), username: '"other"' }, 2000),
    ).toBe('invalid');
    // A nonce whose time was moved forward no longer carries our signature.
    const nonce = /nonce="([^"]+)"/.exec(auth.challenge(1000))![1]!;
    const moved = nonce.replace(/^[0-9a-f]+/, (2000).toString(16));
    expect(auth.verify('INVITE', URI, answer(`nonce="${moved}"`, 'secret'), 2000)).toBe('invalid');
    expect(auth.verify('INVITE', URI, undefined, 2000)).toBe('invalid');
  });

  it('compares URIs by scheme, user, host and port', () => {
    expect(sameUri('sip:a@Example.org', 'sip:a@example.org:5060')).toBe(true);
    expect(sameUri('sip:a@example.org;transport=tcp', 'sip:a@example.org')).toBe(true);
    expect(sameUri('sip:a@example.org', 'sip:b@example.org')).toBe(false);
    expect(sameUri('sips:a@example.org', 'sip:a@example.org')).toBe(false);
  });
});

describe('answering the trunk’s challenge (dial-out)', () => {
  it('makes an Authorization that our own verifier accepts, as a trunk’s would', () => {
    const trunk = new DigestAuth(credentials, 'trunk-secret');
    const response = sip.parse(
      [
        'SIP/2.0 401 Unauthorized',
        'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx',
        `WWW-Authenticate: ${trunk.challenge(1000)}`,
        'From: <sip:parley@127.0.0.1>;tag=1',
        'To: <sip:+15551234@127.0.0.1>;tag=2',
        'Call-ID: c',
        'CSeq: 1 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    )!;
    const challenge = (response.headers['www-authenticate'] as Record<string, string>[])[0];
    const uri = 'sip:+15551234@127.0.0.1';
    const header = answerChallenge(challenge, credentials, 'INVITE', uri)!;
    const request = sip.parse(
      [
        `INVITE ${uri} SIP/2.0`,
        'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKy',
        `Authorization: ${header}`,
        'From: <sip:parley@127.0.0.1>;tag=1',
        `To: <${uri}>`,
        'Call-ID: c',
        'CSeq: 2 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    )!;
    expect(trunk.verify('INVITE', uri, request.headers.authorization![0], 2000)).toBe('ok');
    expect(answerChallenge({ scheme: 'Basic', realm: '"x"' }, credentials, 'INVITE', uri)).toBeNull();
  });
});
