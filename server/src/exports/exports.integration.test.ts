import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { SessionLogWriter } from '../sessionLog/SessionLogWriter.ts';
import { callEvents, seedConsultation, type SeededConsultation } from '../sessionLog/sessionLogFixtures.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { ExportRepository } from './ExportRepository.ts';

let t: TestServer;
let tokens: Record<'staff' | 'admin' | 'attorney' | 'otherAttorney' | 'interpreter' | 'otherStaff', string>;
let ours: SeededConsultation[];
let theirs: SeededConsultation;

const RANGE = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

/** Gives the second organisation a client, a case and a consultation in the export range. */
async function seedOtherOrganizationCall(): Promise<SeededConsultation> {
  const db = t.database.prisma;
  const org = await db.organization.findUniqueOrThrow({ where: { slug: 'other-legal-aid' } });
  const facility = await db.facility.findFirstOrThrow({ where: { organizationId: org.id } });
  const attorney = await db.user.findUniqueOrThrow({ where: { email: OTHER_ORG_USERS.attorney } });
  const client = await db.client.create({
    data: {
      organizationId: org.id,
      firstName: 'Otro',
      lastName: 'Cliente',
      aNumber: '999888777',
      preferredLanguage: 'es',
      facilityId: facility.id,
    },
  });
  await db.case.create({
    data: {
      organizationId: org.id,
      clientId: client.id,
      reference: 'OT-2026-0001',
      title: 'Other',
      attorneys: { create: { attorneyId: attorney.id } },
    },
  });
  return seedConsultation(db, {
    caseReference: 'OT-2026-0001',
    interpreterEmail: OTHER_ORG_USERS.interpreter,
    startsAt: new Date('2026-03-10T15:00:00Z'),
  });
}

