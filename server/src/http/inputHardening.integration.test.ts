import { deflateSync, gzipSync } from 'node:zlib';
import { DateTime, type WeekdayNumbers } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@parley/shared';
import { startTestServer, type TestServer } from '../testing/testServer.ts';

/**
 * Issue 11: each answer of 500 to bad input that the probe found, one explicit test apiece. The
 * property-based suite (testing/fuzz) throws generated input at every route; these pin the cases
 * found by hand.
 */

let t: TestServer;
let staff: string;
let admin: string;
let interpreter: string;
let ids: { adams: string; mariaCase: string; grace: string; lucia: string; organization: string };
let consultationId: string;

/** A weekday local time in Chicago, `weeksAhead` weeks from now: past any lead time. */
function chicago(weeksAhead: number, weekday: WeekdayNumbers, hour: number): string {
  return DateTime.now()
    .setZone('America/Chicago')
    .plus({ weeks: weeksAhead })
    .set({ weekday, hour, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
}

const LOGIN = JSON.stringify({ email: 'staff@parley.demo', password: 'nope-nope-nope' });

/** Sends raw bytes, as a client that lies about (or botches) its body would. */
async function raw(path: string, body: Uint8Array | string, headers: Record<string, string>, token?: string) {
  const res = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

beforeAll(async () => {
  t = await startTestServer();
  [staff, admin, interpreter] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('admin@parley.demo'),
    t.login('interpreter@parley.demo'),
  ]);
  const db = t.database.prisma;
  const user = (email: string) => db.user.findUniqueOrThrow({ where: { email } });
  const grace = await user('attorney@parley.demo');
  ids = {
    adams: (await db.facility.findFirstOrThrow({ where: { code: 'ADAMS' } })).id,
    mariaCase: (await db.case.findFirstOrThrow({ where: { reference: 'GS-2026-0101' } })).id,
    grace: grace.id,
    lucia: (await user('interpreter@parley.demo')).id,
    organization: grace.organizationId,
  };
  const booked = await t.request('POST', '/api/consultations', {
    token: staff,
    body: {
      caseId: ids.mariaCase,
      attorneyId: ids.grace,
      interpreterId: null,
      language: 'es',
      startsAt: chicago(2, 3, 9),
      durationMinutes: 60,
    },
  });
  expect(booked.status).toBe(201);
  consultationId = booked.body.consultation.id;
});

afterAll(async () => {
  await t?.close();
});

describe('request bodies that cannot be read', () => {
  it.each([
    ['gzip', { 'Content-Encoding': 'gzip' }, gzipSync(LOGIN).subarray(0, 20)],
    ['gzip', { 'Content-Encoding': 'gzip' }, new TextEncoder().encode('not gzip at all')],
    ['deflate', { 'Content-Encoding': 'deflate' }, deflateSync(LOGIN).subarray(0, 10)],
    ['deflate', { 'Content-Encoding': 'deflate' }, new TextEncoder().encode('not deflate either')],
  ])(
    'a broken %s body is 400 MALFORMED_BODY, on sign-in and on a signed-in route',
    async (_, encoding, body) => {
      const headers = { 'Content-Type': 'application/json', ...encoding };
      const signIn = await raw('/api/auth/login', body, headers);
      expect(signIn.status).toBe(400);
      expect(signIn.body.error.code).toBe(ErrorCode.MALFORMED_BODY);
      const booking = await raw('/api/consultations', body, headers, staff);
      expect(booking.status).toBe(400);
      expect(booking.body.error.code).toBe(ErrorCode.MALFORMED_BODY);
    },
  );

  it('a well-formed gzip body is read as JSON', async () => {
    const res = await raw('/api/auth/login', gzipSync(LOGIN), {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe(ErrorCode.INVALID_CREDENTIALS);
  });

  it('an unknown Content-Encoding or charset is 415 UNSUPPORTED_ENCODING', async () => {
    const encoding = await raw('/api/auth/login', LOGIN, {
      'Content-Type': 'application/json',
      'Content-Encoding': 'compress',
    });
    expect(encoding.status).toBe(415);
    expect(encoding.body.error.code).toBe(ErrorCode.UNSUPPORTED_ENCODING);
    const charset = await raw('/api/auth/login', LOGIN, {
      'Content-Type': 'application/json; charset=ebcdic',
    });
    expect(charset.status).toBe(415);
    expect(charset.body.error.code).toBe(ErrorCode.UNSUPPORTED_ENCODING);
  });

  it('a body that is not JSON is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await raw('/api/auth/login', LOGIN, { 'Content-Type': type });
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }
  });

  it('a POST with no body at all (Content-Length: 0, no type, as fetch sends it) is not 415', async () => {
    const res = await raw('/api/auth/login', '', {});
    expect(res.status).toBe(400);
    expect(res.body.error.code).not.toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE; broken JSON stays 400 MALFORMED_JSON', async () => {
    const big = await raw('/api/auth/login', JSON.stringify({ email: 'x'.repeat(200_000) }), {
      'Content-Type': 'application/json',
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    const broken = await raw('/api/auth/login', '{"email":', { 'Content-Type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe(ErrorCode.MALFORMED_JSON);
  });
});

describe('addresses with bad percent-encoding', () => {
  it('/api/clients/%ZZ is 400 MALFORMED_URI', async () => {
    const res = await t.request('GET', '/api/clients/%ZZ', { token: staff });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(ErrorCode.MALFORMED_URI);
  });

  it('/api/calendar/feeds/%ZZ.ics is 400 MALFORMED_URI', async () => {
    const res = await t.request('GET', '/api/calendar/feeds/%ZZ.ics');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(ErrorCode.MALFORMED_URI);
  });

  it('%ZZ in other parameters too', async () => {
    for (const path of ['/api/consultations/%ZZ', '/api/cases/%E0%A4%A', `/api/facilities/%ZZ/blackouts`]) {
      const res = await t.request('GET', path, { token: staff });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe(ErrorCode.MALFORMED_URI);
    }
  });
});

describe('years 0000 and 9999', () => {
  const YEARS = ['0000', '9999'];

  async function expectRefused(method: string, path: string, token: string, body?: unknown) {
    const res = await t.request(method, path, { token, ...(body === undefined ? {} : { body }) });
    expect(res.status, `${method} ${path}`).toBe(400);
    expect(res.body.error.code).toBe(ErrorCode.VALIDATION_FAILED);
  }

  it.each(YEARS)('booking a consultation in year %s', async (year) => {
    const before = await t.database.prisma.consultation.count();
    await expectRefused('POST', '/api/consultations', staff, {
      caseId: ids.mariaCase,
      attorneyId: ids.grace,
      interpreterId: null,
      language: 'es',
      startsAt: `${year}-06-15T14:00:00Z`,
      durationMinutes: 60,
    });
    expect(await t.database.prisma.consultation.count()).toBe(before);
  });

  it.each(YEARS)('rescheduling to year %s', async (year) => {
    await expectRefused('POST', `/api/consultations/${consultationId}/reschedule`, staff, {
      startsAt: `${year}-06-15T14:00:00Z`,
    });
    const row = await t.database.prisma.consultation.findUniqueOrThrow({ where: { id: consultationId } });
    expect(row.startsAt.getUTCFullYear()).toBeLessThan(2100);
  });

  it.each(YEARS)('listing consultations from year %s', async (year) => {
    await expectRefused('GET', `/api/consultations?from=${year}-01-01T00:00:00Z`, staff);
  });

  it.each(YEARS)('suggestions for a day in year %s', async (year) => {
    const query = new URLSearchParams({
      caseId: ids.mariaCase,
      attorneyId: ids.grace,
      date: `${year}-06-15`,
    });
    await expectRefused('GET', `/api/scheduling/suggestions?${query.toString()}`, staff);
  });

  it.each(YEARS)('a facility blackout in year %s', async (year) => {
    await expectRefused('POST', `/api/facilities/${ids.adams}/blackouts`, admin, {
      date: `${year}-12-25`,
      reason: 'Far away',
    });
  });

  it.each(YEARS)(
    'an availability exception in year %s, after which availability still reads',
    async (year) => {
      await expectRefused('POST', '/api/interpreters/me/availability/exceptions', interpreter, {
        startsAtLocal: `${year}-12-31T22:00`,
        endsAtLocal: `${year}-12-31T23:00`,
        available: false,
      });
      const read = await t.request('GET', '/api/interpreters/me/availability', { token: interpreter });
      expect(read.status).toBe(200);
      const write = await t.request('PUT', '/api/interpreters/me/availability', {
        token: interpreter,
        body: { timeZone: 'America/Chicago', weekly: read.body.weekly },
      });
      expect(write.status).toBe(200);
    },
  );

  it.each(YEARS)('the consultations export from year %s: a 400 before any download starts', async (year) => {
    for (const format of ['csv', 'json']) {
      const res = await fetch(
        `${t.url}/api/exports/consultations.${format}?from=${year}-01-01T00:00:00Z&to=${year}-02-01T00:00:00Z`,
        { headers: { Authorization: `Bearer ${staff}` } },
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        ErrorCode.VALIDATION_FAILED,
      );
    }
  });

  it.each(YEARS)('the interpreter-minutes export from year %s', async (year) => {
    await expectRefused(
      'GET',
      `/api/exports/interpreter-minutes.csv?from=${year}-01-01T00:00:00Z&to=${year}-02-01T00:00:00Z`,
      staff,
    );
  });
});

describe('the booking horizon', () => {
  it('refuses a booking more than a year ahead with BOOKING_TOO_FAR_AHEAD, and follows the setting', async () => {
    const body = {
      caseId: ids.mariaCase,
      attorneyId: ids.grace,
      interpreterId: null,
      language: 'es',
      startsAt: chicago(60, 3, 9),
      durationMinutes: 60,
    };
    const refused = await t.request('POST', '/api/consultations', { token: staff, body });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe(ErrorCode.BOOKING_TOO_FAR_AHEAD);

    const setHorizon = (days: number) =>
      t.request('PUT', '/api/scheduling/settings', { token: admin, body: { bookingHorizonDays: days } });
    expect((await setHorizon(730)).body).toEqual({ bookingHorizonDays: 730 });
    try {
      const booked = await t.request('POST', '/api/consultations', { token: staff, body });
      expect(booked.status).toBe(201);
      const query = new URLSearchParams({
        caseId: ids.mariaCase,
        attorneyId: ids.grace,
        date: DateTime.now().plus({ years: 3 }).toFormat('yyyy-MM-dd'),
      });
      const suggestions = await t.request('GET', `/api/scheduling/suggestions?${query.toString()}`, {
        token: staff,
      });
      expect(suggestions.status).toBe(200);
      expect(suggestions.body.dayRefusal.code).toBe(ErrorCode.BOOKING_TOO_FAR_AHEAD);
    } finally {
      expect((await setHorizon(365)).status).toBe(200);
    }
  });

  it('is read by staff, changed by admins only, bounded, and the change is audited', async () => {
    const read = await t.request('GET', '/api/scheduling/settings', { token: staff });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ bookingHorizonDays: 365 });
    const byStaff = await t.request('PUT', '/api/scheduling/settings', {
      token: staff,
      body: { bookingHorizonDays: 30 },
    });
    expect(byStaff.status).toBe(403);
    for (const bookingHorizonDays of [0, 3661, 1.5, '30', null]) {
      const res = await t.request('PUT', '/api/scheduling/settings', {
        token: admin,
        body: { bookingHorizonDays },
      });
      expect(res.status, String(bookingHorizonDays)).toBe(400);
      expect(res.body.error.code).toBe(ErrorCode.VALIDATION_FAILED);
    }
    expect(
      (await t.request('GET', '/api/scheduling/settings', { token: admin })).body.bookingHorizonDays,
    ).toBe(365);
    const audit = await t.database.prisma.adminAuditEvent.findMany({
      where: { organizationId: ids.organization, action: 'SCHEDULING_SETTINGS_UPDATED' },
      orderBy: { occurredAt: 'asc' },
    });
    expect(audit.map((e) => e.details)).toEqual([
      { from: 365, to: 730 },
      { from: 730, to: 365 },
    ]);
  });
});

describe('search terms with LIKE wildcards', () => {
  const names = ['Percent%Sign', 'Under_Score', 'Back\\Slash', 'Plainname'];

  beforeAll(async () => {
    const db = t.database.prisma;
    let n = 0;
    for (const lastName of names) {
      const client = await db.client.create({
        data: {
          organizationId: ids.organization,
          firstName: 'Wild',
          lastName,
          aNumber: `99900000${n++}`,
          preferredLanguage: 'es',
        },
      });
      await db.case.create({
        data: {
          organizationId: ids.organization,
          clientId: client.id,
          reference: `WILD-${lastName.replace(/[^A-Za-z]/g, '')}`,
          title: 'Wildcard search',
        },
      });
    }
  });

  it.each([
    ['%', 'Percent%Sign'],
    ['_', 'Under_Score'],
    ['\\', 'Back\\Slash'],
    ['t%s', 'Percent%Sign'],
  ])('q=%s matches only the name holding it literally', async (q, expected) => {
    const clients = await t.request('GET', `/api/clients?q=${encodeURIComponent(q)}`, { token: staff });
    expect(clients.status).toBe(200);
    expect(clients.body.items.map((c: { lastName: string }) => c.lastName)).toEqual([expected]);
    const cases = await t.request('GET', `/api/cases?q=${encodeURIComponent(q)}`, { token: staff });
    expect(cases.status).toBe(200);
    expect(cases.body.items.map((c: { client: { lastName: string } }) => c.client.lastName)).toEqual([
      expected,
    ]);
  });
});
