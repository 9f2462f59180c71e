import { DateTime, type WeekdayNumbers } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../testing/testDatabase.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';

/**
 * Every interpreter of a consultation counts (issue 17): a relay interpreter or booth partner
 * (ConsultationInterpreter) is as busy as the call's own interpreter for bookings, reschedules and
 * suggestions; a booking may ask for its relay at once; an interpreter's own schedule lists the
 * calls they relay or partner on; adding and removing one is in the session log. Real database,
 * through the REST API; the race runs on PostgreSQL only (PGlite has one connection).
 */

let t: TestServer;
let staff: string;
let otherStaff: string;
const tokens: Record<'lucia' | 'ixchel' | 'jean', string> = { lucia: '', ixchel: '', jean: '' };
let ids: {
  mariaCase: string;
  wilnerCase: string;
  grace: string;
  thomas: string;
  lucia: string;
  ixchel: string;
  jean: string;
  otherInterpreter: string;
};

/** A Chicago wall-clock time `weeksAhead` weeks from now, as a UTC instant. */
function chicago(weeksAhead: number, weekday: WeekdayNumbers, hour: number): string {
  return DateTime.now()
    .setZone('America/Chicago')
    .plus({ weeks: weeksAhead })
    .set({ weekday, hour, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
}

const counts = async () => ({
  consultations: await t.database.prisma.consultation.count(),
  further: await t.database.prisma.consultationInterpreter.count(),
});

const eventsOf = async (consultationId: string) =>
  (
    await t.database.prisma.sessionEvent.findMany({
      where: { consultationId },
      orderBy: { seq: 'asc' },
      select: { type: true, payload: true, actorRole: true },
    })
  )
    // Adams asks the facility to confirm its calls: those events are not what is tested here.
    .filter((e) => !e.type.startsWith('FACILITY_'))
    .map((e) => ({ type: e.type, payload: e.payload, actorRole: e.actorRole }));

beforeAll(async () => {
  t = await startTestServer();
  [staff, otherStaff, tokens.lucia, tokens.ixchel, tokens.jean] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
    t.login('interpreter@parley.demo'),
    t.login('mayan@parley.demo'),
    t.login('kreyol@parley.demo'),
  ]);
  const db = t.database.prisma;
  const user = (email: string) => db.user.findUniqueOrThrow({ where: { email } }).then((u) => u.id);
  const caseId = (reference: string) => db.case.findFirstOrThrow({ where: { reference } }).then((c) => c.id);
  ids = {
    mariaCase: await caseId('GS-2026-0101'),
    wilnerCase: await caseId('GS-2026-0102'),
    grace: await user('attorney@parley.demo'),
    thomas: await user('probono@parley.demo'),
    lucia: await user('interpreter@parley.demo'),
    ixchel: await user('mayan@parley.demo'),
    jean: await user('kreyol@parley.demo'),
    otherInterpreter: await user(OTHER_ORG_USERS.interpreter),
  };
});
afterAll(async () => {
  await t?.close();
});

/** María's call in Mam with Ixchel, Lucía relaying Spanish ↔ English: one booking request. */
const relayBooking = (startsAt: string, patch: Record<string, unknown> = {}) => ({
  caseId: ids.mariaCase,
  attorneyId: ids.grace,
  interpreterId: ids.ixchel,
  language: 'mam',
  startsAt,
  durationMinutes: 60,
  relay: { interpreterId: ids.lucia, pivotLanguage: 'es' },
  ...patch,
});

/** Wilner's call (Thomas's case, at LaSalle) held in Spanish with `interpreterId`. */
const wilnerBooking = (startsAt: string, interpreterId: string) => ({
  caseId: ids.wilnerCase,
  attorneyId: ids.thomas,
  interpreterId,
  language: 'es',
  startsAt,
  durationMinutes: 60,
});

