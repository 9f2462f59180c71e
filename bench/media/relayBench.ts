/**
 * Relay through a pivot language with four participants per room (issue 17), through Parley's
 * engine on mediasoup — the same path as `mediasoupBench.ts`: `MediaEngine` and `MediaRoom` over
 * the `MediasoupBackend` port with one worker (`mediasoupServer.ts`, pinned to core 0), every
 * participant an SRTP plain RTP leg driven by the lean generator in this process (core 1).
 *
 * - `relay.load.<layout>`: N rooms of the layout (`relayLayout.ts`: rooms of three under the
 *   single interpreter's light switch, rooms of four in relay), SIMULTANEOUS, every participant
 *   publishing 50 packets/s; the worker's CPU per packet handled (in + out) and per packet
 *   forwarded, over one window. The layouts alternate (three, relay, three, relay, …) so a burst of
 *   someone else's load hits both; `relay.load.ratio` is relay over three, median of the rounds.
 * - `relay.routing.switch.<layout>`: one routing command (`MediaRoom.setRouting`) turns a loaded
 *   room: for a relay room both interpreters at once (the relay turn). Timed from the command to
 *   the first packet at each listener who gains a speaker (`pair_*`), and to the last of them
 *   (`room_*`: the whole room switched); `ack_*` is command → the engine's acknowledgement. What
 *   the plan says changes is computed by the plan itself (`routeChanges`).
 * - Leaks, over the whole run once a room's routing is set: a packet of a pair the current plan
 *   does not send that was sent after the plan was acknowledged. `leaked_never_sent` counts those
 *   of pairs no state of the layout sends (the attorney hearing the Mam channel, the client the
 *   Spanish one); `leaked_after_ack` the pairs a switch stopped. Both must be 0.
 *
 *   npx tsx bench/media/relayBench.ts [--quick]       # or npm run bench -- --only=relay
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { RoutingParticipant, RoutingState } from '@parley/shared';
import { RTCPeerConnection, RTP_EXTENSION_URI, type RTCRtpTransceiver } from 'werift';
import { peerConnectionConfig } from '../../server/src/media/werift/peerConfig.ts';
import { findWorkerBinary } from '../../server/src/media/mediasoup/workerBinary.ts';
import { FRAME_MS, LoadGenerator, type LeanEndpoint, type Stream } from './LoadGenerator.ts';
import { sessionKeys } from './mediasoupBench.ts';
import type { JoinResult, MediasoupRequest } from './mediasoupServer.ts';
import type { ServerRequest } from './parleyServer.ts';
import {
  fanoutBySpeaker,
  neverSent,
  pairKey,
  RELAY,
  routeChanges,
  sentPairs,
  THREE,
  type RoomLayout,
} from './relayLayout.ts';
import {
  CpuMeter,
  IpcChild,
  emit,
  median,
  note,
  pinSelf,
  quantile,
  sleep,
  waitConnected,
} from './support.ts';

export interface RelayBenchOptions {
  /** Rooms of each layout loaded at once. */
  rooms: number;
  /** The same on werift, whose joins cost far more (the full run only). */
  weriftRooms: number;
  /** Rounds of (three, relay). */
  rounds: number;
  warmMs: number;
  measureMs: number;
  /** Routing switches measured per layout (in the last round, under the load). */
  toggles: number;
}

export const RELAY_BENCH: Record<'quick' | 'full', RelayBenchOptions> = {
  quick: { rooms: 4, weriftRooms: 4, rounds: 1, warmMs: 500, measureMs: 2000, toggles: 8 },
  full: { rooms: 20, weriftRooms: 10, rounds: 3, warmMs: 1500, measureMs: 5000, toggles: 40 },
};

const AUDIO_LEVEL_EXTENSION_ID = 1;

interface Member {
  id: string;
  endpoint: LeanEndpoint;
  stream: Stream;
  close(): void;
}

