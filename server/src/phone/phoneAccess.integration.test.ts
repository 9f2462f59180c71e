import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';

/**
 * With SIP off (no SIP_* settings) the call screen must show no phone panel: the phone route says
 * so, still checks who asks, and refuses dial-out with a code the screen can explain.
 */
describe('phone access with SIP off', () => {
  let t: TestServer;
  let id: string;

  beforeAll(async () => {
    t = await startTestServer({ sip: undefined });
    id = await insertDemoConsultation(t.database.prisma, { startsInMinutes: 0, kioskPin: '525252' });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('GET /api/calls/:id/phone: not enabled, no number, no PINs; strangers still refused', async () => {
    const attorney = await t.request('GET', `/api/calls/${id}/phone`, {
      token: await t.login('attorney@parley.demo'),
    });
    expect(attorney.status).toBe(200);
    expect(attorney.body).toEqual({ enabled: false, dialIn: null, pins: [] });
    const staff = await t.request('GET', `/api/calls/${id}/phone`, {
      token: await t.login('staff@parley.demo'),
    });
    expect(staff.body).toEqual({ enabled: false, dialIn: null, pins: [] });
    expect(
      (await t.request('GET', `/api/calls/${id}/phone`, { token: await t.login('probono@parley.demo') }))
        .status,
    ).toBe(403);
  });

  it('POST dial-out: CONFLICT (no SIP), after the number is checked', async () => {
    const token = await t.login('attorney@parley.demo');
    const bad = await t.request('POST', `/api/calls/${id}/phone/dial-out`, {
      token,
      body: { role: 'CLIENT', number: '504 555' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const noSip = await t.request('POST', `/api/calls/${id}/phone/dial-out`, {
      token,
      body: { role: 'CLIENT', number: '+1 504 555 0142' },
    });
    expect(noSip.status).toBe(409);
    expect(noSip.body.error.code).toBe('CONFLICT');
  });
});
