import { loadConfig } from '../server/src/config.ts';
import { bookDemoConsultations } from '../server/src/db/demoBookings.ts';
import { ensureDemoCallsNow } from '../server/src/db/demoCalls.ts';
import { seedDemoData } from '../server/src/db/seed.ts';
import { createLogger } from '../server/src/logger.ts';
import { startServer, type RunningServer } from '../server/src/server.ts';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/testDatabase.ts';
import { mediaListenIps, ownServerAddress } from './chromiumNetns.ts';

export interface OwnParley {
  url: string;
  close(): Promise<void>;
}

/**
 * A Parley server of the spec's own, on a fresh database with the demo organisation and its calls
 * happening now, as `npm start` seeds them: the spec may end a demo call without taking it from the
 * specs that share the suite's server. Same media engine settings as that server (MEDIA_ENGINE and
 * the client build pass through from the environment), and the same addresses: HTTP and media on
 * the veth of the run's Chromium namespace, media on loopback too (chromiumNetns.ts), and media on
 * `extraMediaListenIps` besides (firefox-call.spec.ts says why it needs another).
 */
export async function startOwnParley(options: { extraMediaListenIps?: string[] } = {}): Promise<OwnParley> {
  const database: TestDatabase = await createTestDatabase();
  const logger = createLogger('silent');
  let server: RunningServer | undefined;
  try {
    await seedDemoData(database.prisma, logger);
    await bookDemoConsultations(database.prisma, logger);
    await ensureDemoCallsNow(database.prisma, logger);
    const config = {
      ...loadConfig({
        ...process.env,
        NODE_ENV: 'test',
        JWT_SECRET: 'e2e-own-parley-secret-e2e-own-parley-secret',
        MEDIA_LISTEN_IPS: [mediaListenIps(), ...(options.extraMediaListenIps ?? [])].join(','),
      }),
      ...(await ownServerAddress()),
      seedDemoData: false,
      loginRateLimit: { windowMs: 60_000, max: 1000 },
    };
    server = await startServer({ db: database.prisma, config, logger });
  } catch (err) {
    await database.close();
    throw err;
  }
  const running = server;
  return {
    url: running.url,
    async close() {
      await running.close();
      await database.close();
    },
  };
}
