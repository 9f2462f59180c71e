import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKioskCredential } from '../db/demoData.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { verifyCallToken } from './callTokens.ts';

let t: TestServer;
let soonId: string;
let tomorrowId: string;
let tokens: Record<'attorney' | 'probono' | 'interpreter' | 'kreyol' | 'staff' | 'otherStaff', string>;

function insertConsultation(startsInMinutes: number, pin: string): Promise<string> {
  return insertDemoConsultation(t.database.prisma, { startsInMinutes, kioskPin: pin });
}

beforeAll(async () => {
  t = await startTestServer();
  soonId = await insertConsultation(5, '246810');
  tomorrowId = await insertConsultation(24 * 60, '135791');
  const [attorney, probono, interpreter, kreyol, staff, otherStaff] = await Promise.all([
    t.login('attorney@parley.demo'),
    t.login('probono@parley.demo'),
    t.login('interpreter@parley.demo'),
    t.login('kreyol@parley.demo'),
    t.login('staff@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  tokens = { attorney, probono, interpreter, kreyol, staff, otherStaff };
});
afterAll(async () => {
  await t?.close();
});

describe('call tickets', () => {
  it('gives the consultation’s attorney and interpreter a consultation-scoped token', async () => {
    for (const [who, role] of [
      ['attorney', 'ATTORNEY'],
      ['interpreter', 'INTERPRETER'],
      ['staff', 'STAFF'],
    ] as const) {
      const res = await t.request('POST', `/api/calls/${soonId}/ticket`, { token: tokens[who] });
      expect(res.status).toBe(200);
      expect(res.body.participant.role).toBe(role);
      const claims = verifyCallToken(res.body.token, t.config.jwtSecret);
      expect(claims).toMatchObject({ consultationId: soonId, role });
      expect(res.body.consultation.facilityTimeZone).toBe('America/Chicago');
    }
  });

  it('refuses people outside the consultation, other organisations and bad ids', async () => {
    const probono = await t.request('POST', `/api/calls/${soonId}/ticket`, { token: tokens.probono });
    expect(probono.status).toBe(403);
    expect(probono.body.error.code).toBe('NOT_IN_CONSULTATION');
    const kreyol = await t.request('POST', `/api/calls/${soonId}/ticket`, { token: tokens.kreyol });
    expect(kreyol.body.error.code).toBe('NOT_IN_CONSULTATION');
    const other = await t.request('POST', `/api/calls/${soonId}/ticket`, { token: tokens.otherStaff });
    expect(other.status).toBe(404);
    expect((await t.request('POST', '/api/calls/nope/ticket', { token: tokens.attorney })).status).toBe(400);
    expect((await t.request('POST', `/api/calls/${soonId}/ticket`)).status).toBe(401);
  });

  it('does not open a call long before its start', async () => {
    const res = await t.request('POST', `/api/calls/${tomorrowId}/ticket`, { token: tokens.attorney });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CALL_NOT_OPEN');
  });
});

describe('kiosk', () => {
  async function kioskSession(code = 'ADAMS'): Promise<string> {
    const res = await t.request('POST', '/api/kiosk/session', {
      body: { credential: demoKioskCredential(code) },
    });
    expect(res.status).toBe(200);
    return res.body.token as string;
  }

  it('signs a device in with its credential and refuses a wrong one', async () => {
    const wrong = await t.request('POST', '/api/kiosk/session', {
      body: { credential: 'kiosk-demo-nowhere' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const malformed = await t.request('POST', '/api/kiosk/session', { body: { credential: 7 } });
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    const ok = await t.request('POST', '/api/kiosk/session', {
      body: { credential: demoKioskCredential('ADAMS') },
    });
    expect(ok.body.facility.name).toBe('Adams County Correctional Center');
  });

  it('lists today’s calls by time only (initials are an organisation setting: kiosk.integration.test.ts)', async () => {
    const token = await kioskSession();
    const res = await t.request('GET', '/api/kiosk/consultations', { token });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toEqual({
      id: soonId,
      clientInitials: null,
      language: null,
      startsAt: expect.any(String),
      endsAt: expect.any(String),
      status: 'SCHEDULED',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/Hern|María|208114572/);
  });

  it('joins as the client by PIN or by tapping the call with the A-Number digits, only at its own facility', async () => {
    const adams = await kioskSession('ADAMS');
    const byPin = await t.request('POST', '/api/kiosk/join', { token: adams, body: { pin: '246810' } });
    expect(byPin.status).toBe(200);
    expect(byPin.body.participant).toEqual({
      participantId: `client:${soonId}`,
      role: 'CLIENT',
      displayName: 'María José Hernández López',
    });
    const wrongPin = await t.request('POST', '/api/kiosk/join', { token: adams, body: { pin: '000000' } });
    expect(wrongPin.status).toBe(404);
    const badPin = await t.request('POST', '/api/kiosk/join', { token: adams, body: { pin: '12ab56' } });
    expect(badPin.body.error.code).toBe('VALIDATION_FAILED');
    const both = await t.request('POST', '/api/kiosk/join', {
      token: adams,
      body: { pin: '246810', consultationId: soonId },
    });
    expect(both.body.error.code).toBe('VALIDATION_FAILED');

    const lasalle = await kioskSession('LASALLE');
    const elsewhere = await t.request('POST', '/api/kiosk/join', {
      token: lasalle,
      body: { consultationId: soonId, aNumberDigits: '572' },
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('NOT_IN_CONSULTATION');
    const elsewherePin = await t.request('POST', '/api/kiosk/join', {
      token: lasalle,
      body: { pin: '246810' },
    });
    expect(elsewherePin.status).toBe(404);
  });

  it('stops a removed device at once, and refuses user tokens as device tokens', async () => {
    const token = await kioskSession('RIVER');
    await t.database.prisma.kioskDevice.updateMany({
      where: { facility: { code: 'RIVER' } },
      data: { revokedAt: new Date() },
    });
    const res = await t.request('GET', '/api/kiosk/consultations', { token });
    expect(res.status).toBe(401);
    const asUser = await t.request('GET', '/api/kiosk/consultations', { token: tokens.staff });
    expect(asUser.body.error.code).toBe('TOKEN_INVALID');
  });
});
