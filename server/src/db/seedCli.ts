import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './database.ts';
import { demoSignInLines, seedDemoData } from './seed.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase({
  url: config.databaseUrl,
  dataDir: config.dataDir,
  migrate: true,
  logger,
});
try {
  const seeded = await seedDemoData(database.prisma, logger);
  process.stdout.write(
    `${seeded ? 'Seeded the demo organisation.' : 'Demo data already present; nothing to do.'}\n`,
  );
  process.stdout.write(`${demoSignInLines().join('\n')}\n`);
} finally {
  await database.close();
}
