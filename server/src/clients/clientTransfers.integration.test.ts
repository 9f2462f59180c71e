import { DateTime, type WeekdayNumbers } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';

let t: TestServer;
let staff: string;
let attorney: string;
let otherStaff: string;
let ids: {
  adams: string;
  jackson: string;
  other: string;
  mariaCase: string;
  maria: string;
  grace: string;
  lucia: string;
};

function chicago(weeksAhead: number, weekday: WeekdayNumbers, hour: number): string {
  return DateTime.now()
    .setZone('America/Chicago')
    .plus({ weeks: weeksAhead })
    .set({ weekday, hour, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
}

const counts = async () => {
  const db = t.database.prisma;
  const [transfers, events, audits, cancelled] = await Promise.all([
    db.clientTransfer.count(),
    db.sessionEvent.count(),
    db.adminAuditEvent.count({ where: { action: 'CLIENT_TRANSFERRED' } }),
    db.consultation.count({ where: { status: 'CANCELLED' } }),
  ]);
  const client = await db.client.findUniqueOrThrow({ where: { id: ids.maria } });
  return { transfers, events, audits, cancelled, facilityId: client.facilityId };
};

async function book(startsAt: string): Promise<string> {
  const res = await t.request('POST', '/api/consultations', {
    token: staff,
    body: {
      caseId: ids.mariaCase,
      attorneyId: ids.grace,
      interpreterId: ids.lucia,
      language: 'es',
      startsAt,
      durationMinutes: 60,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.consultation.id as string;
}

beforeAll(async () => {
  t = await startTestServer();
  [staff, attorney, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  const db = t.database.prisma;
  const facility = (code: string) => db.facility.findFirstOrThrow({ where: { code } }).then((f) => f.id);
  const user = (email: string) => db.user.findUniqueOrThrow({ where: { email } }).then((u) => u.id);
  const theCase = await db.case.findFirstOrThrow({ where: { reference: 'GS-2026-0101' } });
  ids = {
    adams: await facility('ADAMS'),
    jackson: await facility('JACKSON'),
    other: await facility('OTHER'),
    mariaCase: theCase.id,
    maria: theCase.clientId,
    grace: await user('attorney@parley.demo'),
    lucia: await user('interpreter@parley.demo'),
  };
});
afterAll(async () => {
  await t?.close();
});

describe('client transfers', () => {
  it('refuses bad input, other roles and other organisations, changing nothing', async () => {
    const before = await counts();
    const consultationOfOtherClient = await t.database.prisma.consultation.findFirst({
      where: { clientId: { not: ids.maria } },
      select: { id: true },
    });
    const cases: [string, string | undefined, unknown, number, string][] = [
      ['no facility', staff, {}, 400, 'VALIDATION_FAILED'],
      ['a facility id that is not one', staff, { toFacilityId: 'adams' }, 400, 'VALIDATION_FAILED'],
      ['an unknown field', staff, { toFacilityId: ids.jackson, note: 'x' }, 400, 'VALIDATION_FAILED'],
      ['an attorney', attorney, { toFacilityId: ids.jackson }, 403, 'FORBIDDEN_ROLE'],
      ['no sign-in', undefined, { toFacilityId: ids.jackson }, 401, 'UNAUTHENTICATED'],
      ["another organisation's facility", staff, { toFacilityId: ids.other }, 404, 'NOT_FOUND'],
      ["another organisation's staff", otherStaff, { toFacilityId: ids.other }, 404, 'NOT_FOUND'],
      [
        'the facility the client is at',
        staff,
        { toFacilityId: ids.adams },
        409,
        'CLIENT_ALREADY_AT_FACILITY',
      ],
    ];
    if (consultationOfOtherClient) {
      cases.push([
        "another client's call",
        staff,
        { toFacilityId: ids.jackson, consultationId: consultationOfOtherClient.id },
        404,
        'NOT_FOUND',
      ]);
    }
    for (const [name, token, body, status, code] of cases) {
      const res = await t.request('POST', `/api/clients/${ids.maria}/transfers`, {
        ...(token ? { token } : {}),
        body,
      });
      expect(res.status, name).toBe(status);
      expect(res.body.error.code, name).toBe(code);
    }
    const unknown = await t.request('POST', '/api/clients/00000000-0000-4000-8000-000000000000/transfers', {
      token: staff,
      body: { toFacilityId: ids.jackson },
    });
    expect(unknown.status).toBe(404);
    const otherRead = await t.request('GET', `/api/clients/${ids.maria}/transfers`, { token: otherStaff });
    expect(otherRead.status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it('records the move, cancels the calls still to come elsewhere with the reason, logs and audits it', async () => {
    expect((await counts()).facilityId).toBe(ids.adams);
    const first = await book(chicago(3, 2, 9));
    const second = await book(chicago(4, 3, 10));
    const before = await counts();

    const res = await t.request('POST', `/api/clients/${ids.maria}/transfers`, {
      token: staff,
      body: { toFacilityId: ids.jackson, consultationId: first },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.transfer).toMatchObject({
      clientId: ids.maria,
      from: { id: ids.adams },
      to: { id: ids.jackson },
      recordedBy: { name: expect.any(String) },
    });
    expect(res.body.cancelledConsultationIds).toEqual(expect.arrayContaining([first, second]));

    const after = await counts();
    expect(after.transfers).toBe(before.transfers + 1);
    expect(after.audits).toBe(before.audits + 1);
    expect(after.facilityId).toBe(ids.jackson);
    expect(after.cancelled).toBe(before.cancelled + res.body.cancelledConsultationIds.length);

    const view = await t.request('GET', `/api/consultations/${first}`, { token: staff });
    expect(view.body.consultation.status).toBe('CANCELLED');
    expect(view.body.consultation.cancelReason).toMatch(/moved to/);
    const events = await t.database.prisma.sessionEvent.findMany({
      where: { consultationId: first },
      orderBy: { seq: 'asc' },
    });
    expect(events.slice(-2).map((e) => [e.type, e.payload])).toEqual([
      [
        'CLIENT_TRANSFERRED',
        { transferId: res.body.transfer.id, fromFacilityId: ids.adams, toFacilityId: ids.jackson },
      ],
      ['CONSULTATION_CANCELLED', expect.objectContaining({ reasonCode: 'CLIENT_TRANSFERRED' })],
    ]);
    // The facility's pending request for the cancelled call is closed: its link no longer answers.
    const open = await t.database.prisma.facilityConfirmation.count({
      where: { consultationId: { in: [first, second] }, supersededAt: null },
    });
    expect(open).toBe(0);

    // The case page and the client's history show it; the audit names it.
    const record = await t.request('GET', `/api/cases/${ids.mariaCase}`, { token: staff });
    expect(record.body.record.transfers[0]).toMatchObject({
      id: res.body.transfer.id,
      to: { id: ids.jackson },
    });
    expect(record.body.record.client.facility.id).toBe(ids.jackson);
    const cancelled = record.body.record.consultations.find((c: { id: string }) => c.id === first);
    expect(cancelled.timeline.map((e: { type: string }) => e.type)).toContain('CLIENT_TRANSFERRED');
    const history = await t.request('GET', `/api/clients/${ids.maria}/transfers`, { token: staff });
    expect(history.body.items.map((i: { id: string }) => i.id)).toEqual([res.body.transfer.id]);
    const audit = await t.database.prisma.adminAuditEvent.findFirstOrThrow({
      where: { action: 'CLIENT_TRANSFERRED' },
    });
    expect(audit).toMatchObject({ targetType: 'CLIENT', targetId: ids.maria });

    // Rebooking goes to the new facility by default, under the same rules.
    const rebooked = await book(chicago(3, 2, 9));
    const rebookedView = await t.request('GET', `/api/consultations/${rebooked}`, { token: staff });
    expect(rebookedView.body.consultation.facility.id).toBe(ids.jackson);

    // A second move to the same place is refused and changes nothing.
    const beforeAgain = await counts();
    const again = await t.request('POST', `/api/clients/${ids.maria}/transfers`, {
      token: staff,
      body: { toFacilityId: ids.jackson },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CLIENT_ALREADY_AT_FACILITY');
    expect(await counts()).toEqual(beforeAgain);
  });

  it('keeps transfers as recorded: the database refuses to change or remove one', async () => {
    const db = t.database.prisma;
    await expect(
      db.$executeRawUnsafe('UPDATE "ClientTransfer" SET "toFacilityId" = "fromFacilityId"'),
    ).rejects.toThrow();
    await expect(db.$executeRawUnsafe('DELETE FROM "ClientTransfer"')).rejects.toThrow();
    expect(await db.clientTransfer.count()).toBe(1);
  });
});
