import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../testing/testDatabase.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';

/**
 * Many staff booking at the same moment against real PostgreSQL: exactly one may win. PGlite is a
 * single in-process connection, so requests cannot truly race there; these tests run only when
 * TEST_DATABASE_URL points at a PostgreSQL server (as in CI).
 */
const onPostgres = testDatabaseUrl() !== undefined;
const RACERS = 20;

let t: TestServer;
let staff: string;
let organizationId: string;
let facilityId: string;
let interpreterId: string;
/** RACERS independent (case, attorney) pairs, each with its own client at the facility. */
const pairs: { caseId: string; attorneyId: string }[] = [];

function nextTuesdayAt(hour: number, weeksAhead: number): string {
  return DateTime.now()
    .setZone('America/Chicago')
    .plus({ weeks: weeksAhead })
    .set({ weekday: 2, hour, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
}

beforeAll(async () => {
  if (!onPostgres) return;
  t = await startTestServer();
  staff = await t.login('staff@parley.demo');
  const db = t.database.prisma;
  const jackson = await db.facility.findFirstOrThrow({ where: { code: 'JACKSON' } });
  organizationId = jackson.organizationId;
  facilityId = jackson.id;
  expect(jackson.booths).toBe(1);
  interpreterId = (await db.user.findUniqueOrThrow({ where: { email: 'interpreter@parley.demo' } })).id;
  for (let n = 0; n < RACERS; n++) {
    const attorney = await db.user.create({
      data: {
        organizationId,
        email: `racer${n}@parley.test`,
        name: `Racer ${n}`,
        role: 'ATTORNEY',
        barNumber: `MS-9${n}`,
        passwordHash: 'x',
      },
    });
    const client = await db.client.create({
      data: {
        organizationId,
        firstName: 'Racer',
        lastName: `Client ${n}`,
        aNumber: String(300_000_000 + n),
        preferredLanguage: 'es',
        facilityId,
      },
    });
    const theCase = await db.case.create({
      data: {
        organizationId,
        clientId: client.id,
        reference: `RACE-${n}`,
        title: 'Race',
        attorneys: { create: { attorneyId: attorney.id } },
      },
    });
    pairs.push({ caseId: theCase.id, attorneyId: attorney.id });
  }
});
afterAll(async () => {
  await t?.close();
});

async function race(bodies: object[]) {
  const results = await Promise.all(
    bodies.map((body) => t.request('POST', '/api/consultations', { token: staff, body })),
  );
  return {
    winners: results.filter((r) => r.status === 201),
    codes: results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body?.error?.code}`),
  };
}

describe.skipIf(!onPostgres)('concurrent bookings on PostgreSQL', () => {
  it(`lets exactly one of ${RACERS} simultaneous bookings take the last booth`, async () => {
    const startsAt = nextTuesdayAt(9, 3);
    const { winners, codes } = await race(
      pairs.map((p) => ({ ...p, interpreterId: null, language: 'es', startsAt, durationMinutes: 60 })),
    );
    expect(winners).toHaveLength(1);
    expect(codes).toEqual(Array(RACERS - 1).fill('409 BOOTH_UNAVAILABLE'));
    const stored = await t.database.prisma.consultation.count({
      where: { facilityId, startsAt: new Date(startsAt), status: 'REQUESTED' },
    });
    expect(stored).toBe(1);
  });

  it(`lets exactly one of ${RACERS} simultaneous bookings take the same interpreter`, async () => {
    // A facility with booths to spare, so only the interpreter is contended.
    const roomy = await t.database.prisma.facility.update({
      where: { id: facilityId },
      data: { booths: 50 },
    });
    expect(roomy.booths).toBe(50);
    const startsAt = nextTuesdayAt(13, 4);
    const { winners, codes } = await race(
      pairs.map((p) => ({ ...p, interpreterId, language: 'es', startsAt, durationMinutes: 45 })),
    );
    expect(winners).toHaveLength(1);
    expect(codes).toEqual(Array(RACERS - 1).fill('409 INTERPRETER_DOUBLE_BOOKED'));
    expect(
      await t.database.prisma.consultation.count({ where: { interpreterId, startsAt: new Date(startsAt) } }),
    ).toBe(1);
  });

  it('gives every kiosk PIN at the facility once among upcoming calls', async () => {
    const pins = await t.database.prisma.consultation.findMany({
      where: { facilityId, status: { in: ['REQUESTED', 'SCHEDULED', 'IN_PROGRESS'] } },
      select: { kioskPin: true },
    });
    expect(new Set(pins.map((p) => p.kioskPin)).size).toBe(pins.length);
  });
});