interface LoadedRoom {
  id: string;
  layout: RoomLayout;
  members: Member[];
  /** Index into layout.states of the state in force. */
  stateIndex: number;
  /** Pairs that may receive now; while a switch is in flight, those of both states. */
  allowed: Set<string>;
  /** When the state in force was acknowledged (Infinity before the first: nothing is checked). */
  ackAt: number;
  /** The switch being timed: first packet at each gained pair. */
  pending: Map<string, number | undefined> | undefined;
  /** When each pair last delivered a packet: shows the pairs a switch stops were flowing up to it. */
  lastHeard: Map<string, number>;
}

interface Leaks {
  afterAck: number;
  neverSent: number;
  /** A packet of another room's speaker: would mean crossed consumers. */
  foreign: number;
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

/** What the benchmark needs of an engine: join a participant as a lean peer, route, close, its CPU. */
interface RelayEngine {
  name: 'mediasoup' | 'werift';
  /** The process whose CPU is the engine's (mediasoup: the worker; werift: the Node process). */
  cpuPid: number;
  join(
    roomId: string,
    info: RoutingParticipant,
  ): Promise<{ endpoint: LeanEndpoint; stream: Stream; close(): void }>;
  routing(roomId: string, state: RoutingState): Promise<void>;
  closeRoom(roomId: string): Promise<void>;
  /** The CPU of the Node process driving a worker since the last ask (mediasoup only). */
  driverCores(): Promise<number | null>;
  stop(): Promise<void>;
}

async function mediasoupEngine(gen: LoadGenerator): Promise<RelayEngine | string> {
  const binary = findWorkerBinary();
  if (!binary.available) return binary.reason;
  const server = new IpcChild<MediasoupRequest>('./mediasoupServer.ts', 0);
  await server.ready();
  const worker = await server.request<{ pid: number; version: string }>({ op: 'worker' });
  note(`relay: mediasoup ${worker.version}, worker pid ${worker.pid}`);
  return {
    name: 'mediasoup',
    cpuPid: worker.pid,
    async join(roomId, info) {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const sendMaster = randomBytes(30);
      const ssrc = randomBytes(4).readUInt32BE(0);
      const joined = await server.request<JoinResult>({
        op: 'join',
        roomId,
        participantId: info.id,
        info: { role: info.role, language: info.language },
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
      // Fan-out is set from the plan once the room's routing is on.
      const stream = gen.addStream(endpoint, ssrc, AUDIO_LEVEL_EXTENSION_ID, 0);
      return { endpoint, stream, close: () => socket.close() };
    },
    async routing(roomId, state) {
      await server.request({ op: 'routing', roomId, state });
    },
    async closeRoom(roomId) {
      await server.request({ op: 'closeRoom', roomId });
    },
    async driverCores() {
      return (await server.request<{ driver_cores: number }>({ op: 'nodeCpu' })).driver_cores;
    },
    stop: () => server.stop(),
  };
}

/** Parley's werift engine (parleyServer.ts, lean audio path), joined as parleyBench.ts joins it. */
async function weriftEngine(gen: LoadGenerator): Promise<RelayEngine> {
  const server = new IpcChild<ServerRequest>('./parleyServer.ts', 0, ['--expose-gc'], ['--audio-path=lean']);
  await server.ready();
  return {
    name: 'werift',
    cpuPid: server.pid,
    async join(roomId, info) {
      const pc = new RTCPeerConnection(peerConnectionConfig({ listenAddresses: ['127.0.0.1'] }));
      const endpoint = gen.endpoint(pc);
      const offer = await server.request<string>({ op: 'join', roomId, participant: info });
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      let publishing: RTCRtpTransceiver | undefined;
      for (const transceiver of pc.getTransceivers()) {
        if (transceiver.kind === 'audio' && !publishing && transceiver.offerDirection === 'sendonly') {
          transceiver.setDirection('sendonly');
          publishing = transceiver;
        } else {
          transceiver.setDirection(transceiver.offerDirection === 'recvonly' ? 'recvonly' : 'inactive');
        }
      }
      if (!publishing) throw new Error('the offer has no track to publish on');
      await pc.setLocalDescription(await pc.createAnswer());
      await server.request({ op: 'answer', roomId, participantId: info.id, sdp: pc.localDescription!.sdp });
      await waitConnected(pc);
      endpoint.takeOver();
      const levelId = publishing.headerExtensions.find(
        (e) => e.uri === RTP_EXTENSION_URI.audioLevelIndication,
      )?.id;
      const stream = gen.addStream(endpoint, publishing.sender.ssrc, levelId, 0);
      return { endpoint, stream, close: () => void pc.close() };
    },
    async routing(roomId, state) {
      await server.request({ op: 'routing', roomId, state });
    },
    async closeRoom(roomId) {
      await server.request({ op: 'closeRoom', roomId });
    },
    driverCores: () => Promise.resolve(null),
    stop: () => server.stop(),
  };
}

/** Runs the relay benchmark on each engine named (mediasoup, werift), one after the other. */
export async function runRelay(options: RelayBenchOptions, engines: RelayEngine['name'][]): Promise<void> {
  for (const name of engines) {
    if (name === 'mediasoup') {
      await runRelayOn(name, options);
      continue;
    }
    // werift is the fallback engine, measured beside mediasoup: its joins (ICE, DTLS in JavaScript)
    // can time out on a saturated machine, which must not cost the rest of the suite its figures.
    try {
      await runRelayOn(name, { ...options, rooms: options.weriftRooms });
    } catch (error) {
      note(`relay part on werift failed: ${String(error)}`);
      emit({ figure: 'relay.werift.failed', median: null, p99: null, unit: '', reason: String(error) });
    }
  }
}

async function runRelayOn(engineName: RelayEngine['name'], options: RelayBenchOptions): Promise<void> {
  const gen = new LoadGenerator();
  const started = engineName === 'mediasoup' ? await mediasoupEngine(gen) : await weriftEngine(gen);
  if (typeof started === 'string') {
    note(`relay part on mediasoup skipped: ${started}`);
    emit({ figure: 'relay.mediasoup.skipped', median: null, p99: null, unit: '', reason: started });
    if (process.env.PARLEY_REQUIRE_MEDIASOUP === '1') throw new Error(`relay needs mediasoup: ${started}`);
    return;
  }
  const engine: RelayEngine = started;
  const prefix = `relay.${engine.name}`;
  /** Stream id → the room and speaker it belongs to. */
  const speakerOf = new Map<number, { room: LoadedRoom; speakerId: string }>();
  const leaks: Leaks = { afterAck: 0, neverSent: 0, foreign: 0 };
  const ratios: number[] = [];
  const perPacket: Record<RoomLayout['name'], number[]> = { three: [], relay: [] };

  function onStamp(room: LoadedRoom, listenerId: string, neverSent: Set<string>) {
    return (streamId: number, sentAt: number, now: number) => {
      const speaker = speakerOf.get(streamId);
      if (!speaker) return; // a stream of a phase already closed
      if (speaker.room !== room) return void leaks.foreign++;
      const key = pairKey(listenerId, speaker.speakerId);
      if (!room.allowed.has(key) && sentAt > room.ackAt) {
        if (neverSent.has(key)) leaks.neverSent++;
        else leaks.afterAck++;
      }
      room.lastHeard.set(key, now);
      if (room.pending?.has(key) && room.pending.get(key) === undefined) room.pending.set(key, now);
    };
  }

  async function join(room: LoadedRoom, index: number): Promise<Member> {
    const info = room.layout.participants[index]!;
    const joined = await engine.join(room.id, info);
    speakerOf.set(joined.stream.id, { room, speakerId: info.id });
    return { id: info.id, ...joined };
  }

  async function setState(room: LoadedRoom, index: number): Promise<{ commandAt: number; ackAt: number }> {
    const state: RoutingState = room.layout.states[index]!;
    const next = sentPairs(room.layout.participants, state);
    // In flight, either plan may be what the worker applies to the next packet.
    room.allowed = new Set([...room.allowed, ...next]);
    const commandAt = performance.now();
    await engine.routing(room.id, state);
    const ackAt = performance.now();
    room.allowed = next;
    room.ackAt = ackAt;
    room.stateIndex = index;
    return { commandAt, ackAt };
  }

  async function addRoom(layout: RoomLayout, id: string): Promise<LoadedRoom> {
    const room: LoadedRoom = {
      id,
      layout,
      members: [],
      stateIndex: -1,
      allowed: new Set(),
      ackAt: Infinity,
      pending: undefined,
      lastHeard: new Map(),
    };
    for (let i = 0; i < layout.participants.length; i++) room.members.push(await join(room, i));
    const never = new Set(neverSent(layout.participants, layout.states));
    for (const member of room.members) member.endpoint.onStamp = onStamp(room, member.id, never);
    await setState(room, 0);
    const fanout = fanoutBySpeaker(layout.participants, layout.states[0]);
    for (const member of room.members) member.stream.fanout = fanout.get(member.id) ?? 0;
    return room;
  }

  async function closeRooms(rooms: LoadedRoom[]): Promise<void> {
    gen.stop();
    for (const room of rooms) for (const member of room.members) member.stream.paused = true;
    gen.streams.splice(0);
    for (const room of rooms) await engine.closeRoom(room.id);
    await sleep(100);
    for (const room of rooms) for (const member of room.members) member.close();
    for (const [id, s] of speakerOf) if (rooms.includes(s.room)) speakerOf.delete(id);
  }

  async function loadPhase(layout: RoomLayout, round: number): Promise<LoadedRoom[]> {
    const rooms: LoadedRoom[] = [];
    const joinStart = performance.now();
    gen.start();
    for (let i = 0; i < options.rooms; i += 4) {
      const batch = [];
      for (let j = i; j < Math.min(options.rooms, i + 4); j++)
        batch.push(addRoom(layout, `${layout.name}-${round}-${j}`));
      rooms.push(...(await Promise.all(batch)));
    }
    note(
      `relay: ${rooms.length} rooms (${layout.name}) joined in ${((performance.now() - joinStart) / 1000).toFixed(1)} s`,
    );
    await sleep(options.warmMs);
    gen.newEpoch();
    await engine.driverCores();
    const workerCpu = new CpuMeter(engine.cpuPid);
    const generatorCpu = new CpuMeter(process.pid);
    await sleep(options.measureMs);
    const workerCores = workerCpu.read();
    const generatorCores = generatorCpu.read();
    const driverCores = await engine.driverCores();
    const epoch = gen.newEpoch();
    await sleep(300); // stragglers of the window still count
    const seconds = options.measureMs / 1000;
    const inPerS = epoch.sent / seconds;
    const outPerS = epoch.received / seconds;
    const usPerPacket = (workerCores * 1e6) / (inPerS + outPerS);
    perPacket[layout.name].push(usPerPacket);
    emit({
      figure: `${prefix}.load.${layout.name}`,
      median: usPerPacket,
      p99: null,
      unit: 'us_engine_cpu_per_packet_in_out',
      rooms: rooms.length,
      participants_per_room: layout.participants.length,
      round,
      engine_cores: workerCores,
      engine_cpu_us_per_forwarded: (workerCores * 1e6) / outPerS,
      engine_pct_core_per_room: (workerCores * 100) / rooms.length,
      packets_in_per_s: inPerS,
      packets_out_per_s: outPerS,
      expected_out_per_s: epoch.expected / seconds,
      lost: epoch.lost,
      raw_latency_median_ms: epoch.latency.quantile(0.5),
      raw_latency_p99_ms: epoch.latency.quantile(0.99),
      driver_cores: driverCores,
      generator_cores: generatorCores,
      generator_late_p99_ms: epoch.lateness.quantile(0.99),
    });
    return rooms;
  }

  async function measureSwitch(rooms: LoadedRoom[], toggles: number): Promise<void> {
    const pairMs: number[] = [];
    const roomMs: number[] = [];
    const ackMs: number[] = [];
    let missing = 0;
    // The control for `leaked_after_ack`: the pairs a switch stops must have been delivering right
    // up to it, or "nothing arrived after the ack" would prove nothing.
    let stoppedPairs = 0;
    let stoppedPairsLive = 0;
    for (let t = 0; t < toggles; t++) {
      const room = rooms[t % rooms.length]!;
      const to = t % 2 === 0 ? 1 : 0;
      const from = 1 - to;
      if (room.stateIndex !== from) {
        await setState(room, from);
        await sleep(60);
      }
      const { gained, lost } = routeChanges(
        room.layout.participants,
        room.layout.states[from]!,
        room.layout.states[to],
      );
      await sleep(20);
      room.pending = new Map(gained.map((k) => [k, undefined]));
      const { commandAt, ackAt } = await setState(room, to);
      for (const key of lost) {
        stoppedPairs++;
        if ((room.lastHeard.get(key) ?? -Infinity) >= commandAt - 3 * FRAME_MS) stoppedPairsLive++;
      }
      const pending = room.pending;
      await waitFor(() => [...pending.values()].every((v) => v !== undefined), 1000);
      await sleep(60);
      room.pending = undefined;
      ackMs.push(ackAt - commandAt);
      const firsts = [...pending.values()];
      for (const at of firsts) if (at === undefined) missing++;
      const heard = firsts.filter((v): v is number => v !== undefined).map((at) => at - commandAt);
      pairMs.push(...heard);
      if (heard.length === firsts.length && heard.length > 0) roomMs.push(Math.max(...heard));
    }
    const layout = rooms[0]!.layout;
    emit({
      figure: `${prefix}.routing.switch.${layout.name}`,
      median: median(pairMs),
      p99: quantile(pairMs, 0.99),
      unit: 'ms',
      switches: toggles,
      gained_pairs_per_switch: pairMs.length / Math.max(1, toggles),
      room_median_ms: median(roomMs),
      room_p99_ms: quantile(roomMs, 0.99),
      ack_median_ms: median(ackMs),
      ack_p99_ms: quantile(ackMs, 0.99),
      missing,
      stopped_pairs_live_before_switch: `${stoppedPairsLive}/${stoppedPairs}`,
      leaked_after_ack: leaks.afterAck,
      leaked_never_sent: leaks.neverSent,
      foreign_packets: leaks.foreign,
      rooms_loaded: rooms.length,
      switch: layout.switchDescription,
      note: 'command → first packet at each listener who gains a speaker (pair) and at the last of them (room); includes waiting for the speaker’s next 20 ms frame',
    });
  }

  try {
    for (let round = 0; round < options.rounds; round++) {
      const last = round === options.rounds - 1;
      for (const layout of [THREE, RELAY]) {
        const rooms = await loadPhase(layout, round);
        if (last) await measureSwitch(rooms, options.toggles);
        await closeRooms(rooms);
      }
      const three = perPacket.three[round];
      const relay = perPacket.relay[round];
      if (three !== undefined && relay !== undefined) ratios.push(relay / three);
    }
    emit({
      figure: `${prefix}.load.ratio_relay_over_three`,
      median: median(ratios),
      p99: null,
      unit: 'ratio',
      rounds: ratios.length,
      per_round: ratios,
      three_us_per_packet: median(perPacket.three),
      relay_us_per_packet: median(perPacket.relay),
      rooms: options.rooms,
      leaked_after_ack: leaks.afterAck,
      leaked_never_sent: leaks.neverSent,
      foreign_packets: leaks.foreign,
    });
  } finally {
    gen.stop();
    await engine.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  await pinSelf(1);
  const engines = (
    process.argv.find((a) => a.startsWith('--engines='))?.slice('--engines='.length) ?? 'mediasoup'
  ).split(',') as RelayEngine['name'][];
  runRelay(RELAY_BENCH[quick ? 'quick' : 'full'], engines).then(
    () => process.exit(0),
    (error: unknown) => {
      note(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
