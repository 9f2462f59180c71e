import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

describe('sign-in', () => {
  it('signs in with the demo password and returns tokens and the session user', async () => {
    const res = await t.request('POST', '/api/auth/login', {
      body: { email: 'Staff@Parley.demo', password: 'parley-demo-2026' },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'staff@parley.demo', role: 'STAFF' });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(res.body.expiresIn).toBe(15 * 60);
    const me = await t.request('GET', '/api/auth/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.organizationName).toMatch(/Gulf South/);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await t.request('POST', '/api/auth/login', {
      body: { email: 'staff@parley.demo', password: 'nope' },
    });
    const unknown = await t.request('POST', '/api/auth/login', {
      body: { email: 'who@parley.demo', password: 'nope' },
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it.each([
    ['malformed JSON', { rawBody: '{"email": "staff@parley.demo",' }, 400, 'MALFORMED_JSON'],
    ['missing password', { body: { email: 'staff@parley.demo' } }, 400, 'VALIDATION_FAILED'],
    ['wrong type', { body: { email: 42, password: ['x'] } }, 400, 'VALIDATION_FAILED'],
    ['not an email', { body: { email: 'staff', password: 'x' } }, 400, 'VALIDATION_FAILED'],
    ['an array body', { body: [1, 2] }, 400, 'VALIDATION_FAILED'],
    [
      'an oversized body',
      { body: { email: 'a@b.co', password: 'x'.repeat(200_000) } },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('refuses %s with a stable code', async (_name, options, status, code) => {
    const res = await t.request('POST', '/api/auth/login', options);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
  });

  it('rate-limits repeated sign-in attempts', async () => {
    const limited = await startTestServer({ loginRateLimit: { windowMs: 60_000, max: 3 } });
    try {
      const attempt = () =>
        limited.request('POST', '/api/auth/login', {
          body: { email: 'staff@parley.demo', password: 'guess' },
        });
      for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
      const blocked = await attempt();
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('tokens', () => {
  async function signIn() {
    const res = await t.request('POST', '/api/auth/login', {
      body: { email: 'attorney@parley.demo', password: 'parley-demo-2026' },
    });
    return res.body as { accessToken: string; refreshToken: string };
  }

  it('rotates refresh tokens, and a reused one ends the whole sign-in', async () => {
    const first = await signIn();
    const second = await t.request('POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);

    const replay = await t.request('POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_INVALID');
    // The thief replayed; the legitimate holder's newer token is revoked too.
    const after = await t.request('POST', '/api/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(after.status).toBe(401);
  });

  it('sign-out revokes the refresh token', async () => {
    const session = await signIn();
    expect(
      (await t.request('POST', '/api/auth/logout', { body: { refreshToken: session.refreshToken } })).status,
    ).toBe(204);
    const res = await t.request('POST', '/api/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(res.status).toBe(401);
  });

  it('refuses missing, forged, expired and unsigned access tokens', async () => {
    const { accessToken } = await signIn();
    const claims = jwt.decode(accessToken) as Record<string, unknown>;
    const { exp: _exp, iat: _iat, ...rest } = claims;
    const expired = jwt.sign({ ...rest, exp: Math.floor(Date.now() / 1000) - 10 }, t.config.jwtSecret);
    const forged = jwt.sign(rest, 'another-secret-another-secret-another');
    const unsigned = jwt.sign(rest, '', { algorithm: 'none' });

    const none = await t.request('GET', '/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    const cases: [string, string][] = [
      [expired, 'TOKEN_EXPIRED'],
      [forged, 'TOKEN_INVALID'],
      [unsigned, 'TOKEN_INVALID'],
      ['garbage', 'TOKEN_INVALID'],
    ];
    for (const [token, code] of cases) {
      const res = await t.request('GET', '/api/auth/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(code);
    }
  });
});

describe('the HTTP edge', () => {
  it('sets security headers', async () => {
    const res = await t.request('GET', '/api/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers unknown API routes with ROUTE_NOT_FOUND', async () => {
    const res = await t.request('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });
});