beforeAll(async () => {
  t = await startTestServer();
  const [staff, admin, attorney, otherAttorney, interpreter, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('admin@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login('probono@parley.demo'),
    t.login('interpreter@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  tokens = { staff, admin, attorney, otherAttorney, interpreter, otherStaff };
  const db = t.database.prisma;
  ours = [];
  // Three calls at the same instant on different cases: ties the keyset pagination must break by id.
  for (const [reference, interpreterEmail] of [
    ['GS-2026-0101', 'interpreter@parley.demo'],
    ['GS-2026-0102', 'mayan@parley.demo'],
    ['GS-2026-0103', 'mayan@parley.demo'],
  ] as const) {
    ours.push(
      await seedConsultation(db, {
        caseReference: reference,
        interpreterEmail,
        startsAt: new Date('2026-03-10T15:00:00Z'),
      }),
    );
  }
  ours.push(
    await seedConsultation(db, {
      caseReference: 'GS-2026-0101',
      interpreterEmail: 'interpreter@parley.demo',
      startsAt: new Date('2026-03-20T15:00:00Z'),
    }),
  );
  // Outside the range: must not be exported.
  await seedConsultation(db, {
    caseReference: 'GS-2026-0101',
    interpreterEmail: 'interpreter@parley.demo',
    startsAt: new Date('2026-04-01T15:00:00Z'),
  });
  theirs = await seedOtherOrganizationCall();
  const writer = new SessionLogWriter({ db, logger: createLogger('silent') });
  for (const c of [...ours, theirs]) for (const event of callEvents(c)) writer.record(event);
  await writer.close();
});
afterAll(async () => {
  await t?.close();
});

describe('GET /api/consultations/:id/case-note', () => {
  it('gives staff and the case’s attorney a plain-text note in the facility’s zone, and logs the read', async () => {
    const c = ours[0]!;
    const count = () =>
      t.database.prisma.caseAccessLog.count({ where: { caseId: c.caseId, action: 'CASE_NOTE' } });
    const before = await count();
    for (const token of [tokens.staff, tokens.attorney]) {
      const res = await t.request('GET', `/api/consultations/${c.id}/case-note`, { token });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const note = res.body as string;
      expect(note).toContain('Case: GS-2026-0101');
      // 10 March 2026 is after the switch to daylight time in Natchez.
      expect(note).toContain('Booked: Tuesday 10 March 2026, 10:00 AM CDT to 11:00 AM CDT');
      expect(note).toContain('- Lucía Ramírez (interpreter): connected 39 min');
      expect(note).toContain('Interpreter minutes: 39');
      expect(note).toContain('Connection problems: 1 drop, 1 reconnection, 1 quality warning');
      expect(note).toContain('hash chain intact');
    }
    expect(await count()).toBe(before + 2);
  });

  it('refuses the wrong people and bad input, and logs nothing for them', async () => {
    const c = ours[0]!;
    const before = await t.database.prisma.caseAccessLog.count();
    const refusals: [string | undefined, string, number, string][] = [
      [undefined, c.id, 401, 'UNAUTHENTICATED'],
      [tokens.interpreter, c.id, 403, 'FORBIDDEN_ROLE'],
      [tokens.otherAttorney, c.id, 403, 'NOT_ASSIGNED_TO_CASE'],
      [tokens.otherStaff, c.id, 404, 'NOT_FOUND'],
      [tokens.staff, theirs.id, 404, 'NOT_FOUND'],
      [tokens.staff, 'nope', 400, 'VALIDATION_FAILED'],
    ];
    for (const [token, id, status, code] of refusals) {
      const res = await t.request('GET', `/api/consultations/${id}/case-note`, token ? { token } : {});
      expect([res.status, res.body.error?.code]).toEqual([status, code]);
    }
    expect(await t.database.prisma.caseAccessLog.count()).toBe(before);
  });
});

describe('GET /api/exports/consultations.{csv,json}', () => {
  it('streams the organisation’s consultations in the range as CSV', async () => {
    const res = await fetch(`${t.url}/api/exports/consultations.csv?${RANGE}`, {
      headers: { Authorization: `Bearer ${tokens.staff}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'consultationId,caseReference,facility,startsAt,endsAt,status,language,mode,attorney,interpreter,actualStart,actualEnd,durationMinutes,interpreterMinutes,reconnections,qualityWarnings',
    );
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => r[0]).sort()).toEqual(ours.map((c) => c.id).sort());
    const first = rows.find((r) => r[0] === ours[0]!.id)!;
    expect(first.slice(1, 2)).toEqual(['GS-2026-0101']);
    expect(first.slice(-4)).toEqual(['40', '39', '1', '1']);
  });

  it('gives the same rows as JSON, oldest first, ties broken by id', async () => {
    const res = await t.request('GET', `/api/exports/consultations.json?${RANGE}`, { token: tokens.admin });
    expect(res.status).toBe(200);
    const ids = res.body.items.map((row: { consultationId: string }) => row.consultationId);
    const tied = ours
      .slice(0, 3)
      .map((c) => c.id)
      .sort();
    expect(ids).toEqual([...tied, ours[3]!.id]);
    expect(res.body.items[0]).not.toHaveProperty('client');
  });

  it('reads page after page without skipping or repeating a row, ties included', async () => {
    const repo = new ExportRepository(t.database.prisma);
    const pages: string[][] = [];
    const range = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
    for await (const page of repo.consultationPages(ours[0]!.organizationId, range, 2))
      pages.push(page.map((c) => c.id));
    expect(pages.map((p) => p.length)).toEqual([2, 2]);
    expect(pages.flat()).toEqual([
      ...ours
        .slice(0, 3)
        .map((c) => c.id)
        .sort(),
      ours[3]!.id,
    ]);
  });

  it('never shows another organisation’s consultations', async () => {
    const res = await t.request('GET', `/api/exports/consultations.json?${RANGE}`, {
      token: tokens.otherStaff,
    });
    expect(res.body.items.map((r: { consultationId: string }) => r.consultationId)).toEqual([theirs.id]);
    const ourExport = await t.request('GET', `/api/exports/consultations.json?${RANGE}`, {
      token: tokens.staff,
    });
    expect(JSON.stringify(ourExport.body)).not.toContain(theirs.id);
  });
});

describe('GET /api/exports/interpreter-minutes.{csv,json}', () => {
  it('adds up each interpreter’s minutes over the range', async () => {
    const res = await t.request('GET', `/api/exports/interpreter-minutes.json?${RANGE}`, {
      token: tokens.staff,
    });
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((r: { interpreter: string; consultations: number; interpreterMinutes: number }) => [
        r.interpreter,
        r.consultations,
        r.interpreterMinutes,
      ]),
    ).toEqual([
      ['Ixchel Tzul', 2, 78],
      ['Lucía Ramírez', 2, 78],
    ]);
    const csv = await t.request('GET', `/api/exports/interpreter-minutes.csv?${RANGE}`, {
      token: tokens.staff,
    });
    expect((csv.body as string).split('\r\n')[1]).toMatch(/^[0-9a-f-]{36},Ixchel Tzul,2,78$/);
  });
});

describe('exports refuse', () => {
  it.each([
    ['attorneys', 'attorney', `consultations.csv?${RANGE}`, 403, 'FORBIDDEN_ROLE'],
    ['interpreters', 'interpreter', `interpreter-minutes.json?${RANGE}`, 403, 'FORBIDDEN_ROLE'],
    ['a missing range', 'staff', 'consultations.csv', 400, 'VALIDATION_FAILED'],
    [
      'an inverted range',
      'staff',
      'consultations.json?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      400,
      'VALIDATION_FAILED',
    ],
    [
      'more than 400 days',
      'staff',
      'consultations.json?from=2025-01-01T00:00:00Z&to=2026-04-01T00:00:00Z',
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a date without a zone',
      'staff',
      'consultations.json?from=2026-03-01T00:00:00&to=2026-04-01T00:00:00Z',
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown parameter',
      'staff',
      `consultations.json?${RANGE}&organizationId=x`,
      400,
      'VALIDATION_FAILED',
    ],
    ['an unknown format', 'staff', `consultations.xml?${RANGE}`, 400, 'VALIDATION_FAILED'],
  ] as const)('%s', async (_name, who, path, status, code) => {
    const res = await t.request('GET', `/api/exports/${path}`, { token: tokens[who] });
    expect([res.status, res.body.error.code]).toEqual([status, code]);
  });

  it('anyone signed out', async () => {
    expect((await t.request('GET', `/api/exports/consultations.csv?${RANGE}`)).status).toBe(401);
  });
});
