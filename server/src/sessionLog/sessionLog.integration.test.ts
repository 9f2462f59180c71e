import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { appendSessionEvents } from './appendSessionEvent.ts';
import { callEvents, seedConsultation, type SeededConsultation } from './sessionLogFixtures.ts';

const run = promisify(execFile);
const SERVER_DIR = resolve(import.meta.dirname, '../..');

let t: TestServer;
let staff: string;
let attorney: string;
let otherAttorney: string;
let interpreter: string;
let otherStaff: string;
let consultation: SeededConsultation;

beforeAll(async () => {
  t = await startTestServer();
  [staff, attorney, otherAttorney, interpreter, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login('probono@parley.demo'),
    t.login('interpreter@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  consultation = await seedConsultation(t.database.prisma, {
    caseReference: 'GS-2026-0101',
    interpreterEmail: 'interpreter@parley.demo',
    startsAt: new Date('2026-03-10T15:00:00Z'),
  });
  await t.database.prisma.$transaction((tx) => appendSessionEvents(tx, callEvents(consultation)));
});
afterAll(async () => {
  await t?.close();
});

const verifyPath = (id: string) => `/api/consultations/${id}/log/verify`;

/**
 * Runs `sql` with the append-only triggers switched off: what someone with the owner's keys could do
 * (the app's own role cannot: db/leastPrivilege.integration.test.ts).
 */
async function tamper(sql: string): Promise<void> {
  await t.database.ownerPrisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('ALTER TABLE "SessionEvent" DISABLE TRIGGER "SessionEvent_append_only"');
    await tx.$executeRawUnsafe(sql);
    await tx.$executeRawUnsafe('ALTER TABLE "SessionEvent" ENABLE TRIGGER "SessionEvent_append_only"');
  });
}

