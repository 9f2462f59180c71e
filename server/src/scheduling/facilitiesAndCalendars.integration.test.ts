import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';

let t: TestServer;
let admin: string;
let staff: string;
let attorney: string;
let interpreter: string;
let otherAdmin: string;
let adamsId: string;

beforeAll(async () => {
  t = await startTestServer();
  [admin, staff, attorney, interpreter] = await Promise.all([
    t.login('admin@parley.demo'),
    t.login('staff@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login('interpreter@parley.demo'),
  ]);
  const other = await t.database.prisma.user.findUniqueOrThrow({ where: { email: OTHER_ORG_USERS.staff } });
  await t.database.prisma.user.update({ where: { id: other.id }, data: { role: 'ADMIN' } });
  otherAdmin = await t.login(OTHER_ORG_USERS.staff);
  adamsId = (await t.database.prisma.facility.findFirstOrThrow({ where: { code: 'ADAMS' } })).id;
});
afterAll(async () => {
  await t?.close();
});

const newFacility = {
  name: 'Eloy Detention Center',
  code: 'eloy',
  address: '1705 E Hanna Rd, Eloy, AZ',
  timeZone: 'America/Phoenix',
  booths: 2,
  minLeadTimeMinutes: 1440,
  maxCallMinutes: 60,
  dailyLimitPerAttorneyClient: 1,
  windows: [{ weekday: 1, startMinute: 480, endMinute: 690 }],
};
const facilityCount = () => t.database.prisma.facility.count();

describe('facility administration', () => {
  it('creates a facility with its windows, then edits its rules', async () => {
    const created = await t.request('POST', '/api/facilities', { token: admin, body: newFacility });
    expect(created.status).toBe(201);
    expect(created.body.facility).toMatchObject({ code: 'ELOY', timeZone: 'America/Phoenix', booths: 2 });
    expect(created.body.facility.windows).toEqual([{ weekday: 1, startMinute: 480, endMinute: 690 }]);
    const id = created.body.facility.id;
    const edited = await t.request('PATCH', `/api/facilities/${id}`, {
      token: admin,
      body: { booths: 4, windows: [{ weekday: 2, startMinute: 540, endMinute: 600 }] },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.facility.booths).toBe(4);
    expect(edited.body.facility.windows).toEqual([{ weekday: 2, startMinute: 540, endMinute: 600 }]);
    const duplicate = await t.request('POST', '/api/facilities', { token: admin, body: newFacility });
    expect(duplicate.status).toBe(409);
  });

  it.each([
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['no booths', { booths: 0 }, 'booths'],
    ['a 3-minute call limit', { maxCallMinutes: 3 }, 'maxCallMinutes'],
    [
      'a window ending before it starts',
      { windows: [{ weekday: 1, startMinute: 600, endMinute: 500 }] },
      'windows.0.endMinute',
    ],
    ['weekday 7', { windows: [{ weekday: 7, startMinute: 0, endMinute: 60 }] }, 'windows.0.weekday'],
    ['a code with spaces', { code: 'A B' }, 'code'],
  ])('refuses %s and changes nothing', async (_name, patch, field) => {
    const before = await facilityCount();
    const res = await t.request('POST', '/api/facilities', {
      token: admin,
      body: { ...newFacility, code: 'NEW1', ...patch },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await facilityCount()).toBe(before);
  });

  it('refuses an empty or invalid patch', async () => {
    expect((await t.request('PATCH', `/api/facilities/${adamsId}`, { token: admin, body: {} })).status).toBe(
      400,
    );
    expect(
      (await t.request('PATCH', `/api/facilities/${adamsId}`, { token: admin, body: { booths: -1 } })).status,
    ).toBe(400);
    const facility = await t.database.prisma.facility.findUniqueOrThrow({ where: { id: adamsId } });
    expect(facility.booths).toBe(2);
  });

  it('adds and removes blackouts; refuses impossible dates and duplicates', async () => {
    const added = await t.request('POST', `/api/facilities/${adamsId}/blackouts`, {
      token: admin,
      body: { date: '2026-12-25', reason: 'Christmas' },
    });
    expect(added.status).toBe(201);
    const blackout = added.body.facility.blackouts.find((b: { date: string }) => b.date === '2026-12-25');
    expect(blackout.reason).toBe('Christmas');
    expect(
      (
        await t.request('POST', `/api/facilities/${adamsId}/blackouts`, {
          token: admin,
          body: { date: '2026-12-25', reason: 'again' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await t.request('POST', `/api/facilities/${adamsId}/blackouts`, {
          token: admin,
          body: { date: '2026-02-30', reason: 'x' },
        })
      ).status,
    ).toBe(400);
    const removed = await t.request('DELETE', `/api/facilities/${adamsId}/blackouts/${blackout.id}`, {
      token: admin,
    });
    expect(removed.status).toBe(200);
    expect(removed.body.facility.blackouts).toEqual([]);
  });

  it('registers a kiosk device with a one-time credential, stored only as SHA-256, and revokes it', async () => {
    const res = await t.request('POST', `/api/facilities/${adamsId}/kiosk-devices`, {
      token: admin,
      body: { label: 'Booth 2 tablet' },
    });
    expect(res.status).toBe(201);
    const { credential, device } = res.body;
    expect(credential.length).toBeGreaterThan(30);
    const stored = await t.database.prisma.kioskDevice.findUniqueOrThrow({ where: { id: device.id } });
    expect(stored.credentialHash).toBe(createHash('sha256').update(credential).digest('hex'));
    expect(
      JSON.stringify(await t.request('GET', `/api/facilities/${adamsId}/rules`, { token: staff })),
    ).not.toContain(credential);
    const revoked = await t.request('DELETE', `/api/facilities/${adamsId}/kiosk-devices/${device.id}`, {
      token: admin,
    });
    expect(revoked.status).toBe(200);
    expect(
      revoked.body.facility.kioskDevices.find((d: { id: string }) => d.id === device.id).revokedAt,
    ).not.toBeNull();
    expect(
      (await t.request('DELETE', `/api/facilities/${adamsId}/kiosk-devices/${device.id}`, { token: admin }))
        .status,
    ).toBe(404);
  });

  it('keeps another organisation’s admin out of our facilities', async () => {
    const before = await t.database.prisma.facilityBlackout.count();
    for (const [method, path, body] of [
      ['PATCH', `/api/facilities/${adamsId}`, { booths: 9 }],
      ['POST', `/api/facilities/${adamsId}/blackouts`, { date: '2026-12-31', reason: 'x' }],
      ['POST', `/api/facilities/${adamsId}/kiosk-devices`, { label: 'rogue' }],
      ['GET', `/api/facilities/${adamsId}/rules`, undefined],
    ] as const) {
      const res = await t.request(method, path, { token: otherAdmin, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(await t.database.prisma.facilityBlackout.count()).toBe(before);
    expect((await t.database.prisma.facility.findUniqueOrThrow({ where: { id: adamsId } })).booths).toBe(2);
  });

  it('lets staff read rules but not change them; attorneys neither', async () => {
    expect((await t.request('GET', `/api/facilities/${adamsId}/rules`, { token: staff })).status).toBe(200);
    expect(
      (await t.request('PATCH', `/api/facilities/${adamsId}`, { token: staff, body: { booths: 3 } })).status,
    ).toBe(403);
    expect((await t.request('GET', `/api/facilities/${adamsId}/rules`, { token: attorney })).status).toBe(
      403,
    );
  });
});

describe('interpreter availability', () => {
  it('replaces the weekly pattern in the interpreter’s zone and stores exceptions in UTC', async () => {
    const weekly = await t.request('PUT', '/api/interpreters/me/availability', {
      token: interpreter,
      body: { timeZone: 'America/New_York', weekly: [{ weekday: 1, startMinute: 540, endMinute: 1020 }] },
    });
    expect(weekly.status).toBe(200);
    expect(weekly.body).toMatchObject({
      timeZone: 'America/New_York',
      weekly: [{ weekday: 1, startMinute: 540, endMinute: 1020 }],
    });
    const year = DateTime.now().year + 1;
    const exception = await t.request('POST', '/api/interpreters/me/availability/exceptions', {
      token: interpreter,
      body: {
        startsAtLocal: `${year}-07-06T09:00`,
        endsAtLocal: `${year}-07-06T12:00`,
        available: false,
        note: 'Court',
      },
    });
    expect(exception.status).toBe(201);
    const [stored] = exception.body.exceptions;
    // 09:00 EDT is 13:00 UTC.
    expect(stored.startsAt).toBe(`${year}-07-06T13:00:00.000Z`);
    expect(stored.startsAtLocal).toBe(`${year}-07-06T09:00`);
    const removed = await t.request('DELETE', `/api/interpreters/me/availability/exceptions/${stored.id}`, {
      token: interpreter,
    });
    expect(removed.body.exceptions).toEqual([]);
  });

  it.each([
    ['a bad zone', 'PUT', '/api/interpreters/me/availability', { timeZone: 'Nowhere', weekly: [] }],
    [
      'a window past midnight',
      'PUT',
      '/api/interpreters/me/availability',
      { timeZone: 'America/Chicago', weekly: [{ weekday: 1, startMinute: 0, endMinute: 1441 }] },
    ],
    [
      'an exception ending first',
      'POST',
      '/api/interpreters/me/availability/exceptions',
      { startsAtLocal: '2027-01-01T10:00', endsAtLocal: '2027-01-01T09:00', available: false },
    ],
    [
      'an exception with an offset',
      'POST',
      '/api/interpreters/me/availability/exceptions',
      { startsAtLocal: '2027-01-01T10:00Z', endsAtLocal: '2027-01-01T11:00', available: false },
    ],
  ])('refuses %s', async (_name, method, path, body) => {
    const before = await t.database.prisma.interpreterAvailability.count();
    const res = await t.request(method, path, { token: interpreter, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await t.database.prisma.interpreterAvailability.count()).toBe(before);
  });

  it('is for interpreters only, and one cannot delete another’s exception', async () => {
    for (const token of [staff, attorney]) {
      expect((await t.request('GET', '/api/interpreters/me/availability', { token })).status).toBe(403);
    }
    const kreyol = await t.login('kreyol@parley.demo');
    const theirs = await t.request('POST', '/api/interpreters/me/availability/exceptions', {
      token: kreyol,
      body: { startsAtLocal: '2027-01-04T09:00', endsAtLocal: '2027-01-04T10:00', available: false },
    });
    const id = theirs.body.exceptions[0].id;
    expect(
      (
        await t.request('DELETE', `/api/interpreters/me/availability/exceptions/${id}`, {
          token: interpreter,
        })
      ).status,
    ).toBe(404);
    expect(await t.database.prisma.interpreterAvailabilityException.count({ where: { id } })).toBe(1);
  });
});

describe('calendar feeds', () => {
  it('serves an attorney’s consultations as .ics in the facility’s zone, until revoked', async () => {
    const db = t.database.prisma;
    const theCase = await db.case.findFirstOrThrow({ where: { reference: 'GS-2026-0101' } });
    const grace = await db.user.findUniqueOrThrow({ where: { email: 'attorney@parley.demo' } });
    const startsAt = DateTime.now()
      .setZone('America/Chicago')
      .plus({ weeks: 3 })
      .set({ weekday: 2, hour: 9, minute: 0, second: 0, millisecond: 0 });
    const booked = await t.request('POST', '/api/consultations', {
      token: staff,
      body: {
        caseId: theCase.id,
        attorneyId: grace.id,
        interpreterId: null,
        language: 'es',
        startsAt: startsAt.toUTC().toISO(),
        durationMinutes: 60,
      },
    });
    expect(booked.status).toBe(201);

    const created = await t.request('POST', '/api/calendar/feed', { token: attorney });
    expect(created.status).toBe(201);
    const path = new URL(created.body.url).pathname;
    const feed = await fetch(`${t.url}${path}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    const text = await feed.text();
    expect(text).toContain(`DTSTART;TZID=America/Chicago:${startsAt.toFormat("yyyyMMdd'T'HHmmss")}`);
    expect(text).toContain('GS-2026-0101');
    expect(text).not.toContain('Hernández');
    expect(text).not.toContain(booked.body.consultation.kioskPin);

    const rotated = await t.request('POST', '/api/calendar/feed', { token: attorney });
    expect((await fetch(`${t.url}${path}`)).status).toBe(404);
    const rotatedPath = new URL(rotated.body.url).pathname;
    expect((await fetch(`${t.url}${rotatedPath}`)).status).toBe(200);
    await t.request('DELETE', '/api/calendar/feed', { token: attorney });
    expect((await fetch(`${t.url}${rotatedPath}`)).status).toBe(404);
    expect((await t.request('GET', '/api/calendar/feed', { token: attorney })).body.active).toBe(false);
  });

  it('refuses guessed tokens and staff', async () => {
    expect((await fetch(`${t.url}/api/calendar/feeds/${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/calendar/feeds/short.ics`)).status).toBe(404);
    expect((await t.request('POST', '/api/calendar/feed', { token: staff })).status).toBe(403);
  });
});
