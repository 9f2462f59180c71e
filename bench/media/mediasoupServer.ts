/**
 * One mediasoup worker driven over IPC by the benchmark, the way a consultation uses it: a router
 * per room of three with an AudioLevelObserver (active speaker), one SRTP PlainTransport per
 * participant on 127.0.0.1, each participant's Opus producer consumed by the two others. The
 * benchmark pins this process to one core; the worker it spawns inherits that core, and its CPU
 * and memory are read from /proc/<worker pid>.
 *
 * PlainTransport + SRTP carries the same per-packet work as WebRTC transports once they are
 * connected (SRTP in, RTP routing, SRTP out); ICE and DTLS only set the keys up, so joins here
 * do not time a browser's join.
 */
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { findWorkerBinary } from '../../server/src/media/mediasoup/workerBinary.ts';

export type MediasoupRequest =
  | { op: 'worker' }
  | {
      op: 'join';
      roomId: string;
      participantId: string;
      /** The generator's socket for this participant. */
      port: number;
      /** What the generator sends with: master key ‖ salt, base64 (AES_CM_128_HMAC_SHA1_80). */
      keyBase64: string;
      ssrc: number;
      audioLevelExtensionId: number;
    }
  | { op: 'pause'; roomId: string; listenerId: string; speakerId: string; paused: boolean }
  | { op: 'closeRoom'; roomId: string };

export interface JoinResult {
  /** The worker's port for this participant. */
  port: number;
  /** What the worker sends to this participant with (master key ‖ salt, base64). */
  keyBase64: string;
}

const OPUS: types.RtpCodecCapability = {
  kind: 'audio',
  mimeType: 'audio/opus',
  clockRate: 48000,
  channels: 2,
  preferredPayloadType: 111,
};
const SUITE: types.SrtpCryptoSuite = 'AES_CM_128_HMAC_SHA1_80';

interface Participant {
  transport: types.PlainTransport;
  producer: types.Producer;
  /** Consumers on this participant's transport, by speaker id. */
  consumers: Map<string, types.Consumer>;
}

interface Room {
  router: types.Router;
  observer: types.AudioLevelObserver;
  participants: Map<string, Participant>;
}

const binary = findWorkerBinary();
if (!binary.available) {
  process.stderr.write(`[bench] mediasoup: ${binary.reason}\n`);
  process.exit(3);
}
const worker = await mediasoup.createWorker({ workerBin: binary.path, logLevel: 'error' });
worker.on('died', (error) => {
  process.stderr.write(`[bench] mediasoup worker died: ${String(error)}\n`);
  process.exit(4);
});
const rooms = new Map<string, Room>();

async function consume(listener: Participant, speakerId: string, speaker: Participant, router: types.Router) {
  const consumer = await listener.transport.consume({
    producerId: speaker.producer.id,
    rtpCapabilities: router.rtpCapabilities,
  });
  listener.consumers.set(speakerId, consumer);
}

async function handle(request: MediasoupRequest): Promise<unknown> {
  switch (request.op) {
    case 'worker':
      return { pid: worker.pid, version: mediasoup.version, path: binary.available ? binary.path : '' };
    case 'join': {
      let room = rooms.get(request.roomId);
      if (!room) {
        const router = await worker.createRouter({ mediaCodecs: [OPUS] });
        const observer = await router.createAudioLevelObserver({
          maxEntries: 1,
          threshold: -70,
          interval: 800,
        });
        room = { router, observer, participants: new Map() };
        rooms.set(request.roomId, room);
      }
      const transport = await room.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: SUITE,
      });
      await transport.connect({
        ip: '127.0.0.1',
        port: request.port,
        srtpParameters: { cryptoSuite: SUITE, keyBase64: request.keyBase64 },
      });
      const producer = await transport.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
          headerExtensions: [
            { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: request.audioLevelExtensionId },
          ],
          encodings: [{ ssrc: request.ssrc }],
        },
      });
      await room.observer.addProducer({ producerId: producer.id });
      const joined: Participant = { transport, producer, consumers: new Map() };
      for (const [otherId, other] of room.participants) {
        await consume(other, request.participantId, joined, room.router);
        await consume(joined, otherId, other, room.router);
      }
      room.participants.set(request.participantId, joined);
      const result: JoinResult = {
        port: transport.tuple.localPort,
        keyBase64: transport.srtpParameters!.keyBase64,
      };
      return result;
    }
    case 'pause': {
      const consumer = rooms
        .get(request.roomId)
        ?.participants.get(request.listenerId)
        ?.consumers.get(request.speakerId);
      if (!consumer) throw new Error('no such consumer');
      if (request.paused) await consumer.pause();
      else await consumer.resume();
      return null;
    }
    case 'closeRoom':
      rooms.get(request.roomId)?.router.close();
      rooms.delete(request.roomId);
      return null;
  }
}

process.on('message', (message: { id: number; request: MediasoupRequest }) => {
  handle(message.request).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => {
  worker.close();
  process.exit(0);
});
process.send?.({ ready: true });
