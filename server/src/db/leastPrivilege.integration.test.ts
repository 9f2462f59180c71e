import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../generated/prisma/client.ts';
import { createLogger } from '../logger.ts';
import { appendSessionEvents } from '../sessionLog/appendSessionEvent.ts';
import { callEvents, seedConsultation, type SeededConsultation } from '../sessionLog/sessionLogFixtures.ts';
import {
  createTestDatabase,
  TEST_APP_ROLE,
  TEST_OWNER_ROLE,
  testDatabaseUrl,
  type TestDatabase,
} from '../testing/testDatabase.ts';
import { grantAppRole, privilegeWarnings } from './appRole.ts';
import { migratePostgres } from './database.ts';
import { dropDatabase, poolConfigFromUrl } from './migrate.ts';
import { seedDemoData } from './seed.ts';

/**
 * The app's database role (PostgreSQL; PGlite has a single user) can write the session log only by
 * appending: it cannot UPDATE, DELETE or TRUNCATE the append-only tables, nor switch their triggers
 * off, nor rewrite the migration history — while every other integration test shows it can do all
 * the app needs, since they all connect as this role.
 */
describe.runIf(testDatabaseUrl())('the least-privileged app role on PostgreSQL', () => {
  let database: TestDatabase;
  let consultation: SeededConsultation;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoData(database.prisma, createLogger('silent'));
    consultation = await seedConsultation(database.prisma, {
      caseReference: 'GS-2026-0101',
      interpreterEmail: 'interpreter@parley.demo',
      startsAt: new Date('2026-03-10T15:00:00Z'),
    });
    // Appending works: the app role inserts, under the log's advisory locks.
    await database.prisma.$transaction((tx) => appendSessionEvents(tx, callEvents(consultation)));
  });
  afterAll(async () => {
    await database?.close();
  });

  const app = () => database.prisma;

  it('is neither a superuser nor the owner of any table', async () => {
    const [me] = await app().$queryRaw<{ role: string }[]>`SELECT current_user AS role`;
    expect(me?.role).toBe(TEST_APP_ROLE);
    expect(await privilegeWarnings(app())).toEqual([]);
    // The check does see an owner: the owner's own connection is flagged.
    expect(await privilegeWarnings(database.ownerPrisma)).toEqual([
      expect.stringMatching(new RegExp(`${TEST_OWNER_ROLE}, which owns \\d+ tables`)),
    ]);
  });

  it('cannot UPDATE, DELETE or TRUNCATE session events', async () => {
    const count = () => app().sessionEvent.count({ where: { consultationId: consultation.id } });
    const before = await count();
    const id = consultation.id;
    for (const sql of [
      `UPDATE "SessionEvent" SET "type" = 'CALL_ENDED' WHERE "consultationId" = '${id}'`,
      `DELETE FROM "SessionEvent" WHERE "consultationId" = '${id}'`,
      'TRUNCATE "SessionEvent"',
    ]) {
      await expect(app().$executeRawUnsafe(sql), sql).rejects.toThrow(
        /permission denied for table SessionEvent/,
      );
    }
    expect(await count()).toBe(before);
  });

  it('cannot switch the append-only triggers off, drop them, or bypass them by replication role', async () => {
    for (const sql of [
      'ALTER TABLE "SessionEvent" DISABLE TRIGGER "SessionEvent_append_only"',
      'ALTER TABLE "SessionEvent" DISABLE TRIGGER ALL',
      'DROP TRIGGER "SessionEvent_append_only" ON "SessionEvent"',
      'ALTER TABLE "CaseAccessLog" DISABLE TRIGGER "CaseAccessLog_append_only"',
      'ALTER TABLE "CallAttestation" DISABLE TRIGGER "CallAttestation_append_only"',
    ]) {
      await expect(app().$executeRawUnsafe(sql), sql).rejects.toThrow(/must be owner of (table|relation)/);
    }
    await expect(app().$executeRawUnsafe('SET session_replication_role = replica')).rejects.toThrow(
      /permission denied/,
    );
    const [triggers] = await app().$queryRaw<{ enabled: number }[]>`
      SELECT count(*)::int AS enabled FROM pg_trigger
      WHERE tgrelid = '"SessionEvent"'::regclass AND NOT tgisinternal AND tgenabled = 'O'`;
    expect(triggers?.enabled).toBe(2);
  });

  it('cannot change the case access log, call attestations or the migration history', async () => {
    for (const [sql, table] of [
      [`UPDATE "CaseAccessLog" SET "action" = 'CASE_NOTE'`, 'CaseAccessLog'],
      [`DELETE FROM "CaseAccessLog"`, 'CaseAccessLog'],
      [`UPDATE "CallAttestation" SET "signature" = ''`, 'CallAttestation'],
      [`DELETE FROM "CallAttestation"`, 'CallAttestation'],
      [`DELETE FROM "_prisma_migrations"`, '_prisma_migrations'],
      [`UPDATE "_prisma_migrations" SET "checksum" = ''`, '_prisma_migrations'],
    ] as const) {
      await expect(app().$executeRawUnsafe(sql), sql).rejects.toThrow(
        new RegExp(`permission denied for table ${table}`),
      );
    }
  });

  it('can still change ordinary rows', async () => {
    const updated = await app().consultation.update({
      where: { id: consultation.id },
      data: { cancelReason: 'least-privilege check' },
      select: { cancelReason: true },
    });
    expect(updated.cancelReason).toBe('least-privilege check');
  });

  it('migrates a new database as its owner and grants the app role (start-up with MIGRATION_DATABASE_URL)', async () => {
    const serverUrl = testDatabaseUrl()!;
    const serverConfig = poolConfigFromUrl(serverUrl);
    const name = `parley_roles_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client(serverConfig);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" OWNER ${TEST_OWNER_ROLE}`);
    await admin.end();
    const as = (role: string) => {
      const url = new URL(database.ownerUrl!);
      url.username = role;
      url.pathname = `/${name}`;
      return url.toString();
    };
    const fresh = new PrismaClient({ adapter: new PrismaPg({ connectionString: as(TEST_APP_ROLE) }) });
    try {
      await migratePostgres(as(TEST_APP_ROLE), as(TEST_OWNER_ROLE));
      expect(await fresh.user.count()).toBe(0);
      await expect(fresh.$executeRawUnsafe('TRUNCATE "SessionEvent"')).rejects.toThrow(/permission denied/);
      // Idempotent: granting again (every start-up does) changes nothing.
      expect(await grantAppRole(as(TEST_OWNER_ROLE), TEST_APP_ROLE)).toEqual(
        expect.arrayContaining(['CallAttestation', 'CaseAccessLog', 'SessionEvent']),
      );
      expect(await privilegeWarnings(fresh)).toEqual([]);
    } finally {
      await fresh.$disconnect();
      await dropDatabase(serverConfig, name);
    }
  });
});
