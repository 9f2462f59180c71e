import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../db/demoData.ts';
import { createLogger } from '../logger.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { hashPassword } from './passwords.ts';
import { userSessionsFor, type UserSessions } from './UserSessions.ts';

/**
 * Revocation takes effect at once: deactivation, a password change and a replayed refresh token end
 * access tokens already issued (REST), call tickets already issued (join) and open call sockets.
 */

let t: TestServer;
let sessions: UserSessions;
let organizationId: string;

beforeAll(async () => {
  t = await startTestServer();
  // The server's own instance: one per database handle, as the admin routes use it.
  sessions = userSessionsFor({ db: t.database.prisma, logger: createLogger('silent') });
  organizationId = (
    await t.database.prisma.organization.findFirstOrThrow({ where: { slug: 'gulf-south-demo' } })
  ).id;
});
afterAll(async () => {
  await t?.close();
});

async function signIn(email: string, password = DEMO_PASSWORD) {
  const res = await t.request('POST', '/api/auth/login', { body: { email, password } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { accessToken: string; refreshToken: string; user: { id: string } };
}

async function newUser(role: 'STAFF' | 'ATTORNEY', email: string) {
  return t.database.prisma.user.create({
    data: {
      organizationId,
      email,
      name: `Test ${role.toLowerCase()}`,
      role,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      ...(role === 'ATTORNEY' ? { barNumber: 'LA-12345' } : {}),
    },
    select: { id: true },
  });
}

describe('deactivation', () => {
  it("refuses the deactivated user's next REST request with SESSION_REVOKED, and their sign-in", async () => {
    const user = await newUser('STAFF', 'leaving-staff@parley.demo');
    const { accessToken } = await signIn('leaving-staff@parley.demo');
    // Twice: the second answer comes from the cache the deactivation must invalidate.
    expect((await t.request('GET', '/api/auth/me', { token: accessToken })).status).toBe(200);
    expect((await t.request('GET', '/api/facilities', { token: accessToken })).status).toBe(200);

    expect(await sessions.deactivate(organizationId, user.id)).toBe(true);

    for (const path of ['/api/auth/me', '/api/facilities', '/api/consultations']) {
      const res = await t.request('GET', path, { token: accessToken });
      expect(res.status, path).toBe(401);
      expect(res.body.error.code, path).toBe('SESSION_REVOKED');
    }
    const again = await t.request('POST', '/api/auth/login', {
      body: { email: 'leaving-staff@parley.demo', password: DEMO_PASSWORD },
    });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('INVALID_CREDENTIALS');

    // Reactivated, they sign in afresh; the token from before stays dead.
    expect(await sessions.reactivate(organizationId, user.id)).toBe(true);
    const fresh = await signIn('leaving-staff@parley.demo');
    expect((await t.request('GET', '/api/auth/me', { token: fresh.accessToken })).status).toBe(200);
    expect((await t.request('GET', '/api/auth/me', { token: accessToken })).body.error.code).toBe(
      'SESSION_REVOKED',
    );
  });

  it('does not deactivate a user of another organisation', async () => {
    const other = await t.database.prisma.user.findUniqueOrThrow({ where: { email: 'staff@other.test' } });
    expect(await sessions.deactivate(organizationId, other.id)).toBe(false);
    const row = await t.database.prisma.user.findUniqueOrThrow({ where: { id: other.id } });
    expect(row.active).toBe(true);
    expect(row.sessionVersion).toBe(0);
  });
});

describe('a replayed refresh token', () => {
  it('ends the access tokens of the user too, the newest included', async () => {
    await newUser('STAFF', 'replayed-staff@parley.demo');
    const first = await signIn('replayed-staff@parley.demo');
    const rotated = await t.request('POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(rotated.status).toBe(200);
    expect((await t.request('GET', '/api/auth/me', { token: rotated.body.accessToken })).status).toBe(200);

    const replay = await t.request('POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_INVALID');

    for (const token of [first.accessToken, rotated.body.accessToken as string]) {
      const res = await t.request('GET', '/api/auth/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('SESSION_REVOKED');
    }
    const next = await t.request('POST', '/api/auth/refresh', {
      body: { refreshToken: rotated.body.refreshToken },
    });
    expect(next.body.error.code).toBe('REFRESH_TOKEN_INVALID');
  });
});

describe('a password change', () => {
  it('ends every session; the new password signs in', async () => {
    const user = await newUser('STAFF', 'new-password@parley.demo');
    const before = await signIn('new-password@parley.demo');
    expect(await sessions.changePassword(user.id, await hashPassword('a new long passphrase'))).toBe(true);
    expect((await t.request('GET', '/api/auth/me', { token: before.accessToken })).body.error.code).toBe(
      'SESSION_REVOKED',
    );
    const after = await signIn('new-password@parley.demo', 'a new long passphrase');
    expect((await t.request('GET', '/api/auth/me', { token: after.accessToken })).status).toBe(200);
  });
});

describe('calls', () => {
  let consultationId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    consultationId = await insertDemoConsultation(t.database.prisma, {
      startsInMinutes: -1,
      kioskPin: '739104',
    });
  });
  afterAll(() => {
    for (const socket of sockets) socket.disconnect();
  });

  async function ticket(accessToken: string): Promise<string> {
    const res = await t.request('POST', `/api/calls/${consultationId}/ticket`, { token: accessToken });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.token as string;
  }

  async function callSocket(): Promise<Socket> {
    const socket = io(`${t.url}/call`, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  function join(socket: Socket, token: string): Promise<{ ok: boolean; error?: { code: string } }> {
    return socket.timeout(10_000).emitWithAck('join', { token });
  }

  it("closes a deactivated user's open call socket at once", async () => {
    const user = await newUser('STAFF', 'call-staff@parley.demo');
    const { accessToken } = await signIn('call-staff@parley.demo');
    const socket = await callSocket();
    const joined = await join(socket, await ticket(accessToken));
    expect(joined.ok, JSON.stringify(joined)).toBe(true);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    await sessions.deactivate(organizationId, user.id);
    expect(await disconnected).toBe('io server disconnect');
  });

  it('refuses a call ticket issued before the session ended', async () => {
    const user = await newUser('STAFF', 'ticket-staff@parley.demo');
    const { accessToken } = await signIn('ticket-staff@parley.demo');
    const issued = await ticket(accessToken);
    await sessions.revoke(user.id, 'SIGNED_OUT_EVERYWHERE');

    const refused = await join(await callSocket(), issued);
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('SESSION_REVOKED');
  });
});
