/**
 * Parley's mediasoup engine under the same load as its werift engine and Janus: the engine-neutral
 * rooms over the MediasoupBackend port with one worker (`mediasoupServer.ts`), pinned to core 0;
 * the lean generator in this process on core 1; rooms of three publishing 50 packets/s each over
 * SRTP (AES_CM_128_HMAC_SHA1_80, as browsers pick), each stream forwarded to the two others.
 * CPU and memory are the worker process's own (the Node process driving it is reported apart).
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ProtectionProfileAes128CmHmacSha1_80, SrtpSession } from 'werift';
import { findWorkerBinary } from '../../server/src/media/mediasoup/workerBinary.ts';
import { runSuite, type SuiteOptions, type SuiteResult } from './capacity.ts';
import { LoadGenerator, type LeanEndpoint, type Stream } from './LoadGenerator.ts';
import type { SrtpContextKeys } from './leanSrtp.ts';
import type { JoinResult, MediasoupRequest } from './mediasoupServer.ts';
import { IpcChild, emit, median, note, quantile, rssBytes, sleep } from './support.ts';

const ROLES = ['attorney', 'interpreter', 'client'] as const;
const AUDIO_LEVEL_EXTENSION_ID = 1;

interface Joined {
  id: string;
  endpoint: LeanEndpoint;
  stream: Stream;
  socket: Socket;
}

/** RFC 3711 session keys from a master key ‖ salt (werift's key derivation, not mediasoup's). */
export function sessionKeys(master: Buffer): SrtpContextKeys {
  const key = master.subarray(0, 16);
  const salt = master.subarray(16, 30);
  const session = new SrtpSession({
    keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt },
    profile: ProtectionProfileAes128CmHmacSha1_80,
  });
  const context = session.localContext;
  return {
    srtpSessionKey: context.srtpSessionKey,
    srtpSessionSalt: context.srtpSessionSalt,
    srtpSessionAuthTag: context.srtpSessionAuthTag,
    profile: ProtectionProfileAes128CmHmacSha1_80,
  };
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

/** Runs the suite on one mediasoup worker; undefined (with a figure saying why) without one. */
export async function runMediasoup(
  options: SuiteOptions & { routingToggles: number },
): Promise<SuiteResult | undefined> {
  const binary = findWorkerBinary();
  if (!binary.available) {
    note(`mediasoup skipped: ${binary.reason}`);
    emit({ figure: 'mediasoup.skipped', median: null, p99: null, unit: '', reason: binary.reason });
    return undefined;
  }
  const server = new IpcChild<MediasoupRequest>('./mediasoupServer.ts', 0);
  await server.ready();
  const worker = await server.request<{ pid: number; version: string; path: string }>({ op: 'worker' });
  note(`mediasoup ${worker.version}: worker ${worker.path} (pid ${worker.pid}, ${binary.source})`);
  const gen = new LoadGenerator();
  const rooms: Joined[][] = [];
  const sockets: Socket[] = [];

  async function join(
    roomId: string,
    participantId: (typeof ROLES)[number],
    inRoom: Joined[],
  ): Promise<Joined> {
    const socket = createSocket('udp4');
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const sendMaster = randomBytes(30);
    const ssrc = randomBytes(4).readUInt32BE(0);
    const joined = await server.request<JoinResult>({
      op: 'join',
      roomId,
      participantId,
      port: socket.address().port,
      keyBase64: sendMaster.toString('base64'),
      ssrc,
      audioLevelExtensionId: AUDIO_LEVEL_EXTENSION_ID,
    });
    const endpoint = gen.endpoint();
    endpoint.attachSocket(
      socket,
      '127.0.0.1',
      joined.port,
      sessionKeys(sendMaster),
      sessionKeys(Buffer.from(joined.keyBase64, 'base64')),
    );
    const stream = gen.addStream(endpoint, ssrc, AUDIO_LEVEL_EXTENSION_ID, inRoom.length);
    for (const other of inRoom) other.stream.fanout++;
    return { id: participantId, endpoint, stream, socket };
  }

  const target = {
    name: 'mediasoup',
    pid: worker.pid,
    async addRoom(index: number) {
      const roomId = `room-${index}`;
      const inRoom: Joined[] = [];
      rooms[index] = inRoom;
      for (const role of ROLES) inRoom.push(await join(roomId, role, inRoom));
      // No ICE or DTLS here (keys are exchanged in the request), so no join time is reported.
      return { joinMs: [] };
    },
    memory() {
      return Promise.resolve(rssBytes(worker.pid));
    },
    /** The Node process driving the worker through the port: its CPU over the window. */
    stalls() {
      return server.request<Record<string, number>>({ op: 'nodeCpu' });
    },
  };

  try {
    const result = await runSuite(target, gen, options);
    await measureRoutingSwitch(options.routingToggles);
    return result;
  } finally {
    gen.stop();
    await server.stop();
    for (const socket of sockets) socket.close();
  }

  /**
   * As for Parley: the interpreter switches the language they render into, through the room's
   * routing plan (MediaRoom.setRouting → the port's routing command → consumers paused and
   * resumed). The listener who starts hearing them is timed from the command to the first
   * interpreter packet; the one who stops must receive nothing sent after the plan was
   * acknowledged.
   */
  async function measureRoutingSwitch(toggles: number): Promise<void> {
    const switchMs: number[] = [];
    let leaked = 0;
    const render = (roomId: string, into: 'en' | 'es') => server.request({ op: 'render', roomId, into });
    for (let t = 0; t < Math.min(toggles, rooms.length * 8); t++) {
      const roomIndex = t % rooms.length;
      const roomId = `room-${roomIndex}`;
      const [attorney, interpreter, client] = rooms[roomIndex] as [Joined, Joined, Joined];
      // Into Spanish the client gains the interpreter and the attorney loses them; and back.
      const [gains, loses, into, from] =
        t % 2 === 0 ? ([client, attorney, 'es', 'en'] as const) : ([attorney, client, 'en', 'es'] as const);
      // Start from the opposite state.
      await render(roomId, from);
      await sleep(60);
      let firstAt: number | undefined;
      let ackAt = Infinity;
      const streamId = interpreter.stream.id;
      gains.endpoint.onStamp = (id, _sentAt, now) => {
        if (id === streamId) firstAt ??= now;
      };
      loses.endpoint.onStamp = (id, sentAt) => {
        if (id === streamId && sentAt > ackAt) leaked++;
      };
      await sleep(20);
      firstAt = undefined;
      const start = performance.now();
      await render(roomId, into);
      ackAt = performance.now();
      await waitFor(() => firstAt !== undefined, 1000);
      await sleep(60);
      gains.endpoint.onStamp = undefined;
      loses.endpoint.onStamp = undefined;
      if (firstAt !== undefined) switchMs.push(firstAt - start);
    }
    emit({
      figure: 'mediasoup.routing.switch',
      median: median(switchMs),
      p99: quantile(switchMs, 0.99),
      unit: 'ms',
      samples: switchMs.length,
      leaked_after_ack: leaked,
      note: 'routing plan through the port (consumers resumed/paused) → first interpreter packet at the new listener; includes waiting for the next 20 ms frame',
    });
  }
}
