/**
 * The real Parley server for the phone benchmark, in a child process the benchmark pins to one
 * core (the mediasoup worker it starts inherits that core): `startTestServer` as the phone
 * integration tests use it — the SIP gateway on 127.0.0.1, the mediasoup engine (one worker; phone
 * legs are plain RTP legs, which only mediasoup has), a fresh seeded database (PostgreSQL when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set, else embedded PGlite).
 *
 * argv[2]: `capacity` (limits raised so the benchmark's own INVITEs from 127.0.0.1 are not refused
 * as a flood; all of 127.0.0.0/8 allowed) or `production` (the SIP_* defaults: 30 INVITEs and 10
 * refusals per minute and address, 50 calls; only 127.0.0.1 and 127.0.0.2 allowed, so 127.0.0.3
 * is an unknown source).
 *
 * It watches the gateway's 20 ms frame clock from inside: a listener subscribed before any leg
 * (so first in each tick) records how late each frame ran against its deadline
 * (start + frame × 20 ms, the deadline PhoneClock itself computes).
 *
 * Driven over IPC (bench/media/support.ts `IpcChild`); stops when the benchmark disconnects.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadConfig } from '../../server/src/config.ts';
import type { SipConfig } from '../../server/src/phone/sipConfig.ts';
import { seatPin } from '../../server/src/phone/testing/seatPin.ts';
import { insertDemoConsultation } from '../../server/src/testing/consultationFixtures.ts';
import { startTestServer } from '../../server/src/testing/testServer.ts';

export type PhoneServerRequest =
  | { op: 'info' }
  /** `count` consultations open now, with the three seats' phone PINs. */
  | { op: 'consultations'; count: number }
  /** Frame clock, CPU and leg counters since the last `reset`. */
  | { op: 'stats'; reset: boolean }
  /** Hangs up every phone leg (BYE from Parley). */
  | { op: 'hangUpAll' }
  /** The JavaScript heap after two full collections (needs --expose-gc), bytes. */
  | { op: 'heap' };

export interface PhoneServerInfo {
  sipPort: number;
  engine: string;
  database: 'pglite' | 'postgres';
  /** The mediasoup worker's pid (its CPU counts with the server's). */
  workerPids: number[];
}

export interface PhoneServerStats {
  /** Frames the clock ran in the window, and those it skipped after a stall (lost to every phone). */
  frames: number;
  skipped: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
  loopDelayP99Ms: number;
  /** CPU (user + system) of the server process in the window, µs. */
  serverCpuUs: number;
  windowMs: number;
  calls: number;
  joined: number;
  /** Datagrams the phone side received (from the phones) and sent (to them), all legs, in the window. */
  rtpReceived: number;
  rtpSent: number;
  rtpRejected: number;
  floodRefused: number;
  /** The SIP endpoint's counters since the server started (refused and silenced sources, floods). */
  sipTotals: { malformed: number; refusedSources: number; silencedSources: number; floodRefused: number };
}

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
const PIN_SECRET = 'bench-phone-pin-secret';
const limits = process.argv[2] === 'production' ? 'production' : 'capacity';

const sip: SipConfig = {
  listenAddress: '127.0.0.1',
  udpPort: 0,
  tcpPort: null,
  publicAddress: '127.0.0.1',
  rtpPorts: { min: 31000, max: 32999 },
  trunk: null,
  digest: null,
  // Production: two known addresses, so a flood from another loopback address is an unknown source.
  allowedSources: limits === 'production' ? ['127.0.0.1', '127.0.0.2'] : ['127.0.0.0/8'],
  ...(limits === 'production'
    ? { refusalsPerMinute: 10, invitesPerMinute: 30, maxCalls: 50 }
    : { refusalsPerMinute: 10, invitesPerMinute: 1_000_000, maxCalls: 2000 }),
  pinSecret: PIN_SECRET,
};

// The SIP port: a free one picked by binding 0 is not known to the config, so ask the OS first.
sip.udpPort = await freeUdpPort();

const server = await startTestServer({
  media: {
    ...loadConfig({ NODE_ENV: 'test' }).media,
    engine: 'mediasoup',
    workers: 1,
    listenAddresses: ['127.0.0.1'],
  },
  sip,
});
if (server.server.engine.backendName !== 'mediasoup')
  throw new Error(
    `the phone benchmark needs the mediasoup engine, the server runs ${server.server.engine.backendName}`,
  );
