/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded PGlite database
 * in the data folder when DATABASE_URL is unset. The offline stand-in for `prisma migrate deploy`.
 * With MIGRATION_DATABASE_URL (the owner) it migrates through that and then grants DATABASE_URL's
 * role its least-privilege rights (db/appRole.ts).
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { grantAppRole, roleOfUrl } from './appRole.ts';
import { redactUrl } from './database.ts';
import { applyMigrations } from './migrate.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel).child({ component: 'migrate' });

async function main(): Promise<string[]> {
  const ownerUrl = config.migrationDatabaseUrl ?? config.databaseUrl;
  if (ownerUrl) {
    process.stdout.write(`Migrating ${redactUrl(ownerUrl)}\n`);
    const applied = await applyMigrations({ kind: 'postgres', url: ownerUrl }, { logger });
    const appRole = config.databaseUrl ? roleOfUrl(config.databaseUrl) : undefined;
    if (config.migrationDatabaseUrl && appRole && appRole !== roleOfUrl(config.migrationDatabaseUrl)) {
      const appendOnly = await grantAppRole(config.migrationDatabaseUrl, appRole);
      process.stdout.write(`Granted ${appRole} its privileges (insert-only: ${appendOnly.join(', ')})\n`);
    }
    return applied;
  }
  process.stdout.write(`Migrating the embedded database in ${config.dataDir}\n`);
  await mkdir(config.dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir: config.dataDir });
  try {
    return await applyMigrations({ kind: 'pglite', client }, { logger });
  } finally {
    await client.close();
  }
}

try {
  const applied = await main();
  process.stdout.write(
    applied.length > 0
      ? `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}\n`).join('')}`
      : 'No pending migrations.\n',
  );
} catch (err) {
  logger.error({ err }, 'migration failed');
  process.stderr.write(`Migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