describe('a booking that asks for a relay', () => {
  const nine = () => chicago(6, 2, 9);
  let relayed: string;
  /** Wilner's call with Lucía at 14:00 the same day. */
  let wilnersLater: string;

  it('books the call with its relay: both interpreters on it, both in the log', async () => {
    const res = await t.request('POST', '/api/consultations', { token: staff, body: relayBooking(nine()) });
    expect(res.status).toBe(201);
    relayed = res.body.consultation.id as string;
    expect(res.body.consultation.furtherInterpreters).toEqual([
      { id: ids.lucia, name: 'Lucía Ramírez', pair: ['en', 'es'], kind: 'RELAY' },
    ]);
    const list = await t.request('GET', `/api/consultations/${relayed}/interpreters`, { token: staff });
    expect(list.body.interpreters).toEqual([
      { interpreterId: ids.ixchel, name: 'Ixchel Tzul', pair: ['es', 'mam'], kind: 'FIRST' },
      { interpreterId: ids.lucia, name: 'Lucía Ramírez', pair: ['en', 'es'], kind: 'RELAY' },
    ]);
    expect((await eventsOf(relayed)).map((e) => e.type)).toEqual([
      'CONSULTATION_SCHEDULED',
      'FURTHER_INTERPRETER_ADDED',
    ]);
    expect((await eventsOf(relayed))[1]).toEqual({
      type: 'FURTHER_INTERPRETER_ADDED',
      actorRole: 'STAFF',
      payload: { interpreterId: ids.lucia, kind: 'RELAY', languageA: 'en', languageB: 'es' },
    });
  });

  it.each([
    ['a relay without the call’s own interpreter', () => ({ interpreterId: null }), 400, 'VALIDATION_FAILED'],
    [
      'the same interpreter twice',
      () => ({ relay: { interpreterId: ids.ixchel, pivotLanguage: 'es' } }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'English as the pivot',
      () => ({ relay: { interpreterId: ids.lucia, pivotLanguage: 'en' } }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'the client’s language as the pivot',
      () => ({ relay: { interpreterId: ids.lucia, pivotLanguage: 'mam' } }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown field in the relay',
      () => ({ relay: { interpreterId: ids.lucia, pivotLanguage: 'es', note: 'x' } }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a relay who does not speak the pivot',
      () => ({ relay: { interpreterId: ids.jean, pivotLanguage: 'es' } }),
      409,
      'INTERPRETER_LANGUAGE_MISMATCH',
    ],
    [
      'a call interpreter who does not speak the pivot',
      () => ({ relay: { interpreterId: ids.jean, pivotLanguage: 'fr' } }),
      409,
      'INTERPRETER_LANGUAGE_MISMATCH',
    ],
    [
      'another organisation’s relay',
      () => ({ relay: { interpreterId: ids.otherInterpreter, pivotLanguage: 'es' } }),
      404,
      'NOT_FOUND',
    ],
  ])('refuses %s with a stable code and books nothing', async (_name, patch, status, code) => {
    const before = await counts();
    const res = await t.request('POST', '/api/consultations', {
      token: staff,
      body: relayBooking(chicago(6, 3, 9), patch()),
    });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await counts()).toEqual(before);
  });

  it('refuses a relay who has another call then (as its own interpreter), and books nothing', async () => {
    const other = await t.request('POST', '/api/consultations', {
      token: staff,
      body: wilnerBooking(chicago(6, 4, 9), ids.lucia),
    });
    expect(other.status).toBe(201);
    const before = await counts();
    const res = await t.request('POST', '/api/consultations', {
      token: staff,
      body: relayBooking(chicago(6, 4, 9)),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INTERPRETER_DOUBLE_BOOKED');
    expect(await counts()).toEqual(before);
  });

  it('refuses a booking for another organisation’s case, whatever its relay', async () => {
    const before = await counts();
    const res = await t.request('POST', '/api/consultations', {
      token: otherStaff,
      body: relayBooking(chicago(6, 5, 9)),
    });
    expect(res.status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  describe('the relay’s time is taken', () => {
    it('refuses a normal booking of the relay interpreter at that time (INTERPRETER_DOUBLE_BOOKED)', async () => {
      const before = await counts();
      const res = await t.request('POST', '/api/consultations', {
        token: staff,
        body: wilnerBooking(nine(), ids.lucia),
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('INTERPRETER_DOUBLE_BOOKED');
      expect(await counts()).toEqual(before);
    });

    it('does not suggest her then, and does after the call', async () => {
      const day = DateTime.fromISO(nine()).setZone('America/Chicago').toISODate();
      const res = await t.request(
        'GET',
        `/api/scheduling/suggestions?caseId=${ids.wilnerCase}&attorneyId=${ids.thomas}&date=${day}&language=es&durationMinutes=60&stepMinutes=60`,
        { token: staff },
      );
      expect(res.status).toBe(200);
      const slot = (hour: number) =>
        (res.body.slots as { startsAt: string; interpreters: { id: string }[] }[]).find(
          (s) => s.startsAt === chicago(6, 2, hour),
        );
      expect(slot(9)?.interpreters.map((i) => i.id) ?? []).not.toContain(ids.lucia);
      expect(slot(10)?.interpreters.map((i) => i.id)).toContain(ids.lucia);
    });

    it('refuses to move another call of hers onto it, and moves nothing', async () => {
      const later = await t.request('POST', '/api/consultations', {
        token: staff,
        body: wilnerBooking(chicago(6, 2, 14), ids.lucia),
      });
      expect(later.status).toBe(201);
      const id = later.body.consultation.id as string;
      wilnersLater = id;
      const res = await t.request('POST', `/api/consultations/${id}/reschedule`, {
        token: staff,
        body: { startsAt: chicago(6, 2, 9) },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('INTERPRETER_DOUBLE_BOOKED');
      const stored = await t.database.prisma.consultation.findUniqueOrThrow({ where: { id } });
      expect(stored.startsAt.toISOString()).toBe(chicago(6, 2, 14));
    });

    it('moves the relay with the call: refused where she is busy, allowed where both are free', async () => {
      const before = await t.database.prisma.consultation.findUniqueOrThrow({ where: { id: relayed } });
      const busy = await t.request('POST', `/api/consultations/${relayed}/reschedule`, {
        token: staff,
        body: { startsAt: chicago(6, 2, 14) },
      });
      expect(busy.status).toBe(409);
      expect(busy.body.error.code).toBe('INTERPRETER_DOUBLE_BOOKED');
      const unchanged = await t.database.prisma.consultation.findUniqueOrThrow({ where: { id: relayed } });
      expect(unchanged.startsAt).toEqual(before.startsAt);

      const free = await t.request('POST', `/api/consultations/${relayed}/reschedule`, {
        token: staff,
        body: { startsAt: chicago(6, 2, 10) },
      });
      expect(free.status).toBe(200);
      expect(free.body.consultation.furtherInterpreters.map((f: { id: string }) => f.id)).toEqual([
        ids.lucia,
      ]);
      // Lucía is free at 09:00 again: Wilner's call may have her then.
      const back = await t.request('POST', `/api/consultations/${relayed}/reschedule`, {
        token: staff,
        body: { startsAt: nine() },
      });
      expect(back.status).toBe(200);
    });

    it.each([
      ['the relay as the call’s own interpreter too', () => ids.lucia],
      ['no interpreter while the relay stays', () => null],
    ])('refuses to reschedule with %s (CONFLICT), changing nothing', async (_name, interpreterId) => {
      const res = await t.request('POST', `/api/consultations/${relayed}/reschedule`, {
        token: staff,
        body: { startsAt: chicago(6, 2, 10), interpreterId: interpreterId() },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CONFLICT');
      const stored = await t.database.prisma.consultation.findUniqueOrThrow({ where: { id: relayed } });
      expect(stored.interpreterId).toBe(ids.ixchel);
      expect(stored.startsAt.toISOString()).toBe(nine());
    });

    it('lists the call in the relay’s own schedule with her role, and not in another interpreter’s', async () => {
      const mine = await t.request('GET', '/api/consultations?status=OPEN&limit=100', {
        token: tokens.lucia,
      });
      expect(mine.status).toBe(200);
      const found = (mine.body.items as { id: string; furtherInterpreters: unknown }[]).find(
        (c) => c.id === relayed,
      );
      expect(found?.furtherInterpreters).toEqual([
        { id: ids.lucia, name: 'Lucía Ramírez', pair: ['en', 'es'], kind: 'RELAY' },
      ]);
      const one = await t.request('GET', `/api/consultations/${relayed}`, { token: tokens.lucia });
      expect(one.status).toBe(200);
      expect(one.body.consultation.kioskPin).toBeNull();
      const byIxchel = await t.request('GET', `/api/consultations/${relayed}`, { token: tokens.ixchel });
      expect(byIxchel.status).toBe(200);
      const byJean = await t.request('GET', `/api/consultations/${relayed}`, { token: tokens.jean });
      expect(byJean.status).toBe(404);
      const jeans = await t.request('GET', '/api/consultations?status=OPEN&limit=100', {
        token: tokens.jean,
      });
      expect((jeans.body.items as { id: string }[]).map((c) => c.id)).not.toContain(relayed);
      // Staff filtering by interpreter find the calls she relays too.
      const filtered = await t.request('GET', `/api/consultations?interpreterId=${ids.lucia}&limit=100`, {
        token: staff,
      });
      expect((filtered.body.items as { id: string }[]).map((c) => c.id)).toContain(relayed);
    });

    it('puts the call in the relay’s private calendar feed', async () => {
      const created = await t.request('POST', '/api/calendar/feed', { token: tokens.lucia });
      expect(created.status).toBe(201);
      const feed = await fetch(`${t.url}${new URL(created.body.url as string).pathname}`);
      expect(feed.status).toBe(200);
      const start = DateTime.fromISO(nine()).setZone('America/Chicago').toFormat("yyyyMMdd'T'HHmmss");
      expect(await feed.text()).toContain(`DTSTART;TZID=America/Chicago:${start}`);
    });

    it('logs the relay’s removal (metadata only); she then neither sees the call nor is busy then', async () => {
      const gone = await t.request('DELETE', `/api/consultations/${relayed}/interpreters/${ids.lucia}`, {
        token: staff,
      });
      expect(gone.status).toBe(200);
      const events = await eventsOf(relayed);
      expect(events.at(-1)).toEqual({
        type: 'FURTHER_INTERPRETER_REMOVED',
        actorRole: 'STAFF',
        payload: { interpreterId: ids.lucia, kind: 'RELAY' },
      });
      const one = await t.request('GET', `/api/consultations/${relayed}`, { token: tokens.lucia });
      expect(one.status).toBe(404);
      const moved = await t.request('POST', `/api/consultations/${wilnersLater}/reschedule`, {
        token: staff,
        body: { startsAt: nine() },
      });
      expect(moved.status).toBe(200);
    });

    it('logs a booth partner added later, and its removal', async () => {
      const call = await t.request('POST', '/api/consultations', {
        token: staff,
        body: relayBooking(chicago(7, 2, 9), { relay: undefined }),
      });
      expect(call.status).toBe(201);
      const id = call.body.consultation.id as string;
      const partner = await t.request('POST', `/api/consultations/${id}/interpreters`, {
        token: staff,
        body: { interpreterId: ids.jean, kind: 'RELAY', pivotLanguage: 'es' },
      });
      // Jean speaks neither: refused, and nothing logged.
      expect(partner.status).toBe(409);
      expect((await eventsOf(id)).map((e) => e.type)).toEqual(['CONSULTATION_SCHEDULED']);
      const relay = await t.request('POST', `/api/consultations/${id}/interpreters`, {
        token: staff,
        body: { interpreterId: ids.lucia, kind: 'RELAY', pivotLanguage: 'es' },
      });
      expect(relay.status).toBe(201);
      const removed = await t.request('DELETE', `/api/consultations/${id}/interpreters/${ids.lucia}`, {
        token: staff,
      });
      expect(removed.status).toBe(200);
      expect((await eventsOf(id)).map((e) => e.type)).toEqual([
        'CONSULTATION_SCHEDULED',
        'FURTHER_INTERPRETER_ADDED',
        'FURTHER_INTERPRETER_REMOVED',
      ]);
      // The call's own interpreter is not a further one: not found, nothing logged.
      const own = await t.request('DELETE', `/api/consultations/${id}/interpreters/${ids.ixchel}`, {
        token: staff,
      });
      expect(own.status).toBe(404);
      expect(await eventsOf(id)).toHaveLength(3);
    });
  });
});

const onPostgres = testDatabaseUrl() !== undefined;
const RACERS = 8;

describe.skipIf(!onPostgres)(
  'racing for one interpreter as own and as further interpreter (PostgreSQL)',
  () => {
    it(`lets exactly one of ${RACERS} bookings and ${RACERS} relay additions take Lucía at the same time`, async () => {
      const db = t.database.prisma;
      const lasalle = await db.facility.findFirstOrThrow({ where: { code: 'LASALLE' } });
      await db.facility.update({ where: { id: lasalle.id }, data: { booths: 50 } });
      const organizationId = lasalle.organizationId;
      const startsAt = chicago(8, 3, 9);
      const bookings: object[] = [];
      const additions: string[] = [];
      for (let n = 0; n < RACERS * 2; n++) {
        const attorney = await db.user.create({
          data: {
            organizationId,
            email: `relay-racer${n}@parley.test`,
            name: `Relay Racer ${n}`,
            role: 'ATTORNEY',
            barNumber: `LA-7${n}`,
            passwordHash: 'x',
          },
        });
        const client = await db.client.create({
          data: {
            organizationId,
            firstName: 'Relay',
            lastName: `Client ${n}`,
            aNumber: String(310_000_000 + n),
            preferredLanguage: 'mam',
            facilityId: lasalle.id,
          },
        });
        const theCase = await db.case.create({
          data: {
            organizationId,
            clientId: client.id,
            reference: `RELAY-RACE-${n}`,
            title: 'Race',
            attorneys: { create: { attorneyId: attorney.id } },
          },
        });
        if (n < RACERS) {
          bookings.push({
            caseId: theCase.id,
            attorneyId: attorney.id,
            interpreterId: ids.lucia,
            language: 'es',
            startsAt,
            durationMinutes: 60,
          });
        } else {
          // A Mam call already booked with its own interpreter (written directly: only Lucía is raced for).
          const call = await db.consultation.create({
            data: {
              organizationId,
              caseId: theCase.id,
              clientId: client.id,
              facilityId: lasalle.id,
              attorneyId: attorney.id,
              interpreterId: ids.ixchel,
              language: 'mam',
              startsAt: new Date(startsAt),
              endsAt: new Date(Date.parse(startsAt) + 3_600_000),
              kioskPin: String(810_000 + n),
              createdById: attorney.id,
              status: 'SCHEDULED',
            },
          });
          additions.push(call.id);
        }
      }
      const results = await Promise.all([
        ...bookings.map((body) => t.request('POST', '/api/consultations', { token: staff, body })),
        ...additions.map((id) =>
          t.request('POST', `/api/consultations/${id}/interpreters`, {
            token: staff,
            body: { interpreterId: ids.lucia, kind: 'RELAY', pivotLanguage: 'es' },
          }),
        ),
      ]);
      const winners = results.filter((r) => r.status === 201);
      const codes = results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body?.error?.code}`);
      expect(winners).toHaveLength(1);
      expect(codes).toEqual(Array(RACERS * 2 - 1).fill('409 INTERPRETER_DOUBLE_BOOKED'));
      const own = await db.consultation.count({
        where: { interpreterId: ids.lucia, startsAt: new Date(startsAt) },
      });
      const further = await db.consultationInterpreter.count({
        where: { interpreterId: ids.lucia, consultation: { startsAt: new Date(startsAt) } },
      });
      expect(own + further).toBe(1);
    });
  },
);
