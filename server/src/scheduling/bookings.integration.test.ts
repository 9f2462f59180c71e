import { DateTime, type WeekdayNumbers } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { appendSessionEvent, findBrokenLink } from '../sessionLog/appendSessionEvent.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { sweepNoShows } from './noShowJob.ts';

let t: TestServer;
let staff: string;
let admin: string;
let attorney: string;
let interpreter: string;
let otherStaff: string;
let ids: {
  adams: string;
  jackson: string;
  mariaCase: string;
  grace: string;
  thomas: string;
  lucia: string;
  jean: string;
  other: { facility: string; attorney: string; interpreter: string };
};

/** A weekday 08:00-based local time in Chicago, `weeksAhead` weeks from now: well past lead time. */
function chicago(weeksAhead: number, weekday: WeekdayNumbers, hour: number, minute = 0): string {
  return DateTime.now()
    .setZone('America/Chicago')
    .plus({ weeks: weeksAhead })
    .set({ weekday, hour, minute, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
}

const consultationCount = () => t.database.prisma.consultation.count();
const eventCount = () => t.database.prisma.sessionEvent.count();

beforeAll(async () => {
  t = await startTestServer();
  [staff, admin, attorney, interpreter, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('admin@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login('interpreter@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  const db = t.database.prisma;
  const user = (email: string) => db.user.findUniqueOrThrow({ where: { email } }).then((u) => u.id);
  const facility = (code: string) => db.facility.findFirstOrThrow({ where: { code } }).then((f) => f.id);
  ids = {
    adams: await facility('ADAMS'),
    jackson: await facility('JACKSON'),
    mariaCase: (await db.case.findFirstOrThrow({ where: { reference: 'GS-2026-0101' } })).id,
    grace: await user('attorney@parley.demo'),
    thomas: await user('probono@parley.demo'),
    lucia: await user('interpreter@parley.demo'),
    jean: await user('kreyol@parley.demo'),
    other: {
      facility: await facility('OTHER'),
      attorney: await user(OTHER_ORG_USERS.attorney),
      interpreter: await user(OTHER_ORG_USERS.interpreter),
    },
  };
});
afterAll(async () => {
  await t?.close();
});

function booking(patch: Record<string, unknown> = {}) {
  return {
    caseId: ids.mariaCase,
    attorneyId: ids.grace,
    interpreterId: ids.lucia,
    language: 'es',
    startsAt: chicago(3, 2, 9),
    durationMinutes: 60,
    ...patch,
  };
}

describe('booking', () => {
  it('books a consultation at the client’s facility, logs it, and refuses the same slot again', async () => {
    const beforeEvents = await eventCount();
    const res = await t.request('POST', '/api/consultations', { token: staff, body: booking() });
    expect(res.status).toBe(201);
    const c = res.body.consultation;
    expect(c.facility.code).toBe('ADAMS');
    // Adams confirms its calls: the booking waits for it, holding the slot.
    expect(c.status).toBe('REQUESTED');
    expect(c.confirmation).toMatchObject({ state: 'PENDING', remindersSent: 0, answeredAt: null });
    expect(c.kioskPin).toMatch(/^[0-9]{6}$/);
    expect(c.endsAt).toBe(new Date(Date.parse(c.startsAt) + 3_600_000).toISOString());
    expect(await eventCount()).toBe(beforeEvents + 2);
    const events = await t.database.prisma.sessionEvent.findMany({
      where: { consultationId: c.id },
      orderBy: { seq: 'asc' },
    });
    expect(events[0]).toMatchObject({ type: 'CONSULTATION_SCHEDULED', seq: 1, actorRole: 'STAFF' });
    expect(events[1]).toMatchObject({ type: 'FACILITY_CONFIRMATION_REQUESTED', seq: 2, actorRole: 'STAFF' });

    const before = await consultationCount();
    const again = await t.request('POST', '/api/consultations', { token: staff, body: booking() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ATTORNEY_DOUBLE_BOOKED');
    expect(again.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['ATTORNEY_DOUBLE_BOOKED', 'INTERPRETER_DOUBLE_BOOKED', 'CLIENT_DOUBLE_BOOKED']),
    );
    expect(await consultationCount()).toBe(before);
  });

  it.each([
    ['outside visiting hours', { startsAt: chicago(3, 3, 12) }, 'OUTSIDE_VISITING_HOURS'],
    ['too soon', { startsAt: DateTime.now().plus({ hours: 2 }).toUTC().toISO() }, 'LEAD_TIME_TOO_SHORT'],
    ['too long', { startsAt: chicago(3, 3, 8), durationMinutes: 90 }, 'CALL_TOO_LONG'],
    [
      'an interpreter without the language',
      { startsAt: chicago(3, 3, 9), interpreterId: 'JEAN' },
      'INTERPRETER_LANGUAGE_MISMATCH',
    ],
    ['a weekend', { startsAt: chicago(3, 6, 9) }, 'OUTSIDE_VISITING_HOURS'],
  ])('refuses a booking %s with its code and changes nothing', async (_name, patch, code) => {
    const body = booking({
      ...patch,
      ...('interpreterId' in patch ? { interpreterId: ids.jean } : {}),
    });
    const before = await consultationCount();
    const beforeEvents = await eventCount();
    const res = await t.request('POST', '/api/consultations', { token: staff, body });
    expect(res.status).toBe(409);
    // The first broken rule is the code; "too soon" may also fall outside today's hours.
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(code);
    if (code !== 'LEAD_TIME_TOO_SHORT') expect(res.body.error.code).toBe(code);
    expect(await consultationCount()).toBe(before);
    expect(await eventCount()).toBe(beforeEvents);
  });

  it('refuses a blackout date set by an admin', async () => {
    const date = chicago(3, 4, 9).slice(0, 10);
    const blackout = await t.request('POST', `/api/facilities/${ids.adams}/blackouts`, {
      token: admin,
      body: { date, reason: 'Facility lockdown' },
    });
    expect(blackout.status).toBe(201);
    const res = await t.request('POST', '/api/consultations', {
      token: staff,
      body: booking({ startsAt: chicago(3, 4, 9) }),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('FACILITY_BLACKOUT');
  });

  it.each([
    ['a missing case', { caseId: undefined }, 'caseId'],
    ['a bad uuid', { attorneyId: 'grace' }, 'attorneyId'],
    ['an unknown language', { language: 'xx' }, 'language'],
    ['a time without offset', { startsAt: '2026-12-01T09:00:00' }, 'startsAt'],
    ['a zero duration', { durationMinutes: 0 }, 'durationMinutes'],
    ['a fractional duration', { durationMinutes: 30.5 }, 'durationMinutes'],
    ['a string duration', { durationMinutes: '60' }, 'durationMinutes'],
    ['a bad mode', { mode: 'WHISPER' }, 'mode'],
  ])('refuses %s as VALIDATION_FAILED', async (_name, patch, field) => {
    const before = await consultationCount();
    const res = await t.request('POST', '/api/consultations', { token: staff, body: booking(patch) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await consultationCount()).toBe(before);
  });

  it('refuses malformed JSON', async () => {
    const res = await t.request('POST', '/api/consultations', { token: staff, rawBody: '{"caseId":' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('refuses an attorney not assigned to the case', async () => {
    const res = await t.request('POST', '/api/consultations', {
      token: staff,
      body: booking({ attorneyId: ids.thomas, startsAt: chicago(4, 2, 9) }),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ATTORNEY_NOT_ON_CASE');
  });

  it('refuses ids from another organisation as not found, and changes nothing', async () => {
    const before = await consultationCount();
    for (const patch of [
      { facilityId: ids.other.facility },
      { attorneyId: ids.other.attorney },
      { interpreterId: ids.other.interpreter },
    ]) {
      const res = await t.request('POST', '/api/consultations', {
        token: staff,
        body: booking({ ...patch, startsAt: chicago(4, 3, 9) }),
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const theirs = await t.request('POST', '/api/consultations', {
      token: otherStaff,
      body: booking({
        attorneyId: ids.other.attorney,
        interpreterId: ids.other.interpreter,
        startsAt: chicago(4, 3, 9),
      }),
    });
    expect(theirs.status).toBe(404);
    expect(await consultationCount()).toBe(before);
  });
});

describe('roles and organisations on every scheduling endpoint', () => {
  let consultationId: string;
  beforeAll(async () => {
    const res = await t.request('POST', '/api/consultations', {
      token: staff,
      body: booking({ startsAt: chicago(5, 2, 13) }),
    });
    expect(res.status).toBe(201);
    consultationId = res.body.consultation.id;
  });

  it('lets only staff book, reschedule, cancel and ask for suggestions', async () => {
    const before = await consultationCount();
    const beforeEvents = await eventCount();
    for (const token of [attorney, interpreter]) {
      const calls: [string, string, unknown][] = [
        ['POST', '/api/consultations', booking({ startsAt: chicago(5, 3, 9) })],
        ['POST', `/api/consultations/${consultationId}/reschedule`, { startsAt: chicago(5, 3, 9) }],
        ['POST', `/api/consultations/${consultationId}/cancel`, { reason: 'not mine to cancel' }],
        [
          'GET',
          `/api/scheduling/suggestions?caseId=${ids.mariaCase}&attorneyId=${ids.grace}&date=2026-12-01`,
          undefined,
        ],
        [
          'POST',
          '/api/facilities',
          {
            name: 'X',
            code: 'XX',
            timeZone: 'America/Chicago',
            booths: 1,
            minLeadTimeMinutes: 0,
            maxCallMinutes: 60,
            dailyLimitPerAttorneyClient: 1,
          },
        ],
      ];
      for (const [method, path, body] of calls) {
        const res = await t.request(method, path, { token, ...(body ? { body } : {}) });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN_ROLE');
      }
    }
    const staffAddsFacility = await t.request('POST', `/api/facilities/${ids.adams}/kiosk-devices`, {
      token: staff,
      body: { label: 'x' },
    });
    expect(staffAddsFacility.status).toBe(403);
    expect(await consultationCount()).toBe(before);
    expect(await eventCount()).toBe(beforeEvents);
  });

  it('needs a signed-in user everywhere but the secret calendar URL', async () => {
    for (const [method, path] of [
      ['GET', '/api/consultations'],
      ['POST', '/api/consultations'],
      ['GET', `/api/consultations/${consultationId}`],
      ['POST', `/api/consultations/${consultationId}/cancel`],
      ['GET', '/api/scheduling/suggestions'],
      ['GET', '/api/interpreters/me/availability'],
      ['POST', '/api/calendar/feed'],
    ] as const) {
      const res = await t.request(method, path, method === 'POST' ? { body: {} } : {});
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('hides another organisation’s consultation behind 404 and changes nothing', async () => {
    const beforeEvents = await eventCount();
    const peek = await t.request('GET', `/api/consultations/${consultationId}`, { token: otherStaff });
    expect(peek.status).toBe(404);
    const cancel = await t.request('POST', `/api/consultations/${consultationId}/cancel`, {
      token: otherStaff,
      body: { reason: 'hostile cancel' },
    });
    expect(cancel.status).toBe(404);
    const move = await t.request('POST', `/api/consultations/${consultationId}/reschedule`, {
      token: otherStaff,
      body: { startsAt: chicago(5, 2, 14) },
    });
    expect(move.status).toBe(404);
    const list = await t.request('GET', '/api/consultations', { token: otherStaff });
    expect(list.body.total).toBe(0);
    const suggest = await t.request(
      'GET',
      `/api/scheduling/suggestions?caseId=${ids.mariaCase}&attorneyId=${ids.grace}&date=2026-12-01`,
      { token: otherStaff },
    );
    expect(suggest.status).toBe(404);
    const facility = await t.request('PATCH', `/api/facilities/${ids.adams}`, {
      token: otherStaff,
      body: { booths: 9 },
    });
    expect(facility.status).toBe(403);
    expect(
      (await t.database.prisma.consultation.findUniqueOrThrow({ where: { id: consultationId } })).status,
    ).toBe('REQUESTED');
    expect(await eventCount()).toBe(beforeEvents);
  });

  it('shows attorneys and interpreters only their own consultations, interpreters without the PIN', async () => {
    const mine = await t.request('GET', '/api/consultations?limit=100', { token: attorney });
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    for (const c of mine.body.items) expect(c.attorney.id).toBe(ids.grace);
    const asInterpreter = await t.request('GET', `/api/consultations/${consultationId}`, {
      token: interpreter,
    });
    expect(asInterpreter.status).toBe(200);
    expect(asInterpreter.body.consultation.kioskPin).toBeNull();
    const probono = await t.login('probono@parley.demo');
    expect((await t.request('GET', `/api/consultations/${consultationId}`, { token: probono })).status).toBe(
      404,
    );
  });

  it.each([['limit=0'], ['limit=501'], ['status=LATE'], ['from=yesterday'], ['facilityId=1']])(
    'refuses a bad list query (%s)',
    async (query) => {
      const res = await t.request('GET', `/api/consultations?${query}`, { token: staff });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    },
  );

  it.each([
    ['no date', `caseId=CASE&attorneyId=GRACE`],
    ['an impossible date', `caseId=CASE&attorneyId=GRACE&date=2026-02-30`],
    ['a bad step', `caseId=CASE&attorneyId=GRACE&date=2026-12-01&stepMinutes=7`],
    ['a bad duration', `caseId=CASE&attorneyId=GRACE&date=2026-12-01&durationMinutes=abc`],
  ])('refuses suggestions with %s', async (_name, query) => {
    const res = await t.request(
      'GET',
      `/api/scheduling/suggestions?${query.replace('CASE', ids.mariaCase).replace('GRACE', ids.grace)}`,
      { token: staff },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('lists, reschedule, cancel and no-show', () => {
  it('lists with filters and pagination', async () => {
    for (const hour of [8, 9, 10]) {
      const day = chicago(6, 2, hour);
      const res = await t.request('POST', '/api/consultations', {
        token: staff,
        body: booking({ startsAt: day, interpreterId: null, attorneyId: ids.grace, caseId: ids.mariaCase }),
      });
      // One call a day per attorney and client: only the first of these is accepted.
      expect(res.status).toBe(hour === 8 ? 201 : 409);
    }
    const from = chicago(6, 1, 0);
    const to = chicago(6, 7, 0);
    const page = await t.request(
      'GET',
      `/api/consultations?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&facilityId=${ids.adams}&limit=1`,
      { token: staff },
    );
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(1);
    expect(page.body.items[0].startsAt).toBe(chicago(6, 2, 8));
    const none = await t.request(
      'GET',
      `/api/consultations?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&facilityId=${ids.jackson}`,
      { token: staff },
    );
    expect(none.body.total).toBe(0);
  });

  it('reschedules with the rules re-checked and logs each change in one intact chain', async () => {
    const created = await t.request('POST', '/api/consultations', {
      token: staff,
      body: booking({ startsAt: chicago(7, 2, 9) }),
    });
    const id = created.body.consultation.id;
    const refused = await t.request('POST', `/api/consultations/${id}/reschedule`, {
      token: staff,
      body: { startsAt: chicago(7, 2, 11) },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('OUTSIDE_VISITING_HOURS');
    const moved = await t.request('POST', `/api/consultations/${id}/reschedule`, {
      token: staff,
      body: { startsAt: chicago(7, 2, 9, 30), reason: 'attorney request' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.consultation.startsAt).toBe(chicago(7, 2, 9, 30));
    const cancelled = await t.request('POST', `/api/consultations/${id}/cancel`, {
      token: staff,
      body: { reason: 'Client transferred to another facility' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.consultation).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'Client transferred to another facility',
    });
    const again = await t.request('POST', `/api/consultations/${id}/cancel`, {
      token: staff,
      body: { reason: 'twice' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONSULTATION_NOT_EDITABLE');
    const events = await t.database.prisma.sessionEvent.findMany({
      where: { consultationId: id },
      orderBy: { seq: 'asc' },
    });
    // Every new time asks the facility again; the cancellation closes the open request.
    expect(events.map((e) => e.type)).toEqual([
      'CONSULTATION_SCHEDULED',
      'FACILITY_CONFIRMATION_REQUESTED',
      'CONSULTATION_RESCHEDULED',
      'FACILITY_CONFIRMATION_REQUESTED',
      'CONSULTATION_CANCELLED',
    ]);
    expect(
      await t.database.prisma.facilityConfirmation.count({
        where: { consultationId: id, supersededAt: null },
      }),
    ).toBe(0);
    expect(
      findBrokenLink(events.map((e) => ({ ...e, payload: e.payload as Record<string, string> }))),
    ).toBeNull();
    // The freed slot can be booked again.
    const rebook = await t.request('POST', '/api/consultations', {
      token: staff,
      body: booking({ startsAt: chicago(7, 2, 9, 30) }),
    });
    expect(rebook.status).toBe(201);
    const badReason = await t.request('POST', `/api/consultations/${rebook.body.consultation.id}/cancel`, {
      token: staff,
      body: { reason: '' },
    });
    expect(badReason.status).toBe(400);
  });

  it('leaves a past call SCHEDULED on every read; the no-show job marks it NO_SHOW and logs it once', async () => {
    const book = async (startsAt: string) => {
      const res = await t.request('POST', '/api/consultations', {
        token: staff,
        body: booking({ startsAt, interpreterId: null }),
      });
      expect(res.status).toBe(201);
      const cid = res.body.consultation.id as string;
      // The facility confirmed by phone: only confirmed calls are held (and can be missed).
      const confirmed = await t.request('POST', `/api/consultations/${cid}/confirmation`, {
        token: staff,
        body: { answer: 'CONFIRM' },
      });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.consultation).toMatchObject({
        status: 'SCHEDULED',
        confirmation: { state: 'CONFIRMED', recordedByStaff: true },
      });
      return cid;
    };
    const id = await book(chicago(2, 2, 9));
    const joined = await book(chicago(2, 3, 9));
    const db = t.database.prisma;
    // Both calls took place long ago; the client joined the second one from the kiosk.
    const pastStart = DateTime.now().minus({ years: 3 }).startOf('hour');
    for (const [n, cid] of [id, joined].entries()) {
      const start = pastStart.plus({ days: n });
      await db.consultation.update({
        where: { id: cid },
        data: { startsAt: start.toJSDate(), endsAt: start.plus({ hours: 1 }).toJSDate() },
      });
    }
    const orgId = (await db.consultation.findUniqueOrThrow({ where: { id } })).organizationId;
    await appendSessionEvent(db, {
      organizationId: orgId,
      consultationId: joined,
      type: 'PARTICIPANT_JOINED',
      actorUserId: null,
      actorRole: 'CLIENT',
      occurredAt: pastStart.plus({ days: 1, minutes: 2 }).toJSDate(),
      payload: { participantId: `client:${joined}`, role: 'CLIENT', device: 'KIOSK' },
    });
    const noShowEvents = () =>
      db.sessionEvent.count({ where: { consultationId: id, type: 'CONSULTATION_NO_SHOW' } });

    const list = await t.request('GET', '/api/consultations?limit=100', { token: staff });
    expect(list.status).toBe(200);
    const view = await t.request('GET', `/api/consultations/${id}`, { token: staff });
    expect(view.body.consultation.status).toBe('SCHEDULED');
    expect((await db.consultation.findUniqueOrThrow({ where: { id } })).status).toBe('SCHEDULED');
    expect(await noShowEvents()).toBe(0);

    // Two processes sweeping at once mark it once; a later sweep finds nothing more to do.
    const logger = createLogger('silent');
    const now = new Date();
    const [a, b] = await Promise.all([sweepNoShows(db, logger, now), sweepNoShows(db, logger, now)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect(await sweepNoShows(db, logger, now)).toBe(0);
    const after = await t.request('GET', `/api/consultations/${id}`, { token: staff });
    expect(after.body.consultation.status).toBe('NO_SHOW');
    expect(await noShowEvents()).toBe(1);
    const events = await db.sessionEvent.findMany({ where: { consultationId: id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.type)).toEqual([
      'CONSULTATION_SCHEDULED',
      'FACILITY_CONFIRMATION_REQUESTED',
      'FACILITY_CONFIRMED',
      'CONSULTATION_NO_SHOW',
    ]);
    expect(
      findBrokenLink(events.map((e) => ({ ...e, payload: e.payload as Record<string, string> }))),
    ).toBeNull();
    expect((await db.consultation.findUniqueOrThrow({ where: { id: joined } })).status).toBe('SCHEDULED');

    const move = await t.request('POST', `/api/consultations/${id}/reschedule`, {
      token: staff,
      body: { startsAt: chicago(10, 2, 9) },
    });
    expect(move.body.error.code).toBe('CONSULTATION_NOT_EDITABLE');
  });
});

describe('suggestions', () => {
  it('proposes open slots with interpreters, and drops the ones just booked', async () => {
    const date = DateTime.fromISO(chicago(9, 3, 9))
      .setZone('America/Chicago')
      .toISODate();
    const path = `/api/scheduling/suggestions?caseId=${ids.mariaCase}&attorneyId=${ids.grace}&date=${date}&stepMinutes=60`;
    const res = await t.request('GET', path, { token: staff });
    expect(res.status).toBe(200);
    expect(res.body.language).toBe('es');
    expect(res.body.facility.timeZone).toBe('America/Chicago');
    const starts = res.body.slots.map((s: { startsAt: string }) => s.startsAt);
    expect(starts).toContain(chicago(9, 3, 8));
    expect(res.body.slots[0].interpreters.map((i: { name: string }) => i.name)).toEqual(
      expect.arrayContaining(['Lucía Ramírez', 'Ixchel Tzul']),
    );
    const booked = await t.request('POST', '/api/consultations', {
      token: staff,
      body: booking({
        startsAt: res.body.slots[0].startsAt,
        interpreterId: res.body.slots[0].interpreters[0].id,
      }),
    });
    expect(booked.status).toBe(201);
    const after = await t.request('GET', path, { token: staff });
    // One call a day with this client: the rest of the day closes, and says why.
    expect(after.body.slots).toEqual([]);
    expect(after.body.dayRefusal.code).toBe('DAILY_LIMIT_REACHED');
  });
});
