/**
 * Parley's mediasoup engine driven over IPC by the benchmark, the way a consultation uses it:
 * the engine-neutral rooms (MediaEngine, MediaRoom: routing plan, active speaker from the levels,
 * link quality sampled from the worker's statistics) over the MediasoupBackend port with one
 * worker. Each participant is an SRTP plain RTP leg on 127.0.0.1 (AES_CM_128_HMAC_SHA1_80, keys
 * exchanged in the negotiation), publishing Opus; the room subscribes everyone to everyone and
 * routing commands pause and resume the worker's consumers. The benchmark pins this process to
 * one core; the worker it spawns inherits that core, and its CPU and memory are read from
 * /proc/<worker pid>.
 *
 * A plain leg with SRTP carries the same per-packet work as a WebRTC transport once connected
 * (SRTP in, RTP routing, SRTP out); ICE and DTLS only set the keys up, so joins here do not time
 * a browser's join.
 */
import { version as mediasoupVersion } from 'mediasoup';
import type { LanguageCode, RoutingParticipant, RoutingState } from '@parley/shared';
import { createLogger } from '../../server/src/logger.ts';
import { MediaEngine } from '../../server/src/media/MediaEngine.ts';
import type { MediaRoom } from '../../server/src/media/MediaRoom.ts';
import { MediasoupBackend } from '../../server/src/media/mediasoup/MediasoupBackend.ts';
import { findWorkerBinary } from '../../server/src/media/mediasoup/workerBinary.ts';

export type MediasoupRequest =
  | { op: 'worker' }
  | {
      op: 'join';
      roomId: string;
      participantId: string;
      /** Who they are; absent: the room of three's (attorney, interpreter, client by id). */
      info?: Omit<RoutingParticipant, 'id'>;
      /** The generator's socket for this participant. */
      port: number;
      /** What the generator sends with: master key ‖ salt, base64 (AES_CM_128_HMAC_SHA1_80). */
      keyBase64: string;
      ssrc: number;
      audioLevelExtensionId: number;
    }
  /** The interpreter renders into `into` (SIMULTANEOUS): the plan routes them to that side only. */
  | { op: 'render'; roomId: string; into: LanguageCode }
  /** Any routing state (relay channels, sidebars), as the call's routing changes set it. */
  | { op: 'routing'; roomId: string; state: RoutingState }
  | { op: 'closeRoom'; roomId: string }
  /** This process's CPU (the port, the rooms' policy, IPC to the worker) since the last ask. */
  | { op: 'nodeCpu' };

export interface JoinResult {
  /** The worker's port for this participant. */
  port: number;
  /** What the worker sends to this participant with (master key ‖ salt, base64). */
  keyBase64: string;
}

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const INFO: Record<'attorney' | 'interpreter' | 'client', Omit<RoutingParticipant, 'id'>> = {
  attorney: { role: 'ATTORNEY', language: 'en' },
  interpreter: { role: 'INTERPRETER', language: 'es' },
  client: { role: 'CLIENT', language: 'es' },
};

const binary = findWorkerBinary();
if (!binary.available) {
  process.stderr.write(`[bench] mediasoup: ${binary.reason}\n`);
  process.exit(3);
}
const logger = createLogger('silent');
const backend = await MediasoupBackend.start({
  logger,
  workerBin: binary.path,
  workers: 1,
  listenIps: ['127.0.0.1'],
});
const engine = new MediaEngine(backend, { logger, video: false });
const [workerPid] = backend.workerPids;

let lastCpu = { usage: process.cpuUsage(), at: performance.now() };

function room(roomId: string): MediaRoom {
  return engine.getRoom(roomId) ?? engine.createRoom(roomId);
}

async function handle(request: MediasoupRequest): Promise<unknown> {
  switch (request.op) {
    case 'worker':
      return { pid: workerPid, version: mediasoupVersion, path: binary.available ? binary.path : '' };
    case 'join': {
      const info = request.info ?? INFO[request.participantId as keyof typeof INFO];
      if (!info) throw new Error(`who is ${request.participantId}? (no info given)`);
      const participant = room(request.roomId).addParticipant(
        { id: request.participantId, ...info },
        {},
        { transport: 'plainRtp', srtp: true },
      );
      const negotiation = await participant.negotiated;
      if (negotiation.kind !== 'plainRtp' || !negotiation.srtp) throw new Error('expected an SRTP plain leg');
      await participant.negotiate({
        step: 'connectPlainRtp',
        address: '127.0.0.1',
        port: request.port,
        srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: request.keyBase64 },
      });
      // What the generator receives: Opus with the audio level (the router's own extension id).
      await participant.negotiate({
        step: 'receiveCapabilities',
        rtpCapabilities: {
          codecs: [
            {
              kind: 'audio',
              mimeType: 'audio/opus',
              preferredPayloadType: 111,
              clockRate: 48_000,
              channels: 2,
            },
          ],
          headerExtensions: [{ kind: 'audio', uri: AUDIO_LEVEL_URI, preferredId: 6 }],
        },
      });
      await participant.negotiate({
        step: 'produce',
        transportId: negotiation.transportId,
        slot: 'microphone',
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48_000, channels: 2 }],
          headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: request.audioLevelExtensionId }],
          encodings: [{ ssrc: request.ssrc }],
        },
      });
      const result: JoinResult = { port: negotiation.port, keyBase64: negotiation.srtp.keyBase64 };
      return result;
    }
    case 'render': {
      const applied = await room(request.roomId).setRouting({
        mode: 'SIMULTANEOUS',
        interpreterState: { renderingInto: request.into },
        sidebars: [],
      });
      return applied.version;
    }
    case 'routing':
      return (await room(request.roomId).setRouting(request.state)).version;
    case 'closeRoom':
      engine.getRoom(request.roomId)?.close();
      await engine.settled();
      return null;
    case 'nodeCpu': {
      const now = performance.now();
      const used = process.cpuUsage(lastCpu.usage);
      const cores = (used.user + used.system) / 1000 / Math.max(1, now - lastCpu.at);
      lastCpu = { usage: process.cpuUsage(), at: now };
      return { driver_cores: cores };
    }
  }
}

process.on('message', (message: { id: number; request: MediasoupRequest }) => {
  handle(message.request).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => {
  engine.close();
  void engine.settled().then(() => process.exit(0));
});
backend.events.on('participantLost', () => {
  process.stderr.write('[bench] mediasoup worker died\n');
  process.exit(4);
});
process.send?.({ ready: true });