const gateway = server.server.phone;
if (!gateway) throw new Error('the phone gateway did not start');

// The frame clock seen from inside: this listener is the first of every tick.
const lateness: number[] = [];
const clockStartedAt = performance.now();
gateway.clock.subscribe(() => {
  const due = clockStartedAt + (gateway.clock.ticks + gateway.clock.skipped) * 20;
  lateness.push(performance.now() - due);
});
const loopDelay = monitorEventLoopDelay({ resolution: 2 });
loopDelay.enable();

let windowStart = { at: performance.now(), cpu: process.cpuUsage(), skipped: 0, ticks: 0, flood: 0 };
let rtpBase = { received: 0, sent: 0, rejected: 0 };
/** Counters of legs that ended, so totals do not go back when a leg goes. */
const ended = { received: 0, sent: 0, rejected: 0 };

function rtpTotals() {
  const totals = { ...ended };
  for (const call of gateway!.calls.values()) {
    totals.received += call.rtp.counters.received;
    totals.sent += call.rtp.counters.sent;
    totals.rejected += call.rtp.counters.rejected;
  }
  return totals;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function stats(reset: boolean): PhoneServerStats {
  const now = performance.now();
  const sorted = [...lateness].sort((a, b) => a - b);
  const cpu = process.cpuUsage(windowStart.cpu);
  const totals = rtpTotals();
  const calls = [...gateway!.calls.values()];
  const result: PhoneServerStats = {
    frames: gateway!.clock.ticks - windowStart.ticks,
    skipped: gateway!.clock.skipped - windowStart.skipped,
    latenessP50Ms: quantile(sorted, 0.5),
    latenessP99Ms: quantile(sorted, 0.99),
    latenessMaxMs: sorted.at(-1) ?? NaN,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    serverCpuUs: cpu.user + cpu.system,
    windowMs: now - windowStart.at,
    calls: calls.length,
    joined: calls.filter((c) => c.state === 'joined').length,
    rtpReceived: totals.received - rtpBase.received,
    rtpSent: totals.sent - rtpBase.sent,
    rtpRejected: totals.rejected - rtpBase.rejected,
    floodRefused: gateway!.counters.floodRefused - windowStart.flood,
    sipTotals: { ...gateway!.counters },
  };
  if (reset) {
    lateness.length = 0;
    loopDelay.reset();
    windowStart = {
      at: now,
      cpu: process.cpuUsage(),
      skipped: gateway!.clock.skipped,
      ticks: gateway!.clock.ticks,
      flood: gateway!.counters.floodRefused,
    };
    rtpBase = totals;
  }
  return result;
}

/** The pids of this process's children (the mediasoup worker). */
function childPids(): number[] {
  try {
    return readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function freeUdpPort(): Promise<number> {
  const { createSocket } = await import('node:dgram');
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

let nextKioskPin = 100_000;

async function handle(request: PhoneServerRequest): Promise<unknown> {
  switch (request.op) {
    case 'info':
      return {
        sipPort: sip.udpPort!,
        engine: server.server.engine.backendName,
        database: server.database.kind,
        workerPids: childPids(),
      } satisfies PhoneServerInfo;
    case 'consultations': {
      const made = [];
      for (let i = 0; i < request.count; i++) {
        const id = await insertDemoConsultation(server.database.prisma, {
          startsInMinutes: 0,
          kioskPin: String(nextKioskPin++),
        });
        made.push({
          id,
          pins: await Promise.all(
            (['ATTORNEY', 'INTERPRETER', 'CLIENT'] as const).map((role) =>
              seatPin(server.database.prisma, PIN_SECRET, id, role),
            ),
          ),
        });
      }
      return made;
    }
    case 'stats':
      return stats(request.reset);
    case 'heap': {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error('the phone server runs without --expose-gc');
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    }
    case 'hangUpAll': {
      const totals = rtpTotals();
      for (const call of [...gateway!.calls.values()]) call.hangUp();
      // Keep the counted totals: the legs are gone now.
      ended.received = totals.received;
      ended.sent = totals.sent;
      ended.rejected = totals.rejected;
      return null;
    }
  }
}

process.on('message', (message: { id: number; request: PhoneServerRequest }) => {
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
