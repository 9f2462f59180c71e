/**
 * Parley's media engine under load: the engine in a child process pinned to core 0, the lean
 * generator in this process on core 1, joined through the engine API (offer/answer over IPC,
 * ICE/DTLS/SRTP over 127.0.0.1), every participant publishing 50 packets/s.
 */
import { performance } from 'node:perf_hooks';
import { RTCPeerConnection, RTP_EXTENSION_URI, type RTCRtpTransceiver } from 'werift';
import type { RoutingParticipant, RoutingState } from '@parley/shared';
import { peerConnectionConfig } from '../../server/src/media/werift/peerConfig.ts';
import { runSuite, type SuiteOptions, type SuiteResult } from './capacity.ts';
import { LoadGenerator, type LeanEndpoint, type Stream } from './LoadGenerator.ts';
import type { ServerRequest, ServerStalls } from './parleyServer.ts';
import { IpcChild, emit, median, note, quantile, round, sleep, waitConnected } from './support.ts';

const ROLES: RoutingParticipant[] = [
  { id: 'attorney', role: 'ATTORNEY', language: 'en' },
  { id: 'interpreter', role: 'INTERPRETER', language: 'es' },
  { id: 'client', role: 'CLIENT', language: 'es' },
];

interface Joined {
  endpoint: LeanEndpoint;
  stream: Stream;
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

export async function runParley(
  options: SuiteOptions & {
    routingToggles: number;
    profileDir?: string | undefined;
    /** 'werift': the engine with werift's own audio path, the state before the optimisation. */
    audioPath?: 'lean' | 'werift';
  },
): Promise<SuiteResult> {
  const audioPath = options.audioPath ?? 'lean';
  const name = audioPath === 'lean' ? 'parley' : 'parley_werift_audio';
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const server = new IpcChild<ServerRequest>(
    './parleyServer.ts',
    0,
    ['--expose-gc', ...profile, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    [`--audio-path=${audioPath}`],
  );
  await server.ready();
  const gen = new LoadGenerator();
  const rooms: Joined[][] = [];
  const pcs: RTCPeerConnection[] = [];

  async function join(roomId: string, info: RoutingParticipant, inRoom: Joined[]): Promise<Joined> {
    const pc = new RTCPeerConnection(peerConnectionConfig({ listenAddresses: ['127.0.0.1'] }));
    pcs.push(pc);
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
    endpoint.watchFirstPacket();
    await server.request({ op: 'answer', roomId, participantId: info.id, sdp: pc.localDescription!.sdp });
    await waitConnected(pc);
    endpoint.takeOver();
    const levelId = publishing.headerExtensions.find(
      (e) => e.uri === RTP_EXTENSION_URI.audioLevelIndication,
    )?.id;
    const stream = gen.addStream(endpoint, publishing.sender.ssrc, levelId, inRoom.length);
    // Everyone already in the room now reaches one more listener.
    for (const other of inRoom) other.stream.fanout++;
    return { endpoint, stream };
  }

  const target = {
    name,
    pid: server.pid,
    async addRoom(index: number) {
      const roomId = `room-${index}`;
      const inRoom: Joined[] = [];
      rooms[index] = inRoom;
      const joinMs: number[] = [];
      for (const info of ROLES) {
        const start = performance.now();
        const joined = await join(roomId, info, inRoom);
        inRoom.push(joined);
        if (inRoom.length > 1) {
          // Someone is already publishing: time until the first of it reaches the newcomer.
          if (await waitFor(() => joined.endpoint.firstPacketAt !== undefined, 5000))
            joinMs.push(joined.endpoint.firstPacketAt! - start);
          else note(`parley: ${info.id} in ${roomId} heard nothing within 5 s`);
        }
      }
      return { joinMs };
    },
    async memory() {
      const usage = await server.request<{ memory: NodeJS.MemoryUsage }>({ op: 'usage', gc: true });
      return usage.memory.rss;
    },
    async stalls() {
      const stalls = await server.request<ServerStalls>({ op: 'stalls', reset: true });
      return Object.fromEntries(
        Object.entries(stalls as unknown as Record<string, number>).map(([k, v]) => [k, round(v)]),
      );
    },
  };

  try {
    const result = await runSuite(target, gen, options);
    await measureRoutingSwitch(options.routingToggles);
    return result;
  } finally {
    gen.stop();
    await server.stop();
    await Promise.allSettled(pcs.map((pc) => pc.close()));
  }

  /**
   * The interpreter switches the language they render into: the listener who starts hearing
   * them is timed from the toggle (sent to the engine) to the first interpreter packet they
   * receive; the listener who stops must receive nothing sent after the engine acknowledged.
   */
  async function measureRoutingSwitch(toggles: number): Promise<void> {
    const switchMs: number[] = [];
    let leaked = 0;
    const simultaneous = (into: 'en' | 'es'): RoutingState => ({
      mode: 'SIMULTANEOUS',
      interpreterState: { renderingInto: into },
      sidebars: [],
    });
    for (let t = 0; t < toggles; t++) {
      const roomIndex = t % rooms.length;
      const room = rooms[roomIndex]!;
      const [attorney, interpreter, client] = room as [Joined, Joined, Joined];
      const into = t % 2 === 0 ? 'es' : 'en';
      const [gains, loses] = into === 'es' ? [client, attorney] : [attorney, client];
      // Start from the opposite state.
      await server.request({
        op: 'routing',
        roomId: `room-${roomIndex}`,
        state: simultaneous(into === 'es' ? 'en' : 'es'),
      });
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
      await server.request({ op: 'routing', roomId: `room-${roomIndex}`, state: simultaneous(into) });
      ackAt = performance.now();
      await waitFor(() => firstAt !== undefined, 1000);
      await sleep(60);
      gains.endpoint.onStamp = undefined;
      loses.endpoint.onStamp = undefined;
      if (firstAt !== undefined) switchMs.push(firstAt - start);
    }
    emit({
      figure: `${name}.routing.switch`,
      median: median(switchMs),
      p99: quantile(switchMs, 0.99),
      unit: 'ms',
      samples: switchMs.length,
      leaked_after_ack: leaked,
      note: 'toggle → first interpreter packet at the new listener; includes waiting for the next 20 ms frame',
    });
  }
}
