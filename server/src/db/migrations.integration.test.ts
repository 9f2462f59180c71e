import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import {
  applyMigrations,
  diffMigrationsToSchema,
  MIGRATIONS_DIR,
  readMigrationsList,
  SCHEMA_PATH,
} from './migrate.ts';

describe('schema.prisma and prisma/migrations', () => {
  it('agree: replaying the migrations yields exactly the schema (no drift)', async () => {
    const drift = await diffMigrationsToSchema();
    expect(
      drift,
      'schema.prisma changed without a migration: run `npm run migration:create -w server -- <name>`',
    ).toBeNull();
  });

  it('the drift check notices a schema change that has no migration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-drift-'));
    try {
      const schema = await readFile(SCHEMA_PATH, 'utf8');
      const edited = schema.replace(
        /model Organization \{\n/,
        'model Organization {\n  driftProbe String?\n',
      );
      expect(edited).not.toBe(schema);
      const schemaPath = join(dir, 'schema.prisma');
      await writeFile(schemaPath, edited);
      const drift = await diffMigrationsToSchema({ schemaPath });
      expect(drift).toMatch(/ALTER TABLE "Organization" ADD COLUMN\s+"driftProbe" TEXT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('applying migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('records every migration as Prisma does, and a second run applies nothing', async () => {
    expect(await applyMigrations(db.target)).toEqual([]);

    const rows = await db.prisma.$queryRawUnsafe<
      {
        migration_name: string;
        checksum: string;
        finished: boolean;
        applied_steps_count: number;
        rolled_back: boolean;
      }[]
    >(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count,
              rolled_back_at IS NOT NULL AS rolled_back
         FROM _prisma_migrations ORDER BY migration_name`,
    );
    const onDisk = (await readMigrationsList()).migrationDirectories.map((dir) => {
      if (dir.migrationFile.content.tag !== 'ok') throw new Error(`unreadable migration ${dir.path}`);
      // `prisma migrate deploy` compares this checksum: the sha256 of migration.sql, in hex.
      const checksum = createHash('sha256').update(dir.migrationFile.content.value).digest('hex');
      return {
        migration_name: dir.path,
        checksum,
        finished: true,
        applied_steps_count: 1,
        rolled_back: false,
      };
    });
    expect(rows).toEqual(onDisk);
  });

  describe('CHECK constraints refuse bad rows', () => {
    let organizationId: string;
    beforeAll(async () => {
      const org = await db.prisma.organization.create({ data: { name: 'Check Org', slug: 'check-org' } });
      organizationId = org.id;
    });

    const client = (aNumber: string) => ({
      organizationId,
      firstName: 'Ana',
      lastName: 'Test',
      aNumber,
      preferredLanguage: 'es',
    });

    it('an A-Number must be exactly nine digits', async () => {
      await expect(db.prisma.client.create({ data: client('12345678') })).rejects.toThrow(
        /Client_aNumber_check/,
      );
      await expect(db.prisma.client.create({ data: client('12345678X') })).rejects.toThrow(
        /Client_aNumber_check/,
      );
      await expect(db.prisma.client.create({ data: client('123456789') })).resolves.toMatchObject({
        aNumber: '123456789',
      });
    });

    it('a facility needs at least one booth and a call length between 5 and 480 minutes', async () => {
      const facility = { organizationId, name: 'Checks', timeZone: 'America/Chicago' };
      await expect(
        db.prisma.facility.create({ data: { ...facility, code: 'B0', booths: 0 } }),
      ).rejects.toThrow(/Facility_booths_check/);
      await expect(
        db.prisma.facility.create({ data: { ...facility, code: 'M481', maxCallMinutes: 481 } }),
      ).rejects.toThrow(/Facility_maxCallMinutes_check/);
      const ok = await db.prisma.facility.create({ data: { ...facility, code: 'OK' } });
      await expect(
        db.prisma.visitingWindow.create({
          data: { facilityId: ok.id, weekday: 1, startMinute: 600, endMinute: 600 },
        }),
      ).rejects.toThrow(/VisitingWindow_minutes_check/);
      await expect(
        db.prisma.visitingWindow.create({
          data: { facilityId: ok.id, weekday: 7, startMinute: 0, endMinute: 60 },
        }),
      ).rejects.toThrow(/VisitingWindow_weekday_check/);
    });

    it('an attorney needs a bar number and an interpreter a language', async () => {
      const user = (email: string) => ({ organizationId, email, passwordHash: 'x', name: 'Someone' });
      await expect(
        db.prisma.user.create({ data: { ...user('a@check.test'), role: 'ATTORNEY' } }),
      ).rejects.toThrow(/User_attorney_bar_number_check/);
      await expect(
        db.prisma.user.create({ data: { ...user('i@check.test'), role: 'INTERPRETER' } }),
      ).rejects.toThrow(/User_interpreter_languages_check/);
      await expect(
        db.prisma.user.create({ data: { ...user('i2@check.test'), role: 'INTERPRETER', languages: ['es'] } }),
      ).resolves.toMatchObject({ languages: ['es'] });
    });
  });

  // Last in this file: it leaves a failed migration behind in this throw-away database.
  it('a failing migration is rolled back and recorded as failed, not as applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-migrations-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await mkdir(join(dir, '29991231235959_broken'));
      await writeFile(
        join(dir, '29991231235959_broken', 'migration.sql'),
        'CREATE TABLE "HalfDone" ("id" INTEGER);\nSELECT 1 / 0;\n',
      );
      await expect(applyMigrations(db.target, { migrationsDir: dir })).rejects.toThrow(
        /29991231235959_broken/,
      );

      const [halfDone] = await db.prisma.$queryRawUnsafe<{ exists: boolean }[]>(
        `SELECT to_regclass('"HalfDone"') IS NOT NULL AS exists`,
      );
      expect(halfDone?.exists).toBe(false);
      const [row] = await db.prisma.$queryRawUnsafe<{ finished: boolean; logs: string | null }[]>(
        `SELECT finished_at IS NOT NULL AS finished, logs FROM _prisma_migrations WHERE migration_name = '29991231235959_broken'`,
      );
      expect(row?.finished).toBe(false);
      expect(row?.logs).toMatch(/division by zero/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
