import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../db/database.ts';
import {
  applyMigrations,
  dropDatabase,
  MIGRATIONS_DIR,
  poolConfigFromUrl,
  type MigrationTarget,
} from '../db/migrate.ts';
import type { Db } from '../db/types.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import { testDatabaseUrl } from '../testing/testDatabase.ts';
import { AvailabilityRepository } from './AvailabilityRepository.ts';

/**
 * Issue 11's damaged database: an availability exception stored for year 9999 local (year 10000
 * in UTC) made every read of that interpreter's availability fail. The migration bounded_dates
 * deletes such rows; this test builds a database as it was before it, seeds the bad row, migrates,
 * and reads the availability back.
 */

const REPAIR = '20261201193135_bounded_dates';

let target: MigrationTarget;
let db: Db;
let close: () => Promise<void>;
let migrationsBefore: string;

beforeAll(async () => {
  migrationsBefore = await mkdtemp(join(tmpdir(), 'parley-before-repair-'));
  for (const entry of await readdir(MIGRATIONS_DIR)) {
    if (entry < REPAIR || entry === 'migration_lock.toml') {
      await cp(join(MIGRATIONS_DIR, entry), join(migrationsBefore, entry), { recursive: true });
    }
  }
  const url = testDatabaseUrl();
  if (url) {
    const server = poolConfigFromUrl(url);
    const database = `parley_test_repair_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client(server);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const parsed = new URL(url);
    parsed.pathname = `/${database}`;
    target = { kind: 'postgres', url: parsed.toString() };
    const prisma = new PrismaClient({ adapter: new PrismaPg({ ...server, database }) });
    db = prisma;
    close = async () => {
      await prisma.$disconnect();
      await dropDatabase(server, database);
    };
  } else {
    const client = await PGlite.create({ dataDir: 'memory://' });
    target = { kind: 'pglite', client };
    const opened = openPglite(client);
    db = opened.prisma;
    close = opened.close;
  }
});

afterAll(async () => {
  await close?.();
  if (migrationsBefore) await rm(migrationsBefore, { recursive: true, force: true });
});

/** The rows the old API could have left, written before the repair (only `id` read back: later
 * migrations may add columns this database does not have yet). */
let seeded: { organization: string; interpreter: string; legacyConsultation: string; facility: string };

async function seedBeforeRepair(): Promise<void> {
  const id = { select: { id: true } } as const;
  const org = await db.organization.create({ data: { name: 'Repair Org', slug: 'repair-org' }, ...id });
  const person = (email: string, role: 'INTERPRETER' | 'ATTORNEY') =>
    db.user.create({
      data: {
        organizationId: org.id,
        email,
        passwordHash: 'x',
        name: email,
        role,
        ...(role === 'ATTORNEY' ? { barNumber: 'TX-9' } : { languages: ['es'], timeZone: 'America/Chicago' }),
      },
      ...id,
    });
  const interpreter = await person('repair@interpreter.test', 'INTERPRETER');
  const attorney = await person('repair@attorney.test', 'ATTORNEY');
  // Raw SQL: Prisma writes every column with a static default (e.g. a later migration's
  // confirmationRequired), which this older database does not have yet.
  const [facility] = await db.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "Facility" ("id", "organizationId", "name", "code", "timeZone", "updatedAt")
     VALUES (gen_random_uuid(), $1::uuid, 'Repair Facility', 'REPAIR', 'America/Chicago', now())
     RETURNING "id"::text AS id`,
    org.id,
  );
  if (!facility) throw new Error('the facility was not inserted');
  const client = await db.client.create({
    data: {
      organizationId: org.id,
      firstName: 'Ana',
      lastName: 'Repair',
      aNumber: '123123123',
      preferredLanguage: 'es',
    },
    ...id,
  });
  const kase = await db.case.create({
    data: { organizationId: org.id, clientId: client.id, reference: 'RP-1', title: 'Repair' },
    ...id,
  });
  // A call booked in year 9999 before the booking horizon existed.
  const legacy = await db.consultation.create({
    data: {
      organizationId: org.id,
      caseId: kase.id,
      clientId: client.id,
      facilityId: facility.id,
      attorneyId: attorney.id,
      language: 'es',
      startsAt: new Date('9999-06-01T15:00:00Z'),
      endsAt: new Date('9999-06-01T16:00:00Z'),
      kioskPin: '111110',
      createdById: attorney.id,
    },
    ...id,
  });
  const insert = (startsAt: string, endsAt: string, note: string) =>
    db.$executeRawUnsafe(
      `INSERT INTO "InterpreterAvailabilityException" ("id", "interpreterId", "startsAt", "endsAt", "available", "note")
       VALUES (gen_random_uuid(), $1::uuid, $2::timestamptz, $3::timestamptz, false, $4)`,
      interpreter.id,
      startsAt,
      endsAt,
      note,
    );
  // What the API stored for 9999-12-31T23:00–23:30 in Chicago, and what PostgreSQL kept of year 0000.
  await insert('10000-01-01 05:00:00+00', '10000-01-01 05:30:00+00', 'year 9999 local');
  await insert('0001-01-01 00:00:00+00 BC', '0001-01-01 01:00:00+00 BC', 'year 0000');
  await insert('2100-01-05 15:00:00+00', '2100-01-05 16:00:00+00', 'just past the range');
  await insert('2030-03-04 15:00:00+00', '2030-03-04 16:00:00+00', 'a real one');
  await insert('2099-12-31 23:00:00+00', '2100-01-01 05:00:00+00', 'last local evening of 2099');
  seeded = {
    organization: org.id,
    interpreter: interpreter.id,
    legacyConsultation: legacy.id,
    facility: facility.id,
  };
}

describe('migrations bounded_dates and bounded_dates_ahead', () => {
  it('delete availability exceptions outside 2000–2099, keep the rest, and the availability reads again', async () => {
    const before = await applyMigrations(target, { migrationsDir: migrationsBefore });
    expect(before).not.toContain(REPAIR);
    await seedBeforeRepair();

    const repo = new AvailabilityRepository(db);
    // The damage, as the availability routes met it: the year-10000 row is not a usable date.
    const readDates = async () =>
      (await repo.read(seeded.organization, seeded.interpreter))?.availabilityExceptions.map((e) =>
        e.startsAt.toISOString(),
      );
    await expect(readDates()).rejects.toThrow(/Invalid time value/);

    const applied = await applyMigrations(target);
    expect(applied).toContain(REPAIR);

    await expect(readDates()).resolves.toEqual(['2030-03-04T15:00:00.000Z', '2099-12-31T23:00:00.000Z']);
    const repaired = await repo.read(seeded.organization, seeded.interpreter);
    expect(repaired?.availabilityExceptions.map((e) => [e.startsAt.toISOString(), e.note])).toEqual([
      ['2030-03-04T15:00:00.000Z', 'a real one'],
      ['2099-12-31T23:00:00.000Z', 'last local evening of 2099'],
    ]);
    expect(await db.interpreterAvailabilityException.count()).toBe(2);

    // And the database itself now refuses such a row, whatever writes it.
    await expect(
      db.$executeRawUnsafe(
        `INSERT INTO "InterpreterAvailabilityException" ("id", "interpreterId", "startsAt", "endsAt", "available")
         VALUES (gen_random_uuid(), $1::uuid, '10000-01-01 05:00:00+00', '10000-01-01 05:30:00+00', false)`,
        seeded.interpreter,
      ),
    ).rejects.toThrow(/InterpreterAvailabilityException_range_check/);
    await expect(
      db.organization.update({ where: { id: seeded.organization }, data: { bookingHorizonDays: 0 } }),
    ).rejects.toThrow(/Organization_bookingHorizonDays_check/);
    const org = await db.organization.findUniqueOrThrow({ where: { id: seeded.organization } });
    expect(org.bookingHorizonDays).toBe(365);
  });

  it('refuse consultations and blackouts written outside 2000–2099; a stored year-9999 call can still be cancelled', async () => {
    const legacy = await db.consultation.findUniqueOrThrow({ where: { id: seeded.legacyConsultation } });
    const consultation = (startsAt: string, endsAt: string, kioskPin: string) =>
      db.consultation.create({
        data: {
          organizationId: legacy.organizationId,
          caseId: legacy.caseId,
          clientId: legacy.clientId,
          facilityId: legacy.facilityId,
          attorneyId: legacy.attorneyId,
          language: 'es',
          startsAt: new Date(startsAt),
          endsAt: new Date(endsAt),
          kioskPin,
          createdById: legacy.attorneyId,
        },
        select: { id: true },
      });
    await expect(consultation('9999-12-31T23:00:00Z', '9999-12-31T23:30:00Z', '111111')).rejects.toThrow(
      /Consultation_range_check/,
    );
    await expect(consultation('1999-06-01T15:00:00Z', '1999-06-01T16:00:00Z', '111112')).rejects.toThrow(
      /Consultation_range_check/,
    );
    const ok = await consultation('2030-06-04T15:00:00Z', '2030-06-04T16:00:00Z', '111113');
    // Moving a call out of range is refused too.
    await expect(
      db.consultation.update({
        where: { id: ok.id },
        data: { startsAt: new Date('9999-06-01T15:00:00Z'), endsAt: new Date('9999-06-01T16:00:00Z') },
      }),
    ).rejects.toThrow(/Consultation_range_check/);
    // The legacy row stays as it was, and a person can cancel it.
    const cancelled = await db.consultation.update({
      where: { id: legacy.id },
      data: { status: 'CANCELLED', cancelReason: 'Booked for year 9999 by mistake' },
      select: { status: true, startsAt: true },
    });
    expect(cancelled).toEqual({ status: 'CANCELLED', startsAt: new Date('9999-06-01T15:00:00Z') });

    const blackout = (date: string) =>
      db.facilityBlackout.create({
        data: { facilityId: seeded.facility, date: new Date(date), reason: 'x' },
      });
    await expect(blackout('9999-12-25')).rejects.toThrow(/FacilityBlackout_date_range_check/);
    await expect(blackout('2030-12-25')).resolves.toMatchObject({ reason: 'x' });
  });
});
