import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { REPO_ROOT } from '../config.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { grantAppRole, privilegeWarnings, roleOfUrl } from './appRole.ts';
import { applyMigrations } from './migrate.ts';
import type { Db } from './types.ts';

export type { Db };

/** Where the embedded database lives when no folder is given. */
export const DEFAULT_PGLITE_DIR = resolve(REPO_ROOT, 'data/pglite');

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; without it the embedded PGlite database is used. */
  url?: string | undefined;
  /**
   * The database owner's connection string (PostgreSQL): migrations run through it, then the role
   * of `url` gets its least-privilege grants (db/appRole.ts). Unset: migrations run through `url`.
   */
  migrationUrl?: string | undefined;
  /** Folder of the embedded database (created if missing); ignored with `url`. */
  dataDir?: string | undefined;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean | undefined;
  logger?: Logger | undefined;
}

export interface Database {
  prisma: Db;
  kind: 'pglite' | 'postgres';
  /** Disconnects Prisma and, for PGlite, closes the engine so the process can exit. Idempotent. */
  close: () => Promise<void>;
}

/** Opens the application database: PostgreSQL when `url` is given, otherwise PGlite on disk. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const { url, logger, migrate = true } = options;
  if (url) {
    if (migrate) await migratePostgres(url, options.migrationUrl, logger);
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    logger?.info({ database: redactUrl(url) }, 'using PostgreSQL');
    for (const warning of await privilegeWarnings(prisma).catch(() => [])) {
      logger?.warn(`Least privilege: ${warning}; see README, "Database roles"`);
    }
    return { prisma, kind: 'postgres', close: once(() => prisma.$disconnect()) };
  }

  const dataDir = resolve(options.dataDir ?? DEFAULT_PGLITE_DIR);
  await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir });
  try {
    if (migrate) await applyMigrations({ kind: 'pglite', client }, { logger });
  } catch (err) {
    await client.close();
    throw err;
  }
  logger?.info({ dataDir }, 'using the embedded PGlite database');
  return openPglite(client);
}

/**
 * Applies pending migrations as the owner and, when the app signs in as another role, grants that
 * role what it needs (again after every migration: new tables need grants).
 */
export async function migratePostgres(
  url: string,
  migrationUrl: string | undefined,
  logger?: Logger,
): Promise<void> {
  await applyMigrations({ kind: 'postgres', url: migrationUrl ?? url }, { logger });
  const appRole = roleOfUrl(url);
  if (!migrationUrl || !appRole || appRole === roleOfUrl(migrationUrl)) return;
  const appendOnly = await grantAppRole(migrationUrl, appRole);
  logger?.info({ appRole, appendOnly }, 'granted the app role its privileges');
}

/**
 * Wraps an open PGlite instance (already migrated) in a Prisma client. `close()` also closes the
 * instance: PGlite keeps the event loop alive until it is closed.
 */
export function openPglite(client: PGlite): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  return {
    prisma,
    kind: 'pglite',
    close: once(async () => {
      try {
        await prisma.$disconnect();
      } finally {
        if (!client.closed) await client.close();
      }
    }),
  };
}

/** Runs `fn` the first time only; later calls share its promise. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}
