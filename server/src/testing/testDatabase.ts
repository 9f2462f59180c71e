/**
 * Fresh, migrated databases for integration tests: one per test file, on PostgreSQL when
 * TEST_DATABASE_URL (or DATABASE_URL) is set, otherwise an in-memory PGlite.
 *
 * On PostgreSQL the tests run as production does (README, "Database roles"): the database belongs
 * to an owner role that migrates it, and the app connects as a least-privileged role that owns
 * nothing and may only insert into the append-only logs. So every integration test also proves the
 * app works without superuser rights. PGlite has one user, who owns everything.
 *
 * Both paths migrate once and copy: PGlite from a data-directory snapshot cached in the OS temp
 * folder, PostgreSQL from a template database. The cache key is a hash of the migrations (and of
 * the PGlite version), so editing a migration builds a new snapshot instead of reusing a stale one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { grantAppRole } from '../db/appRole.ts';
import { once, openPglite, type Db } from '../db/database.ts';
import {
  applyMigrations,
  dropDatabase,
  poolConfigFromUrl,
  readMigrationsList,
  type MigrationTarget,
} from '../db/migrate.ts';
import { PrismaClient } from '../generated/prisma/client.ts';

export interface TestDatabase {
  /** The app's connection: on PostgreSQL the least-privileged role (TEST_APP_ROLE). */
  prisma: Db;
  /**
   * The owner's connection, for what only the owner (or an attacker with its keys) may do: tamper
   * with the log behind its triggers, say. The same as `prisma` on PGlite.
   */
  ownerPrisma: Db;
  kind: 'pglite' | 'postgres';
  /** Connection string of the fresh database as the app role (PostgreSQL only). */
  url?: string;
  /** Connection string of the fresh database as its owner (PostgreSQL only). */
  ownerUrl?: string;
  /** The same database as a migration target (as its owner), for tests of the migrations themselves. */
  target: MigrationTarget;
  /** Disconnects, then drops the database (PostgreSQL) or closes PGlite. Idempotent. */
  close: () => Promise<void>;
}

/** The PostgreSQL server tests should use, if any. */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TEST_DATABASE_URL || env.DATABASE_URL || undefined;
}

/** A fresh, fully migrated database that nobody else uses; call `close()` in `afterAll`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  return url ? createPostgresTestDatabase(url) : createPgliteTestDatabase();
}

async function createPgliteTestDatabase(): Promise<TestDatabase> {
  const client = await PGlite.create({ loadDataDir: await migratedPgliteSnapshot() });
  const { prisma, close } = openPglite(client);
  return { prisma, ownerPrisma: prisma, kind: 'pglite', target: { kind: 'pglite', client }, close };
}

let pgliteSnapshot: Promise<Blob> | undefined;

/** A tarball of a migrated PGlite data directory: loading it skips initdb and the migrations. */
function migratedPgliteSnapshot(): Promise<Blob> {
  pgliteSnapshot ??= (async () => {
    const path = join(tmpdir(), `parley-test-pglite-${await migrationsKey(pgliteVersion())}.tar`);
    const cached = await readFile(path).catch(() => undefined);
    if (cached) return new Blob([cached]);

    const client = await PGlite.create({ dataDir: 'memory://' });
    try {
      await applyMigrations({ kind: 'pglite', client });
      const snapshot = await client.dumpDataDir('none');
      // Parallel test workers may race here; rename is atomic, so readers see a whole file.
      const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(partial, new Uint8Array(await snapshot.arrayBuffer()));
      await rename(partial, path);
      return snapshot;
    } finally {
      await client.close();
    }
  })();
  pgliteSnapshot.catch(() => {
    pgliteSnapshot = undefined;
  });
  return pgliteSnapshot;
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '../package.json');
  return (require(pkg) as { version: string }).version;
}

