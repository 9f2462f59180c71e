import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { SessionLogWriter } from '../sessionLog/SessionLogWriter.ts';
import { callEvents, seedConsultation, type SeededConsultation } from '../sessionLog/sessionLogFixtures.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';

let t: TestServer;
let tokens: Record<'staff' | 'attorney' | 'otherAttorney' | 'interpreter' | 'kreyol' | 'otherStaff', string>;
let interpreted: SeededConsultation;
let byAnother: SeededConsultation;

beforeAll(async () => {
  t = await startTestServer();
  const [staff, attorney, otherAttorney, interpreter, kreyol, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login('probono@parley.demo'),
    t.login('interpreter@parley.demo'),
    t.login('kreyol@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  tokens = { staff, attorney, otherAttorney, interpreter, kreyol, otherStaff };
  const db = t.database.prisma;
  interpreted = await seedConsultation(db, {
    caseReference: 'GS-2026-0101',
    interpreterEmail: 'interpreter@parley.demo',
    startsAt: new Date('2026-03-10T15:00:00Z'),
  });
  byAnother = await seedConsultation(db, {
    caseReference: 'GS-2026-0101',
    interpreterEmail: 'mayan@parley.demo',
    startsAt: new Date('2026-03-17T15:00:00Z'),
  });
  // The call's events go in the way the live call writes them.
  const writer = new SessionLogWriter({ db, logger: createLogger('silent') });
  for (const event of [...callEvents(interpreted), ...callEvents(byAnother)]) writer.record(event);
  await writer.close();
});
afterAll(async () => {
  await t?.close();
});

const caseId = () => interpreted.caseId;
const accessLogCount = () => t.database.prisma.caseAccessLog.count({ where: { caseId: caseId() } });

describe('GET /api/cases/:id', () => {
  it('shows staff the client, every consultation, its timeline and summary, and logs the read', async () => {
    const before = await accessLogCount();
    const res = await t.request('GET', `/api/cases/${caseId()}`, { token: tokens.staff });
    expect(res.status).toBe(200);
    const { record } = res.body;
    expect(record.access).toBe('full');
    expect(record.case.reference).toBe('GS-2026-0101');
    expect(record.client).toMatchObject({ lastName: 'Hernández López', aNumber: '208114572' });
    expect(record.consultations.map((c: { id: string }) => c.id)).toEqual([byAnother.id, interpreted.id]);
    const call = record.consultations[1];
    expect(call.timeline.map((e: { type: string }) => e.type)).toEqual([
      'CONSULTATION_SCHEDULED',
      'CALL_STARTED',
      'PARTICIPANT_JOINED',
      'PARTICIPANT_JOINED',
      'PARTICIPANT_JOINED',
      'PARTICIPANT_LEFT',
      'PARTICIPANT_RECONNECTED',
      'QUALITY_WARNING',
      'ROUTING_CHANGED',
      'ROUTING_CHANGED',
      'CALL_ENDED',
    ]);
    expect(call.summary).toMatchObject({
      actualStart: '2026-03-10T15:00:00.000Z',
      actualEnd: '2026-03-10T15:40:00.000Z',
      interpreterMinutes: 39,
      reconnections: 1,
      drops: 1,
      qualityWarnings: 1,
      simultaneousSeconds: 600,
      worstQuality: { role: 'CLIENT', maxLossPct: 8 },
    });
    expect(call.integrity).toMatchObject({ valid: true, events: 11 });
    expect(call.names[interpreted.interpreterId!]).toBe('Lucía Ramírez');
    expect(call.names[`client:${interpreted.id}`]).toBe('María José Hernández López');

    expect(await accessLogCount()).toBe(before + 1);
    const staff = await t.database.prisma.user.findUniqueOrThrow({ where: { email: 'staff@parley.demo' } });
    const last = await t.database.prisma.caseAccessLog.findFirstOrThrow({
      where: { caseId: caseId() },
      orderBy: { accessedAt: 'desc' },
    });
    expect(last).toMatchObject({ userId: staff.id, role: 'STAFF', action: 'CASE_RECORD' });
  });

  it('shows the case’s attorney the full record', async () => {
    const res = await t.request('GET', `/api/cases/${caseId()}`, { token: tokens.attorney });
    expect(res.status).toBe(200);
    expect(res.body.record.access).toBe('full');
    expect(res.body.record.consultations).toHaveLength(2);
  });

  it('shows an interpreter only the summaries of the calls they interpreted, and no client data', async () => {
    const res = await t.request('GET', `/api/cases/${caseId()}`, { token: tokens.interpreter });
    expect(res.status).toBe(200);
    const { record } = res.body;
    expect(record.access).toBe('interpreted');
    expect(record.client).toBeNull();
    expect(record.consultations.map((c: { id: string }) => c.id)).toEqual([interpreted.id]);
    expect(record.consultations[0]).toMatchObject({ timeline: null, integrity: null });
    expect(record.consultations[0].summary.interpreterMinutes).toBe(39);
    expect(JSON.stringify(record)).not.toMatch(/208114572|Hernández/);
  });

  it('refuses everyone else, logs nothing for them and leaks nothing', async () => {
    const before = await accessLogCount();
    const refusals: [string | undefined, string, number, string][] = [
      [undefined, caseId(), 401, 'UNAUTHENTICATED'],
      [tokens.otherAttorney, caseId(), 403, 'NOT_ASSIGNED_TO_CASE'],
      [tokens.kreyol, caseId(), 403, 'NOT_IN_CONSULTATION'],
      [tokens.otherStaff, caseId(), 404, 'NOT_FOUND'],
      [tokens.staff, 'GS-2026-0101', 400, 'VALIDATION_FAILED'],
      [tokens.staff, '00000000-0000-4000-8000-000000000000', 404, 'NOT_FOUND'],
    ];
    for (const [token, id, status, code] of refusals) {
      const res = await t.request('GET', `/api/cases/${encodeURIComponent(id)}`, token ? { token } : {});
      expect([res.status, res.body.error.code]).toEqual([status, code]);
      expect(JSON.stringify(res.body)).not.toMatch(/208114572|Hernández/);
    }
    expect(await accessLogCount()).toBe(before);
  });
});

describe('GET /api/cases (the booking form’s case search)', () => {
  it('pages through every match with no cap and finds a case by its client’s A-Number', async () => {
    const db = t.database.prisma;
    const staffOrg = (await db.user.findUniqueOrThrow({ where: { email: 'staff@parley.demo' } }))
      .organizationId;
    const open = await db.case.count({ where: { organizationId: staffOrg, status: 'OPEN' } });
    expect(open).toBeGreaterThan(3);
    const seen: string[] = [];
    for (let offset = 0; offset < open; offset += 3) {
      const res = await t.request('GET', `/api/cases?status=OPEN&limit=3&offset=${offset}`, {
        token: tokens.staff,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: open, limit: 3, offset });
      seen.push(...(res.body.items as { id: string }[]).map((c) => c.id));
    }
    expect(new Set(seen).size).toBe(open);
    expect(seen).toHaveLength(open);

    const theCase = await db.case.findFirstOrThrow({
      where: { reference: 'GS-2026-0101' },
      select: { id: true, client: { select: { aNumber: true } } },
    });
    const a = theCase.client.aNumber;
    const dashed = `A${a.slice(0, 3)}-${a.slice(3, 6)}-${a.slice(6)}`;
    const byNumber = await t.request('GET', `/api/cases?q=${encodeURIComponent(dashed)}`, {
      token: tokens.staff,
    });
    expect(byNumber.status).toBe(200);
    expect((byNumber.body.items as { id: string }[]).map((c) => c.id)).toContain(theCase.id);
    const otherOrg = await t.request('GET', `/api/cases?q=${encodeURIComponent(dashed)}`, {
      token: tokens.otherStaff,
    });
    expect(otherOrg.body.total).toBe(0);
    const tooMany = await t.request('GET', '/api/cases?limit=101', { token: tokens.staff });
    expect(tooMany.status).toBe(400);
  });
});
