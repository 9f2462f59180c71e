import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { sessionLogFor } from '../sessionLog/sessionLogFor.ts';
import { seedConsultation, type SeededConsultation } from '../sessionLog/sessionLogFixtures.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';

/** The case page's actions: one case's export, and "send the case note to the case system now". */

let t: TestServer;
let tokens: Record<'staff' | 'admin' | 'attorney' | 'otherStaff', string>;
let caseId: string;
let held: SeededConsultation;
let upcoming: SeededConsultation;
let elsewhere: SeededConsultation;
const received: { body: string; signature: string | undefined }[] = [];
let receiver: Server;

beforeAll(async () => {
  t = await startTestServer();
  const [staff, admin, attorney, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('admin@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  tokens = { staff, admin, attorney, otherStaff };
  const db = t.database.prisma;
  caseId = (await db.case.findFirstOrThrow({ where: { reference: 'GS-2026-0101' } })).id;
  held = await seedConsultation(db, {
    caseReference: 'GS-2026-0101',
    startsAt: new Date('2026-03-10T15:00:00Z'),
  });
  await db.consultation.update({ where: { id: held.id }, data: { status: 'COMPLETED' } });
  upcoming = await seedConsultation(db, {
    caseReference: 'GS-2026-0101',
    startsAt: new Date(Date.now() + 20 * 86_400_000),
  });
  elsewhere = await seedConsultation(db, {
    caseReference: 'GS-2026-0102',
    startsAt: new Date('2026-03-11T15:00:00Z'),
  });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['webhook-signature'] as string | undefined,
      });
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await t?.close();
});

const idle = () => sessionLogFor({ db: t.database.prisma, logger: createLogger('silent') }).idle();
const deliveries = () => t.database.prisma.webhookDelivery.count();

describe('GET /api/exports/cases/:id/consultations.{csv,json}', () => {
  it('exports every consultation of the case and nothing else, as CSV and JSON', async () => {
    const csv = await fetch(`${t.url}/api/exports/cases/${caseId}/consultations.csv`, {
      headers: { Authorization: `Bearer ${tokens.staff}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="consultations-GS-2026-0101.csv"',
    );
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^consultationId,caseReference,facility,/);
    const ids = lines.slice(1).map((l) => l.split(',')[0]);
    expect(ids).toEqual(expect.arrayContaining([held.id, upcoming.id]));
    expect(ids).not.toContain(elsewhere.id);
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'GS-2026-0101')).toBe(true);

    const json = await t.request('GET', `/api/exports/cases/${caseId}/consultations.json`, {
      token: tokens.admin,
    });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ caseId, caseReference: 'GS-2026-0101' });
    expect(json.body.items.map((r: { consultationId: string }) => r.consultationId).sort()).toEqual(
      [...ids].sort(),
    );
  });

  it.each([
    ['an attorney', 'attorney', (): string => caseId, 'csv', 403, 'FORBIDDEN_ROLE'],
    ["another organisation's staff", 'otherStaff', (): string => caseId, 'json', 404, 'NOT_FOUND'],
    [
      'an unknown case',
      'staff',
      (): string => '00000000-0000-4000-8000-000000000000',
      'csv',
      404,
      'NOT_FOUND',
    ],
    ['a case id that is not one', 'staff', (): string => 'GS-2026-0101', 'csv', 400, 'VALIDATION_FAILED'],
    ['an unknown format', 'staff', (): string => caseId, 'xml', 400, 'VALIDATION_FAILED'],
  ] as const)('refuses %s', async (_name, who, id, format, status, code) => {
    const res = await t.request('GET', `/api/exports/cases/${id()}/consultations.${format}`, {
      token: tokens[who],
    });
    expect([res.status, res.body.error.code]).toEqual([status, code]);
  });
});

describe('POST /api/consultations/:id/case-note/send', () => {
  it('refuses without a case-system connection, changing nothing', async () => {
    const before = await deliveries();
    const res = await t.request('POST', `/api/consultations/${held.id}/case-note/send`, {
      token: tokens.staff,
    });
    expect([res.status, res.body.error.code]).toEqual([409, 'WEBHOOK_NOT_CONFIGURED']);
    expect(await deliveries()).toBe(before);
  });

  it('sends the note through the webhook; a failed delivery is tried again, a delivered one is not sent twice', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notes`;
    const put = await t.request('PUT', '/api/webhooks', {
      token: tokens.admin,
      body: { url, secret: 'case-management-shared-secret-1' },
    });
    expect(put.status).toBe(200);

    const first = await t.request('POST', `/api/consultations/${held.id}/case-note/send`, {
      token: tokens.staff,
    });
    expect(first.status).toBe(200);
    expect(first.body.outcome).toBe('QUEUED');
    await idle();
    const delivery = await t.database.prisma.webhookDelivery.findUniqueOrThrow({
      where: { id: first.body.deliveryId },
    });
    expect(delivery).toMatchObject({
      consultationId: held.id,
      event: 'consultation.case_note',
      status: 'DELIVERED',
    });
    expect(received).toHaveLength(1);
    const note = JSON.parse(received[0]!.body) as {
      case: { reference: string };
      consultation: { id: string };
    };
    expect(note).toMatchObject({ case: { reference: 'GS-2026-0101' }, consultation: { id: held.id } });
    expect(received[0]!.signature).toMatch(/^v1,/);

    // A delivery that failed (its retries spent: the case system was down) is tried again, same message.
    await t.database.prisma.webhookDelivery.update({
      where: { id: first.body.deliveryId },
      data: { status: 'FAILED', deliveredAt: null, lastError: 'HTTP_500' },
    });
    const again = await t.request('POST', `/api/consultations/${held.id}/case-note/send`, {
      token: tokens.admin,
    });
    expect(again.body).toEqual({ deliveryId: first.body.deliveryId, outcome: 'QUEUED' });
    await idle();
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    const delivered = await t.database.prisma.webhookDelivery.findUniqueOrThrow({
      where: { id: first.body.deliveryId },
    });
    expect(delivered.status).toBe('DELIVERED');
    const count = await deliveries();
    const seen = received.length;
    const third = await t.request('POST', `/api/consultations/${held.id}/case-note/send`, {
      token: tokens.staff,
    });
    expect(third.body).toEqual({ deliveryId: first.body.deliveryId, outcome: 'ALREADY_DELIVERED' });
    await idle();
    expect(await deliveries()).toBe(count);
    expect(received.length).toBe(seen);
  });

  it.each([
    ['a call not over yet', 'staff', (): string => upcoming.id, 409, 'CASE_NOTE_NOT_READY'],
    ['an attorney', 'attorney', (): string => held.id, 403, 'FORBIDDEN_ROLE'],
    ["another organisation's staff", 'otherStaff', (): string => held.id, 404, 'NOT_FOUND'],
    ['an unknown call', 'staff', (): string => '00000000-0000-4000-8000-000000000000', 404, 'NOT_FOUND'],
    ['a call id that is not one', 'staff', (): string => 'nope', 400, 'VALIDATION_FAILED'],
  ] as const)('refuses %s and queues nothing', async (_name, who, id, status, code) => {
    const before = await deliveries();
    const res = await t.request('POST', `/api/consultations/${id()}/case-note/send`, { token: tokens[who] });
    expect([res.status, res.body.error.code]).toEqual([status, code]);
    expect(await deliveries()).toBe(before);
  });
});