/** A short hash of every migration's name and SQL, plus `extra`. */
async function migrationsKey(extra = ''): Promise<string> {
  const hash = createHash('sha256').update(extra);
  for (const dir of (await readMigrationsList()).migrationDirectories) {
    const content = dir.migrationFile.content;
    hash.update(`\0${dir.path}\0${content.tag === 'ok' ? content.value : ''}`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Serialises template creation and copying across parallel test workers: PostgreSQL refuses to
 * copy a template that another session is connected to (for instance while it is migrated).
 */
const TEMPLATE_LOCK_KEY = 0x70617274; // "part"

/** The roles of the PostgreSQL test databases: created once per server, neither a superuser. */
export const TEST_OWNER_ROLE = 'parley_test_owner';
export const TEST_APP_ROLE = 'parley_test_app';
/** Fresh clusters authenticate TCP connections by password: the test roles have this one. */
const TEST_ROLE_PASSWORD = 'parley_test';

async function createPostgresTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const serverConfig = poolConfigFromUrl(serverUrl);
  const template = `parley_test_template_${await migrationsKey(`roles:${TEST_OWNER_ROLE}:${TEST_APP_ROLE}`)}`;
  const database = `parley_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

  const admin = new pg.Client(serverConfig);
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    await ensureTestRoles(admin);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!rowCount) await buildTemplate(admin, serverUrl, template);
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${template}" OWNER ${TEST_OWNER_ROLE}`);
  } finally {
    await admin.end(); // also releases the advisory lock
  }

  const url = asRole(withDatabase(serverUrl, database), TEST_APP_ROLE);
  const ownerUrl = asRole(withDatabase(serverUrl, database), TEST_OWNER_ROLE);
  const appConfig = { ...serverConfig, database, user: TEST_APP_ROLE, password: TEST_ROLE_PASSWORD };
  const prisma = new PrismaClient({ adapter: new PrismaPg(appConfig) });
  const ownerPrisma = new PrismaClient({
    adapter: new PrismaPg({ ...appConfig, user: TEST_OWNER_ROLE }),
  });
  return {
    prisma,
    ownerPrisma,
    kind: 'postgres',
    url,
    ownerUrl,
    target: { kind: 'postgres', url: ownerUrl },
    close: once(async () => {
      try {
        await Promise.all([prisma.$disconnect(), ownerPrisma.$disconnect()]);
      } finally {
        await dropDatabase(serverConfig, database);
      }
    }),
  };
}

/** Creates the owner and app roles if this server lacks them (under the template lock). */
async function ensureTestRoles(admin: pg.Client): Promise<void> {
  for (const role of [TEST_OWNER_ROLE, TEST_APP_ROLE]) {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const verb = rowCount ? 'ALTER' : 'CREATE';
    await admin.query(
      `${verb} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '${TEST_ROLE_PASSWORD}'`,
    );
  }
}

function asRole(url: string, role: string): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = TEST_ROLE_PASSWORD;
  return parsed.toString();
}

/**
 * Creates and migrates the template as its owner, then grants the app role. It is built under a
 * temporary name and renamed when complete, so a run killed mid-build leaves no half-migrated
 * template for the next run to copy (the leftover is cleaned up below by a later build).
 */
async function buildTemplate(admin: pg.Client, serverUrl: string, template: string): Promise<void> {
  const building = `${template}_b${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${building}" OWNER ${TEST_OWNER_ROLE}`);
  try {
    const ownerUrl = asRole(withDatabase(serverUrl, building), TEST_OWNER_ROLE);
    await applyMigrations({ kind: 'postgres', url: ownerUrl });
    await grantAppRole(ownerUrl, TEST_APP_ROLE);
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
  } catch (err) {
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    throw err;
  }
  // Templates of older migration sets are dead weight; one still in use elsewhere stays.
  const stale = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'parley\\_test\\_template\\_%' AND datname <> $1`,
    [template],
  );
  for (const { datname } of stale.rows) {
    await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
