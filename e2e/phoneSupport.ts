import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { loadConfig } from '../server/src/config.ts';
import { bookDemoConsultations } from '../server/src/db/demoBookings.ts';
import { ensureDemoCallsNow } from '../server/src/db/demoCalls.ts';
import { seedDemoData } from '../server/src/db/seed.ts';
import { createLogger } from '../server/src/logger.ts';
import { findWorkerBinary } from '../server/src/media/mediasoup/workerBinary.ts';
import { BaresipPhone, rms, toneShare } from '../server/src/phone/testing/BaresipPhone.ts';
import { startServer, type RunningServer } from '../server/src/server.ts';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/testDatabase.ts';
import { mediaListenIps, ownServerAddress } from './chromiumNetns.ts';

export { BaresipPhone };

/**
 * Why the phone e2e cannot run on this machine (no mediasoup worker: phone legs need its plain RTP
 * transports; no baresip), or undefined when it can.
 */
export function phoneE2eUnavailable(): string | undefined {
  const worker = findWorkerBinary();
  if (!worker.available) return `the mediasoup worker is missing (${worker.reason})`;
  if (!BaresipPhone.available()) return 'baresip is not installed (Debian package baresip)';
  return undefined;
}

/** True when UDP and TCP `port` are both free on 127.0.0.1 now. */
async function portFree(port: number): Promise<boolean> {
  const udp = await new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
  if (!udp) return false;
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A block of `count` consecutive ports free for UDP and TCP on 127.0.0.1, away from the fixed ports
 * the SIP integration tests use (5070–5150) and the kernel's ephemeral range: SIP, baresip's SIP
 * and TLS and control ports, and both sides' RTP come from it.
 */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 10_000);
    let free = true;
    for (let port = base; port < base + count && free; port++) free = await portFree(port);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found between 20000 and 30000`);
}

export interface PhoneParley {
  url: string;
  server: RunningServer;
  database: TestDatabase;
  sipPort: number;
  close(): Promise<void>;
}

/**
 * A Parley of the spec's own with SIP on (as `SIP_*` settings turn it on) and the mediasoup engine,
 * on a fresh database with the demo organisation and its calls happening now (as ownServer.ts).
 * `trunkPort`: where dial-out sends its INVITEs (a baresip phone that answers by itself plays the
 * trunk and the callee at once).
 */
export async function startPhoneParley(options: {
  sipPort: number;
  rtpPorts: { min: number; max: number };
  trunkPort: number;
  pinSecret: string;
}): Promise<PhoneParley> {
  const database = await createTestDatabase();
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
        JWT_SECRET: 'e2e-phone-parley-secret-e2e-phone-parley-secret',
        MEDIA_ENGINE: 'mediasoup',
        MEDIA_LISTEN_IPS: mediaListenIps(),
        SIP_UDP_PORT: String(options.sipPort),
        SIP_LISTEN_ADDRESS: '127.0.0.1',
        SIP_ALLOWED_SOURCES: '127.0.0.1',
        SIP_RTP_PORT_MIN: String(options.rtpPorts.min),
        SIP_RTP_PORT_MAX: String(options.rtpPorts.max),
        SIP_TRUNK: `127.0.0.1:${options.trunkPort}`,
        SIP_PIN_SECRET: options.pinSecret,
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
    server: running,
    database,
    sipPort: options.sipPort,
    async close() {
      await running.close();
      await database.close();
    },
  };
}

export interface PhoneHeard {
  samples: number;
  level: number;
  /** Each tone's share of what the phone heard (0..1), by frequency. */
  share: (hz: number) => number;
}

/**
 * What `phone` heard over the next `ms`, from its own recording (baresip's decoder dump, 8 kHz).
 * The first 300 ms of the window are dropped: they may still hold the mix from before a change.
 */
export async function phoneHears(phone: BaresipPhone, ms = 2500): Promise<PhoneHeard> {
  const before = phone.heard().length;
  await new Promise((r) => setTimeout(r, ms));
  const all = phone.heard();
  const window = all.subarray(Math.min(all.length, before + 2400));
  return { samples: window.length, level: rms(window), share: (hz) => toneShare(window, hz) };
}
