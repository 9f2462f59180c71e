import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { findWorkerBinary } from './workerBinary.ts';

/**
 * The worker the project builds (server/scripts/mediasoup/build-worker.sh) runs libsrtp 2 behind a
 * libsrtp 3 API layer of our own. This proves that layer end to end through the real worker, for
 * every crypto suite mediasoup offers: plain RTP from this process enters router A, leaves it
 * SRTP-protected on a PlainTransport, is unprotected by router B's PlainTransport and reaches this
 * process again as plain RTP with the same payload. A wrong key on the receiving side must let
 * nothing through.
 *
 * Without a worker binary these tests are skipped with the reason; with PARLEY_REQUIRE_MEDIASOUP=1
 * (CI) a missing worker fails instead.
 */

const workerBinary = findWorkerBinary();
const required = process.env.PARLEY_REQUIRE_MEDIASOUP === '1';
const skipReason = workerBinary.available ? '' : ` (skipped: ${workerBinary.reason})`;
if (!workerBinary.available && !required)
  console.warn(`mediasoup worker SRTP tests skipped: ${workerBinary.reason}`);

const SUITES: types.SrtpCryptoSuite[] = [
  'AES_CM_128_HMAC_SHA1_80',
  'AES_CM_128_HMAC_SHA1_32',
  'AEAD_AES_128_GCM',
  'AEAD_AES_256_GCM',
];
const OPUS: types.RtpCodecCapability = {
  kind: 'audio',
  mimeType: 'audio/opus',
  clockRate: 48000,
  channels: 2,
  preferredPayloadType: 100,
};
const LOOPBACK: types.TransportListenInfo = { protocol: 'udp', ip: '127.0.0.1' };
const SOURCE_SSRC = 0x11223344;
const PACKETS_WANTED = 20;
const MAX_PACKETS_SENT = 400;

/** A 20 ms Opus-sized RTP packet whose payload starts with its index, then random bytes. */
function rtpPacket(index: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = 100;
  header.writeUInt16BE(index & 0xffff, 2);
  header.writeUInt32BE((index * 960) >>> 0, 4);
  header.writeUInt32BE(SOURCE_SSRC, 8);
  return Buffer.concat([header, payload]);
}

/** Router B's consumer adds header extensions (mid, abs-send-time, …): skip them and the CSRCs. */
function rtpPayloadOffset(packet: Buffer): number {
  let offset = 12 + (packet[0]! & 0x0f) * 4;
  if (packet[0]! & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return offset;
}

async function udpSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

interface Path {
  routerA: types.Router;
  routerB: types.Router;
  /** Where this process sends plain RTP into router A. */
  ingress: types.PlainTransport;
  /** Router A's SRTP side. */
  srtpA: types.PlainTransport;
  /** Router B's SRTP side. */
  srtpB: types.PlainTransport;
  /** Plain RTP out of router B to `sink`. */
  egress: types.PlainTransport;
  sink: Socket;
  source: Socket;
  received: Map<number, Buffer>;
  close(): void;
}

/**
 * Router A: ingress (plain) → producer → consumer on srtpA. Router B: srtpB → producer → consumer
 * on egress (plain) → sink. srtpB decrypts with `receiverKeyFrom`'s keys: srtpA's for the real
 * path, another transport's to prove a wrong key lets nothing through.
 */
async function buildPath(
  worker: types.Worker,
  suite: types.SrtpCryptoSuite,
  wrongKey: boolean,
): Promise<Path> {
  const routerA = await worker.createRouter({ mediaCodecs: [OPUS] });
  const routerB = await worker.createRouter({ mediaCodecs: [OPUS] });
  const srtp = {
    listenInfo: LOOPBACK,
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: suite,
  };
  const ingress = await routerA.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: true, comedia: true });
  const srtpA = await routerA.createPlainTransport(srtp);
  const srtpB = await routerB.createPlainTransport(srtp);
  const decoy = await routerB.createPlainTransport(srtp);
  const egress = await routerB.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: true, comedia: false });
  const sink = await udpSocket();
  const source = await udpSocket();

  await srtpA.connect({
    ip: '127.0.0.1',
    port: srtpB.tuple.localPort,
    srtpParameters: srtpB.srtpParameters,
  });
  await srtpB.connect({
    ip: '127.0.0.1',
    port: srtpA.tuple.localPort,
    srtpParameters: wrongKey ? decoy.srtpParameters : srtpA.srtpParameters,
  });
  await egress.connect({ ip: '127.0.0.1', port: sink.address().port });

  const producerA = await ingress.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc: SOURCE_SSRC }],
    },
  });
  const consumerA = await srtpA.consume({
    producerId: producerA.id,
    rtpCapabilities: routerA.rtpCapabilities,
  });
  const producerB = await srtpB.produce({ kind: 'audio', rtpParameters: consumerA.rtpParameters });
  await egress.consume({ producerId: producerB.id, rtpCapabilities: routerB.rtpCapabilities });

  const received = new Map<number, Buffer>();
  sink.on('message', (packet: Buffer) => {
    // RTP only (RTCP from router B has payload types 200–206 in the second byte).
    if (packet.length < 12 || (packet[1]! & 0x7f) !== 100) return;
    const payload = packet.subarray(rtpPayloadOffset(packet));
    received.set(payload.readUInt32BE(0), Buffer.from(payload));
  });

  return {
    routerA,
    routerB,
    ingress,
    srtpA,
    srtpB,
    egress,
    sink,
    source,
    received,
    close() {
      routerA.close();
      routerB.close();
      sink.close();
      source.close();
    },
  };
}

