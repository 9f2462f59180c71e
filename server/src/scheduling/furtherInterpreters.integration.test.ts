import { DateTime, type WeekdayNumbers } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';

/**
 * Relay interpreters and booth partners of a booking (issue 17), through the REST API on a real
 * database: María's call in Mam with Ixchel (Mam ↔ Spanish), and Lucía relaying Spanish ↔ English.
 */

let t: TestServer;
let staff: string;
let attorney: string;
let ixchelToken: string;
let otherStaff: string;
let ids: {
  mariaCase: string;
  grace: string;
  lucia: string;
  ixchel: string;
  jean: string;
  otherInterpreter: string;
};

function chicago(weeksAhead: number, weekday: WeekdayNumbers, hour: number, minute = 0): string {
  return DateTime.now()
    .setZone('America/Chicago')
    .plus({ weeks: weeksAhead })
    .set({ weekday, hour, minute, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
}

const rowCount = () => t.database.prisma.consultationInterpreter.count();

beforeAll(async () => {
  t = await startTestServer();
  [staff, attorney, ixchelToken, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login('mayan@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  const db = t.database.prisma;
  const user = (email: string) => db.user.findUniqueOrThrow({ where: { email } }).then((u) => u.id);
  ids = {
    mariaCase: (await db.case.findFirstOrThrow({ where: { reference: 'GS-2026-0101' } })).id,
    grace: await user('attorney@parley.demo'),
    lucia: await user('interpreter@parley.demo'),
    ixchel: await user('mayan@parley.demo'),
    jean: await user('kreyol@parley.demo'),
    otherInterpreter: await user(OTHER_ORG_USERS.interpreter),
  };
});
afterAll(async () => {
  await t?.close();
});

async function bookMam(startsAt: string): Promise<string> {
  const res = await t.request('POST', '/api/consultations', {
    token: staff,
    body: {
      caseId: ids.mariaCase,
      attorneyId: ids.grace,
      interpreterId: ids.ixchel,
      language: 'mam',
      startsAt,
      durationMinutes: 60,
    },
  });
  expect(res.status).toBe(201);
  return res.body.consultation.id as string;
}

describe('a booking asks for a relay', () => {
  let consultation: string;

  it('adds Lucía as the English ↔ Spanish relay of a Mam call; the call’s interpreter then covers Spanish ↔ Mam', async () => {
    consultation = await bookMam(chicago(4, 2, 9));
    const res = await t.request('POST', `/api/consultations/${consultation}/interpreters`, {
      token: staff,
      body: { interpreterId: ids.lucia, kind: 'RELAY', pivotLanguage: 'es' },
    });
    expect(res.status).toBe(201);
    expect(res.body.interpreters).toEqual([
      { interpreterId: ids.ixchel, name: 'Ixchel Tzul', pair: ['es', 'mam'], kind: 'FIRST' },
      { interpreterId: ids.lucia, name: 'Lucía Ramírez', pair: ['en', 'es'], kind: 'RELAY' },
    ]);
    // The call's attorney and its interpreters read it; the relay sees herself on it.
    const read = await t.request('GET', `/api/consultations/${consultation}/interpreters`, {
      token: attorney,
    });
    expect(read.status).toBe(200);
    expect(read.body.interpreters).toHaveLength(2);
    const byIxchel = await t.request('GET', `/api/consultations/${consultation}/interpreters`, {
      token: ixchelToken,
    });
    expect(byIxchel.status).toBe(200);
  });

  it.each([
    [
      'a second relay',
      () => ({ interpreterId: ids.jean, kind: 'RELAY', pivotLanguage: 'fr' }),
      409,
      'CONFLICT',
    ],
    ['the same interpreter again', () => ({ interpreterId: ids.lucia, kind: 'PARTNER' }), 409, 'CONFLICT'],
    [
      'a partner without the pair’s language',
      () => ({ interpreterId: ids.jean, kind: 'PARTNER', partnerOf: ids.lucia }),
      409,
      'INTERPRETER_LANGUAGE_MISMATCH',
    ],
    [
      'a partner of someone not on the booking',
      () => ({ interpreterId: ids.jean, kind: 'PARTNER', partnerOf: ids.grace }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a relay without its pivot',
      () => ({ interpreterId: ids.jean, kind: 'RELAY' }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'English as the pivot',
      () => ({ interpreterId: ids.jean, kind: 'RELAY', pivotLanguage: 'en' }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown field',
      () => ({ interpreterId: ids.jean, kind: 'PARTNER', note: 'hi' }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'another organisation’s interpreter',
      () => ({ interpreterId: ids.otherInterpreter, kind: 'PARTNER' }),
      404,
      'NOT_FOUND',
    ],
  ])('refuses %s with a stable code and changes nothing', async (_name, body, status, code) => {
    const before = await rowCount();
    const res = await t.request('POST', `/api/consultations/${consultation}/interpreters`, {
      token: staff,
      body: body(),
    });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await rowCount()).toBe(before);
  });

  it('lets only staff of the organisation change it', async () => {
    const before = await rowCount();
    const body = { interpreterId: ids.jean, kind: 'PARTNER' };
    const byAttorney = await t.request('POST', `/api/consultations/${consultation}/interpreters`, {
      token: attorney,
      body,
    });
    expect(byAttorney.status).toBe(403);
    expect(byAttorney.body.error.code).toBe('FORBIDDEN_ROLE');
    const otherOrg = await t.request('POST', `/api/consultations/${consultation}/interpreters`, {
      token: otherStaff,
      body,
    });
    expect(otherOrg.status).toBe(404);
    const otherRead = await t.request('GET', `/api/consultations/${consultation}/interpreters`, {
      token: otherStaff,
    });
    expect(otherRead.status).toBe(404);
    const removeByAttorney = await t.request(
      'DELETE',
      `/api/consultations/${consultation}/interpreters/${ids.lucia}`,
      { token: attorney },
    );
    expect(removeByAttorney.status).toBe(403);
    expect(await rowCount()).toBe(before);
  });

  it('refuses an interpreter who has another call then, as a further interpreter too', async () => {
    // Lucía relays the first call; a call of another case at the same time (its own interpreter
    // Jean) cannot have her too, though she is not its own interpreter anywhere.
    const db = t.database.prisma;
    const first = await db.consultation.findUniqueOrThrow({ where: { id: consultation } });
    const otherCase = await db.case.findFirstOrThrow({
      where: { reference: { not: 'GS-2026-0101' }, clientId: { not: first.clientId } },
    });
    const third = await db.consultation.create({
      data: {
        organizationId: first.organizationId,
        caseId: otherCase.id,
        clientId: otherCase.clientId,
        facilityId: first.facilityId,
        attorneyId: ids.grace,
        interpreterId: ids.jean,
        language: 'ht',
        startsAt: first.startsAt,
        endsAt: first.endsAt,
        kioskPin: '700700',
        createdById: ids.grace,
        status: 'SCHEDULED',
      },
    });
    const before = await rowCount();
    const busy = await t.request('POST', `/api/consultations/${third.id}/interpreters`, {
      token: staff,
      body: { interpreterId: ids.lucia, kind: 'RELAY', pivotLanguage: 'fr' },
    });
    expect(busy.status).toBe(409);
    expect(busy.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['INTERPRETER_DOUBLE_BOOKED', 'INTERPRETER_LANGUAGE_MISMATCH']),
    );
    expect(await rowCount()).toBe(before);
  });

  it('removes a further interpreter (staff), and an unknown one is not found', async () => {
    const gone = await t.request('DELETE', `/api/consultations/${consultation}/interpreters/${ids.lucia}`, {
      token: staff,
    });
    expect(gone.status).toBe(200);
    expect(gone.body.interpreters).toEqual([
      { interpreterId: ids.ixchel, name: 'Ixchel Tzul', pair: ['en', 'mam'], kind: 'FIRST' },
    ]);
    const again = await t.request('DELETE', `/api/consultations/${consultation}/interpreters/${ids.lucia}`, {
      token: staff,
    });
    expect(again.status).toBe(404);
  });
});

describe('relay suggestions: interpreter pairs free together', () => {
  it('offers Ixchel with Lucía where both are free, and not where Lucía relays another call', async () => {
    const date = DateTime.now().setZone('America/Chicago').plus({ weeks: 5 }).set({ weekday: 3 });
    const day = date.toISODate() as string;
    const query = (extra = '') =>
      `/api/scheduling/relay-suggestions?caseId=${ids.mariaCase}&attorneyId=${ids.grace}&date=${day}&language=mam&pivotLanguage=es&durationMinutes=60&stepMinutes=60${extra}`;
    const res = await t.request('GET', query(), { token: staff });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ language: 'mam', pivotLanguage: 'es' });
    const at = (hour: number) => date.set({ hour, minute: 0, second: 0, millisecond: 0 }).toUTC().toISO();
    const slotAt = (
      body: {
        slots: { startsAt: string; pairs: { interpreter: { id: string }; relay: { id: string } }[] }[];
      },
      hour: number,
    ) => body.slots.find((s) => s.startsAt === at(hour));
    const nine = slotAt(res.body, 9);
    expect(nine?.pairs).toEqual([
      expect.objectContaining({
        interpreter: { id: ids.ixchel, name: 'Ixchel Tzul' },
        relay: { id: ids.lucia, name: 'Lucía Ramírez' },
      }),
    ]);

    // Lucía relays another call at 09:00 that day (a further interpreter, not its own): the pair
    // is not offered then, and still is at 14:00.
    const db = t.database.prisma;
    const maria = await db.case.findFirstOrThrow({ where: { reference: 'GS-2026-0101' } });
    const otherCase = await db.case.findFirstOrThrow({
      where: { reference: { not: 'GS-2026-0101' }, clientId: { not: maria.clientId } },
      include: { client: true },
    });
    const facility = await db.facility.findFirstOrThrow({ where: { code: 'ADAMS' } });
    const other = await db.consultation.create({
      data: {
        organizationId: maria.organizationId,
        caseId: otherCase.id,
        clientId: otherCase.clientId,
        facilityId: facility.id,
        attorneyId: (await db.user.findUniqueOrThrow({ where: { email: 'probono@parley.demo' } })).id,
        interpreterId: ids.jean,
        language: 'ht',
        startsAt: new Date(at(9)!),
        endsAt: new Date(Date.parse(at(9)!) + 3_600_000),
        kioskPin: '700701',
        createdById: ids.grace,
        status: 'SCHEDULED',
      },
    });
    await db.consultationInterpreter.create({
      data: {
        organizationId: maria.organizationId,
        consultationId: other.id,
        interpreterId: ids.lucia,
        languageA: 'en',
        languageB: 'es',
      },
    });
    const after = await t.request('GET', query(), { token: staff });
    expect(after.status).toBe(200);
    expect(slotAt(after.body, 9)).toBeUndefined();
    expect(slotAt(after.body, 14)?.pairs).toHaveLength(1);
  });

  it('refuses English as the pivot, and anyone but staff', async () => {
    const day = DateTime.now().plus({ weeks: 5 }).toISODate();
    const bad = await t.request(
      'GET',
      `/api/scheduling/relay-suggestions?caseId=${ids.mariaCase}&attorneyId=${ids.grace}&date=${day}&pivotLanguage=en`,
      { token: staff },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const byAttorney = await t.request(
      'GET',
      `/api/scheduling/relay-suggestions?caseId=${ids.mariaCase}&attorneyId=${ids.grace}&date=${day}&pivotLanguage=es`,
      { token: attorney },
    );
    expect(byAttorney.status).toBe(403);
  });
});
