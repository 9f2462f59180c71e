/**
 * The real Parley server for the join benchmark, in a child process the benchmark pins to its own
 * core: `startTestServer` as the integration tests use it — REST, socket.io signalling, the werift
 * media engine on 127.0.0.1 and a fresh, seeded database (PostgreSQL when BENCH_DATABASE_URL,
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
}

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
const clientDistDir = process.argv[2];

// The werift engine by name: the headless join client (SignalingTestClient's WeriftTestPeer)
// negotiates by SDP only, and with a mediasoup worker on the machine `auto` would pick mediasoup.
// Joins on mediasoup need a test peer that speaks its client-driven negotiation.
const server = await startTestServer({
  media: { ...loadConfig({ NODE_ENV: 'test' }).media, engine: 'werift', listenAddresses: ['127.0.0.1'] },
  ...(clientDistDir ? { clientDistDir } : {}),
});

async function handle(request: JoinServerRequest): Promise<unknown> {
  switch (request.op) {
    case 'info':
      return { url: server.url, database: server.database.kind } satisfies JoinServerInfo;
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