/** Sends packets every 5 ms until `enough()` or MAX_PACKETS_SENT; returns the payloads sent. */
async function sendUntil(path: Path, enough: () => boolean): Promise<Buffer[]> {
  const sent: Buffer[] = [];
  for (let index = 0; index < MAX_PACKETS_SENT && !enough(); index++) {
    const payload = Buffer.concat([Buffer.alloc(4), randomBytes(76)]);
    payload.writeUInt32BE(index, 0);
    sent.push(payload);
    path.source.send(rtpPacket(index, payload), path.ingress.tuple.localPort, '127.0.0.1');
    await sleep(5);
  }
  return sent;
}

describe.runIf(workerBinary.available || required)(
  `mediasoup worker SRTP (libsrtp 3 API on libsrtp 2)${skipReason}`,
  () => {
    let worker: types.Worker;

    beforeAll(async () => {
      if (!workerBinary.available) throw new Error(`PARLEY_REQUIRE_MEDIASOUP=1 but ${workerBinary.reason}`);
      worker = await mediasoup.createWorker({ workerBin: workerBinary.path, logLevel: 'warn' });
    });
    afterAll(() => worker?.close());

    it('starts a worker, creates a router and closes both', async () => {
      const router = await worker.createRouter({ mediaCodecs: [OPUS] });
      expect(router.rtpCapabilities.codecs?.some((codec) => codec.mimeType === 'audio/opus')).toBe(true);
      router.close();
      expect(router.closed).toBe(true);
      const usage = await worker.getResourceUsage();
      expect(usage.ru_maxrss).toBeGreaterThan(0);
    });

    for (const suite of SUITES) {
      it(`carries RTP through SRTP between two routers with ${suite}, payloads unchanged`, async () => {
        const path = await buildPath(worker, suite, false);
        try {
          const sent = await sendUntil(path, () => path.received.size >= PACKETS_WANTED);
          expect(path.received.size).toBeGreaterThanOrEqual(PACKETS_WANTED);
          for (const [index, payload] of path.received) {
            expect(payload.equals(sent[index]!)).toBe(true);
          }
          // SRTP on the wire between the routers: router B received and decrypted, router A sent.
          const [statsA] = await path.srtpA.getStats();
          const [statsB] = await path.srtpB.getStats();
          expect(statsA?.rtpBytesSent).toBeGreaterThan(0);
          expect(statsB?.rtpBytesReceived).toBeGreaterThan(0);
        } finally {
          path.close();
        }
      });
    }

    it('lets nothing through when the receiving router has the wrong key', async () => {
      const path = await buildPath(worker, 'AES_CM_128_HMAC_SHA1_80', true);
      try {
        // Batches of packets until router A has sent 40 of them over SRTP and router B has received
        // (and refused) them; the same path with the right key delivers within a batch or two.
        let sentBytes = 0;
        let bytesAtB = 0;
        for (let batch = 0; batch < 20 && (sentBytes < 40 * 80 || bytesAtB === 0); batch++) {
          let sentInBatch = 0;
          await sendUntil(path, () => sentInBatch++ >= 10);
          sentBytes = (await path.srtpA.getStats())[0]?.rtpBytesSent ?? 0;
          bytesAtB = (await path.srtpB.getStats())[0]?.bytesReceived ?? 0;
        }
        expect(sentBytes).toBeGreaterThanOrEqual(40 * 80);
        expect(bytesAtB).toBeGreaterThan(0);
        expect((await path.srtpB.getStats())[0]?.rtpBytesReceived ?? 0).toBe(0);
        expect(path.received.size).toBe(0);
      } finally {
        path.close();
      }
    });
  },
);
