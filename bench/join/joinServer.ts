/**
 * The real Parley server for the join benchmark, in a child process the benchmark pins to its own
 * core: `startTestServer` as the integration tests use it — REST, socket.io signalling, the media
 * engine named by the second argument (`mediasoup`, one worker, or `werift`; by name, so a worker
 * that does not start is an error, not a silent werift) on 127.0.0.1 and a fresh, seeded database (PostgreSQL when BENCH_DATABASE_URL,
 * TEST_DATABASE_URL or DATABASE_URL is set, else embedded PGlite in this process). It also serves
 * the client build given as the first argument, for the Chromium participants.
 *
 * Driven over IPC (bench/media/support.ts `IpcChild`); stops when the benchmark disconnects.
 */
import { loadConfig } from '../../server/src/config.ts';
import { insertDemoConsultation } from '../../server/src/testing/consultationFixtures.ts';
import { startTestServer } from '../../server/src/testing/testServer.ts';

export type JoinServerRequest =
  | { op: 'info' }
  /** A consultation of the demo case that started a minute ago, so it can be joined now. */
  | { op: 'consultation'; kioskPin: string };

export interface JoinServerInfo {
  url: string;
  database: 'pglite' | 'postgres';
  /** The media engine the server runs. */
  engine: 'mediasoup' | 'werift';
}

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
const clientDistDir = process.argv[2] || undefined;
const engineArg = process.argv[3] ?? 'werift';
if (engineArg !== 'werift' && engineArg !== 'mediasoup')
  throw new Error(`unknown media engine "${engineArg}"`);
const engine: JoinServerInfo['engine'] = engineArg;

const server = await startTestServer({
  // One mediasoup worker: the server's process and the worker share the one core it is pinned to.
  media: { ...loadConfig({ NODE_ENV: 'test' }).media, engine, workers: 1, listenAddresses: ['127.0.0.1'] },
  ...(clientDistDir ? { clientDistDir } : {}),
});
if (server.server.engine.backendName !== engine)
  throw new Error(`asked for the ${engine} engine, the server runs ${server.server.engine.backendName}`);

async function handle(request: JoinServerRequest): Promise<unknown> {
  switch (request.op) {
    case 'info':
      return { url: server.url, database: server.database.kind, engine } satisfies JoinServerInfo;
    case 'consultation':
      return insertDemoConsultation(server.database.prisma, {
        startsInMinutes: -1,
        kioskPin: request.kioskPin,
      });
  }
}

process.on('message', (message: { id: number; request: JoinServerRequest }) => {
  handle(message.request).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.send?.({ ready: true });
