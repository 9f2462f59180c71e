/**
 * One Parley node in a process of its own, for tests that kill it (`kill -9`): the environment
 * names the database (DATABASE_URL, already migrated and seeded), REDIS_URL, REDIS_KEY_PREFIX,
 * NODE_ID and JWT_SECRET (NODE_HEARTBEAT_MS if set, else 500 ms, so tests see a death soon), and
 * SESSION_LOG_JOURNAL if this node's journal is to outlive it (else a file of its own in the temporary
 * folder: nodes never share one). It prints one JSON line, `{"url": ...}`, once it listens on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { createLogger } from '../../logger.ts';
import { startServer } from '../../server.ts';

const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
const logger = createLogger(process.env.CLUSTER_TEST_LOG ?? 'silent');
const database = await openDatabase({ url: base.databaseUrl, migrate: false, logger });
const server = await startServer({
  db: database.prisma,
  logger,
  config: {
    ...base,
    port: 0,
    host: '127.0.0.1',
    seedDemoData: false,
    clientDistDir: '/nonexistent',
    sessionLogJournalPath:
      process.env.SESSION_LOG_JOURNAL || join(tmpdir(), `parley-node-journal-${randomUUID()}.ndjson`),
    media: { ...base.media, workers: 1, listenAddresses: ['127.0.0.1'] },
    cluster: { ...base.cluster, heartbeatMs: process.env.NODE_HEARTBEAT_MS ? base.cluster.heartbeatMs : 500 },
  },
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => {
  void server
    .close()
    .then(() => database.close())
    .then(() => process.exit(0));
});
