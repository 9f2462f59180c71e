import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { bookDemoConsultations } from './db/demoBookings.ts';
import { ensureDemoCallsNow } from './db/demoCalls.ts';
import { demoSignInLines, seedDemoData } from './db/seed.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';
import { attestationKeyOf, generateAttestationKeyPem } from './sessionLog/attestationKey.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);

async function main(): Promise<void> {
  if (config.jwtSecretIsEphemeral) {
    if (config.databaseUrl) {
      logger.warn('JWT_SECRET is not set: using a random secret, so sessions end when Parley restarts');
    } else {
      // Embedded mode is a single machine: keep the secret beside the data so a restart keeps people signed in.
      config.jwtSecret = await localSecret(join(dirname(config.dataDir), 'jwt-secret'), config.jwtSecret);
    }
  }
  if (!config.attestationPrivateKey) {
    if (config.databaseUrl) {
      logger.warn(
        'ATTESTATION_PRIVATE_KEY is not set: call records are signed with a key of this run only, and stop verifying against the published key after a restart',
      );
    } else {
      // Embedded mode: keep the signing key beside the data, as the JWT secret is.
      config.attestationPrivateKey = await localSecret(
        join(dirname(config.dataDir), 'attestation-key.pem'),
        generateAttestationKeyPem(),
      );
    }
  }
  logger.info({ keyId: attestationKeyOf(config).keyId }, 'call attestations are signed with this key');
  const database = await openDatabase({
    url: config.databaseUrl,
    migrationUrl: config.migrationDatabaseUrl,
    dataDir: config.dataDir,
    migrate: true,
    logger: logger.child({ component: 'db' }),
  });
  if (config.seedDemoData) {
    if (await seedDemoData(database.prisma, logger)) await bookDemoConsultations(database.prisma, logger);
    await ensureDemoCallsNow(database.prisma, logger);
  }

  const server = await startServer({ db: database.prisma, config, logger });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // SIGTERM (an orchestrator's stop) lets this node's calls finish when other nodes take new ones.
    if (signal === 'SIGTERM') await server.drain();
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const lines = [
    '',
    `Parley is running at ${server.url}  (database: ${database.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})`,
    ...(config.seedDemoData ? demoSignInLines() : []),
    ...(config.seedDemoData
      ? [
          'Demo calls happening now: sign in as attorney@parley.demo and interpreter@parley.demo, open',
          '"My schedule" and press "Join call"; on /kiosk, set up the tablet with kiosk-demo-adams and tap the call.',
        ]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Reads the secret stored at `path`, or stores `fresh` there (owner-only) on first start. */
async function localSecret(path: string, fresh: string): Promise<string> {
  const existing = await readFile(path, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, fresh, { mode: 0o600 });
  return fresh;
}

// A bug in one call's asynchronous path must not end every other call on this server.
process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason }, 'unhandled promise rejection');
});

main().catch((err: unknown) => {
  logger.fatal({ err }, 'Parley failed to start');
  process.exit(1);
});