// As the owner: the triggers hold even for the role that owns the tables (the app's role is not
// even granted UPDATE or DELETE; db/leastPrivilege.integration.test.ts).
describe('the session log is append-only in the database', () => {
  it('refuses an UPDATE of an event and leaves it unchanged', async () => {
    const before = await t.database.ownerPrisma.sessionEvent.findFirstOrThrow({
      where: { consultationId: consultation.id, seq: 2 },
    });
    await expect(
      t.database.ownerPrisma.$executeRawUnsafe(
        `UPDATE "SessionEvent" SET "type" = 'CALL_ENDED' WHERE "id" = '${before.id}'`,
      ),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(
      t.database.ownerPrisma.sessionEvent.update({ where: { id: before.id }, data: { actorRole: 'STAFF' } }),
    ).rejects.toThrow(/append-only/);
    const after = await t.database.ownerPrisma.sessionEvent.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toEqual(before);
  });

  it('refuses a DELETE and a TRUNCATE of events', async () => {
    const count = () =>
      t.database.ownerPrisma.sessionEvent.count({ where: { consultationId: consultation.id } });
    const before = await count();
    await expect(
      t.database.ownerPrisma.$executeRawUnsafe(
        `DELETE FROM "SessionEvent" WHERE "consultationId" = '${consultation.id}' AND "seq" = 3`,
      ),
    ).rejects.toThrow(/append-only: DELETE/);
    await expect(
      t.database.ownerPrisma.sessionEvent.deleteMany({ where: { consultationId: consultation.id } }),
    ).rejects.toThrow(/append-only/);
    await expect(t.database.ownerPrisma.$executeRawUnsafe('TRUNCATE "SessionEvent"')).rejects.toThrow(
      /append-only: TRUNCATE/,
    );
    expect(await count()).toBe(before);
  });

  it('refuses an UPDATE and a DELETE of the case access log', async () => {
    const db = t.database.ownerPrisma;
    const user = await db.user.findUniqueOrThrow({ where: { email: 'staff@parley.demo' } });
    const row = await db.caseAccessLog.create({
      data: {
        organizationId: consultation.organizationId,
        caseId: consultation.caseId,
        userId: user.id,
        role: 'STAFF',
        action: 'CASE_RECORD',
      },
    });
    await expect(
      db.caseAccessLog.update({ where: { id: row.id }, data: { accessedAt: new Date(0) } }),
    ).rejects.toThrow(/append-only/);
    await expect(db.caseAccessLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    expect(await db.caseAccessLog.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
  });
});

describe('GET /api/consultations/:id/log/verify', () => {
  it('confirms an intact chain to staff and to the case’s attorney', async () => {
    for (const token of [staff, attorney]) {
      const res = await t.request('GET', verifyPath(consultation.id), { token });
      expect(res.status).toBe(200);
      expect(res.body.verification).toMatchObject({
        consultationId: consultation.id,
        valid: true,
        events: 11,
        firstBrokenSeq: null,
      });
      expect(res.body.verification.headHash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('refuses the wrong people and bad input', async () => {
    const cases: [string | undefined, string, number, string][] = [
      [undefined, consultation.id, 401, 'UNAUTHENTICATED'],
      [interpreter, consultation.id, 403, 'FORBIDDEN_ROLE'],
      [otherAttorney, consultation.id, 403, 'NOT_ASSIGNED_TO_CASE'],
      [otherStaff, consultation.id, 404, 'NOT_FOUND'],
      [staff, 'not-a-uuid', 400, 'VALIDATION_FAILED'],
      [staff, '00000000-0000-4000-8000-000000000000', 404, 'NOT_FOUND'],
    ];
    for (const [token, id, status, code] of cases) {
      const res = await t.request('GET', verifyPath(id), token ? { token } : {});
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    }
  });

  it('finds a row altered behind the application’s back, through the API and the CLI', async () => {
    const tampered = await seedConsultation(t.database.prisma, {
      caseReference: 'GS-2026-0101',
      interpreterEmail: 'interpreter@parley.demo',
      startsAt: new Date('2026-03-11T15:00:00Z'),
    });
    await t.database.prisma.$transaction((tx) => appendSessionEvents(tx, callEvents(tampered)));
    const intact = await t.request('GET', verifyPath(tampered.id), { token: staff });
    expect(intact.body.verification.valid).toBe(true);

    // Shrink the quality warning (seq 8): the kind of quiet edit tamper evidence exists for.
    await tamper(
      `UPDATE "SessionEvent" SET "payload" = jsonb_set("payload", '{lossPct}', '0')
       WHERE "consultationId" = '${tampered.id}' AND "seq" = 8`,
    );
    const res = await t.request('GET', verifyPath(tampered.id), { token: staff });
    expect(res.body.verification).toMatchObject({
      valid: false,
      events: 11,
      firstBrokenSeq: 8,
      problem: 'HASH_MISMATCH',
    });
    // The untouched consultation still verifies.
    expect(
      (await t.request('GET', verifyPath(consultation.id), { token: staff })).body.verification.valid,
    ).toBe(true);

    if (t.database.url) {
      // The CLI needs a database another process can open: PostgreSQL only.
      const env = { ...process.env, DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' };
      const ok = await run('npx', ['tsx', 'src/sessionLog/verifyLogCli.ts', consultation.id], {
        cwd: SERVER_DIR,
        env,
      });
      expect(ok.stdout).toMatch(/^OK: 11 events, chain intact/);
      const broken = await run('npx', ['tsx', 'src/sessionLog/verifyLogCli.ts', tampered.id], {
        cwd: SERVER_DIR,
        env,
      }).catch((err: { code: number; stdout: string }) => err);
      expect(broken).toMatchObject({ code: 1 });
      expect(broken.stdout).toMatch(/^BROKEN: HASH_MISMATCH at event 8 of 11/);
    }
  });

  it('finds a deleted row', async () => {
    const gap = await seedConsultation(t.database.prisma, {
      caseReference: 'GS-2026-0101',
      interpreterEmail: 'interpreter@parley.demo',
      startsAt: new Date('2026-03-12T15:00:00Z'),
    });
    await t.database.prisma.$transaction((tx) => appendSessionEvents(tx, callEvents(gap)));
    await tamper(`DELETE FROM "SessionEvent" WHERE "consultationId" = '${gap.id}' AND "seq" = 5`);
    const res = await t.request('GET', verifyPath(gap.id), { token: attorney });
    expect(res.body.verification).toMatchObject({ valid: false, firstBrokenSeq: 6, problem: 'SEQUENCE_GAP' });
  });
});
