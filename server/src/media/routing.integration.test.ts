import { createSocket } from 'node:dgram';
import { RECONNECT_GRACE_MS } from '../calls/LiveCall.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoutingState } from '@parley/shared';
import { createLogger } from '../logger.ts';
import {
  ATTORNEY,
  CLIENT,
  INTERPRETER,
  joinPeer,
  restartPeer,
  waitUntil,
  type JoinedPeer,
  type TestPeer,
} from './testing/callHarness.ts';
import { backendsUnderTest, skipUnlessAvailable, type BackendUnderTest } from './testing/backends.ts';
import { WeriftTestPeer } from './testing/WeriftTestPeer.ts';
import { MediaEngine } from './MediaEngine.ts';
import type { MediaEvents } from './MediaEvents.ts';
import type { MediaRoom } from './MediaRoom.ts';
import type { MediasoupBackend } from './mediasoup/MediasoupBackend.ts';
import type { WeriftBackend } from './werift/WeriftBackend.ts';

/**
 * The contract suite's routing half: the engine-neutral room over each backend, forwarding
 * between headless peers on 127.0.0.1. Every packet carries
 * its sender's index and sequence number, so "nothing after the switch" is exact: a packet
 * numbered above the sender's count at the moment the plan changed was sent after it, reached
 * the server after it, and must not be forwarded where the new plan says "not sent". Control
 * listeners that do receive those later packets prove they would have arrived.
 */

const CONSECUTIVE: RoutingState = {
  mode: 'CONSECUTIVE',
  interpreterState: { renderingInto: null },
  sidebars: [],
};

let engine: MediaEngine;
let room: MediaRoom;
let attorney: JoinedPeer;
let interpreter: JoinedPeer;
let client: JoinedPeer;
let peers: TestPeer[] = [];

/**
 * Changes the plan and, in the tick the engine acknowledges it, notes how many packets each peer
 * had sent: every packet numbered above that was sent after the acknowledgement.
 */
async function switchRouting(state: RoutingState): Promise<{ version: number; cut: number[] }> {
  const { version } = await room.setRouting(state);
  const cut = peers.map((p) => p.sent);
  for (const peer of peers) peer.planVersion = version;
  return { version, cut };
}

/** Packets `listener` received from `speaker` that were sent after the cut. */
function after(listener: JoinedPeer, speaker: JoinedPeer, cut: number[]): number {
  return listener.peer.from(speaker.peer.index).filter((r) => r.seq > (cut[speaker.peer.index] ?? 0)).length;
}

const lean = (backend: BackendUnderTest) => backend.label.includes('lean');

describe.each(backendsUnderTest())('media engine routing on $label, loopback', (backend) => {
  /** The werift objects of a participant, for what only that backend has (its lean audio path). */
  const werift = (participantId: string) =>
    (engine.backend as WeriftBackend).participantInternals(room.id, participantId)!;

  beforeEach(async (context) => {
    skipUnlessAvailable(backend, context);
    const logger = createLogger('silent');
    engine = new MediaEngine(await backend.create(logger), { logger, video: false });
    room = engine.createRoom('consultation-1');
    peers = [];
    attorney = await joinPeer(room, ATTORNEY, 0);
    interpreter = await joinPeer(room, INTERPRETER, 1);
    client = await joinPeer(room, CLIENT, 2);
    peers = [attorney.peer, interpreter.peer, client.peer];
    for (const peer of peers) peer.startSending();
  });

  afterEach(async () => {
    if (backend.unavailable) return;
    engine.close();
    await engine.settled();
    await Promise.all(peers.map((p) => p.close()));
    peers = [];
  });

  it('CONSECUTIVE: each of three participants receives the other two, intact, on the track signalling names', async () => {
    await waitUntil(
      () =>
        peers.every((listener) =>
          peers.every((speaker) => speaker === listener || listener.from(speaker.index).length >= 25),
        ),
      'everyone has 25 packets from each other participant',
    );
    for (const { participant, peer } of [attorney, interpreter, client]) {
      if (backend.name === 'werift') {
        // The lean path took the publisher's audio over from werift after its first packets.
        const taken = werift(participant.id).publications.get('audio')!.leanReceiveCounts;
        if (lean(backend)) expect(taken.received).toBeGreaterThan(0);
        else expect(taken.received).toBe(0);
        // The lean path asks for AES-CM (no cipher object per packet); werift prefers AES-GCM.
        expect(werift(participant.id).srtpProfile).toBe(lean(backend) ? 0x0001 : 0x0007);
        expect(taken.refused).toBe(0);
      }
      expect(peer.from(peer.index)).toEqual([]);
      expect(peer.corrupt).toBe(0);
      // The mid each speaker arrives on is the one listenerRouting tells the client about.
      const tracks = room.listenerRouting(participant.id).tracks;
      for (const other of [attorney, interpreter, client]) {
        if (other.participant === participant) continue;
        const track = tracks.find((t) => t.speakerId === other.participant.id);
        expect(track).toMatchObject({ sent: true, gain: 1 });
        expect(new Set(peer.from(other.peer.index).map((r) => r.mid))).toEqual(new Set([track?.mid]));
      }
    }
  });

  it("carries each speaker's audio level, and the listener's sender reports count what was sent", async () => {
    for (const peer of peers) peer.audioLevel = 30 + peer.index;
    await waitUntil(
      () =>
        peers.every((listener) =>
          peers.every(
            (speaker) =>
              speaker === listener ||
              listener.senderReports.some(
                (r) => r.mid === listener.from(speaker.index).at(-1)?.mid && r.packetCount >= 25,
              ),
          ),
        ),
      'a sender report for every track after 25 packets',
    );
    const now = Date.now();
    for (const listener of peers) {
      for (const speaker of peers) {
        if (speaker === listener) continue;
        const received = listener.from(speaker.index);
        const recent = received.slice(-10);
        expect(recent.every((r) => r.audioLevel === 30 + speaker.index)).toBe(true);
        const mid = received.at(-1)?.mid;
        const report = listener.senderReports.filter((r) => r.mid === mid).at(-1)!;
        // Counted by the server as it sent: never more than arrived plus what is still in flight.
        expect(report.packetCount).toBeLessThanOrEqual(received.length + 5);
        // RFC 3550 counts payload octets (100 a packet here), as werift does; mediasoup's worker
        // counts whole packets, headers included.
        if (backend.name === 'mediasoup') {
          expect(report.octetCount).toBeGreaterThan(report.packetCount * 100);
          expect(report.octetCount).toBeLessThanOrEqual(report.packetCount * 200);
        } else {
          expect(report.octetCount).toBe(report.packetCount * 100);
        }
        expect(Math.abs(report.ntpUnixMs - now)).toBeLessThan(5_000);
      }
    }
  });

  // SRTP authentication on the lean receive path; a plain RTP leg has none to test.
  it.runIf(backend.name === 'werift')(
    "refuses a forged packet on a publisher's SSRC; the call carries on",
    async () => {
      await waitUntil(() => client.peer.from(attorney.peer.index).length >= 10, 'audio flows');
      const counts = () =>
        backend.name === 'werift'
          ? werift('attorney').publications.get('audio')!.leanReceiveCounts
          : undefined;
      const before = counts();
      // RTP with the attorney's SSRC but a tag nobody computed, from an address nobody nominated.
      const forged = Buffer.alloc(12 + 100 + 16, 0xab);
      forged[0] = 0x80;
      forged[1] = 111;
      forged.writeUInt16BE(60_000, 2);
      forged.writeUInt32BE(attorney.peer.publishingSsrc, 8);
      if (!(attorney.peer instanceof WeriftTestPeer)) throw new Error('a WebRTC peer is needed');
      const { address, port } = attorney.peer.serverAddress();
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) =>
        socket.send(forged, port, address, (error) => (error ? reject(error) : resolve())),
      );
      socket.close();
      const received = client.peer.from(attorney.peer.index).length;
      await waitUntil(
        () => client.peer.from(attorney.peer.index).length >= received + 10,
        'audio still flows after the forged packet',
      );
      if (lean(backend)) expect(counts()?.refused).toBe((before?.refused ?? 0) + 1);
      expect(client.peer.corrupt).toBe(0);
    },
  );

  it('a sidebar cuts the excluded participant off from the next packet, and resumes after', async () => {
    await waitUntil(
      () => client.peer.from(0).length >= 10 && client.peer.from(1).length >= 10,
      'the client hears both',
    );

    const sidebar = await switchRouting({
      ...CONSECUTIVE,
      sidebars: [{ id: 'sidebar-1', memberIds: ['attorney', 'interpreter'] }],
    });
    // Controls: the members keep hearing each other, and the client in the background.
    await waitUntil(
      () =>
        after(interpreter, attorney, sidebar.cut) >= 25 &&
        after(attorney, interpreter, sidebar.cut) >= 25 &&
        after(attorney, client, sidebar.cut) >= 25,
      'sidebar members have 25 packets sent after the switch',
    );
    expect(after(client, attorney, sidebar.cut)).toBe(0);
    expect(after(client, interpreter, sidebar.cut)).toBe(0);
    expect(client.peer.received.filter((r) => r.from !== 2 && r.planVersion >= sidebar.version)).toEqual([]);
    expect(room.listenerRouting('client').tracks.map((t) => [t.speakerId, t.sent])).toEqual([
      ['attorney', false],
      ['interpreter', false],
    ]);
    expect(room.listenerRouting('attorney').tracks.find((t) => t.speakerId === 'client')).toMatchObject({
      sent: true,
      gain: 0.2,
    });

    const resumed = await switchRouting(CONSECUTIVE);
    await waitUntil(
      () => after(client, attorney, resumed.cut) >= 10 && after(client, interpreter, resumed.cut) >= 10,
      'the client hears both again',
    );
    // The stream continues without a sequence gap across the pause: the client's jitter buffer
    // sees no loss, and nothing to NACK.
    const rtpSeqs = client.peer.from(0).map((r) => r.rtpSeq);
    const gaps = rtpSeqs.filter((seq, i) => i > 0 && ((seq - (rtpSeqs[i - 1] ?? 0)) & 0xffff) !== 1);
    expect(gaps).toEqual([]);
    expect(client.peer.corrupt).toBe(0);
  });

  it("SIMULTANEOUS: the interpreter's audio follows the toggle; the other side receives none of it", async () => {
    await waitUntil(
      () => attorney.peer.from(1).length >= 10 && client.peer.from(1).length >= 10,
      'both hear the interpreter',
    );

    const toClient = await switchRouting({
      mode: 'SIMULTANEOUS',
      interpreterState: { renderingInto: 'es' },
      sidebars: [],
    });
    await waitUntil(
      () => after(client, interpreter, toClient.cut) >= 25 && after(attorney, client, toClient.cut) >= 25,
      'the client hears the interpreter, the attorney the client',
    );
    expect(after(attorney, interpreter, toClient.cut)).toBe(0);
    expect(after(client, attorney, toClient.cut)).toBeGreaterThan(0);
    expect(room.listenerRouting('client').tracks.map((t) => [t.speakerId, t.sent, t.gain])).toEqual([
      ['attorney', true, 0.2],
      ['interpreter', true, 1],
    ]);

    const toAttorney = await switchRouting({
      mode: 'SIMULTANEOUS',
      interpreterState: { renderingInto: 'en' },
      sidebars: [],
    });
    await waitUntil(
      () =>
        after(attorney, interpreter, toAttorney.cut) >= 25 && after(client, attorney, toAttorney.cut) >= 25,
      'the attorney hears the interpreter, the client the attorney',
    );
    expect(after(client, interpreter, toAttorney.cut)).toBe(0);
    expect(room.listenerRouting('attorney').tracks.map((t) => [t.speakerId, t.sent, t.gain])).toEqual([
      ['interpreter', true, 1],
      ['client', true, 0.2],
    ]);
    // The interpreter hears both sides at full gain throughout.
    expect(after(interpreter, attorney, toAttorney.cut)).toBeGreaterThan(0);
    expect(after(interpreter, client, toAttorney.cut)).toBeGreaterThan(0);
  });

  it('a newcomer joining during a sidebar never receives a packet of it', async () => {
    const sidebar = await switchRouting({
      ...CONSECUTIVE,
      sidebars: [{ id: 'sidebar-1', memberIds: ['attorney', 'interpreter'] }],
    });
    const second = await joinPeer(room, { id: 'co-counsel', role: 'ATTORNEY', language: 'en' }, 3);
    peers.push(second.peer);
    second.peer.startSending();
    await waitUntil(
      () => second.peer.from(2).length >= 25 && after(client, second, sidebar.cut) >= 25,
      'the newcomer and the client hear each other',
    );
    expect(second.peer.from(0)).toEqual([]);
    expect(second.peer.from(1)).toEqual([]);
  });
  // A worker process is mediasoup's alone; werift has no process to lose.
  it.runIf(backend.name === 'mediasoup')(
    'a worker killed mid-call: a replacement comes up, everyone restarts media, seats and the sidebar in force are kept from the first packet',
    async () => {
      const mediasoup = engine.backend as MediasoupBackend;
      const sidebar = await switchRouting({
        ...CONSECUTIVE,
        sidebars: [{ id: 'sidebar-1', memberIds: ['attorney', 'interpreter'] }],
      });
      await waitUntil(
        () => after(interpreter, attorney, sidebar.cut) >= 10 && after(attorney, client, sidebar.cut) >= 10,
        'the sidebar is in force',
      );
      const lost: MediaEvents['participantMediaLost'][] = [];
      room.events.on('participantMediaLost', (event) => void lost.push(event));
      const [pid] = mediasoup.workerPids;
      if (pid === undefined) throw new Error('no worker');
      process.kill(pid, 'SIGKILL');
      // What a client is told (signalling's "mediaLost"): every participant, once.
      await waitUntil(() => lost.length === 3, 'every participant is told their media was lost');
      expect(lost.map((l) => l.participantId).sort()).toEqual(['attorney', 'client', 'interpreter']);
      const killed = peers.map((p) => p.sent);
      const versionAtKill = room.routing.version;

      // Each restarts media, the outsider first: its consumers are made on the replacement worker
      // before any sidebar member publishes there. The whole move fits in signalling's grace.
      const movedBy = Date.now() + RECONNECT_GRACE_MS;
      client = await restartPeer(room, client);
      attorney = await restartPeer(room, attorney);
      interpreter = await restartPeer(room, interpreter);
      expect(mediasoup.workerPids).toHaveLength(1);
      expect(mediasoup.workerPids[0]).not.toBe(pid);

      // The members hear each other, and the client in the background, on the new worker...
      await waitUntil(
        () =>
          after(interpreter, attorney, killed) >= 25 &&
          after(attorney, interpreter, killed) >= 25 &&
          after(attorney, client, killed) >= 25,
        'the sidebar members hear each other and the client after the move',
        Math.max(1_000, movedBy - Date.now()),
      );
      // ...and not one packet of the sidebar reached the outsider after the kill.
      expect(after(client, attorney, killed)).toBe(0);
      expect(after(client, interpreter, killed)).toBe(0);
      // Seats and the plan in force are the room's, not the dead worker's.
      expect([...room.participants.keys()].sort()).toEqual(['attorney', 'client', 'interpreter']);
      expect(room.routing.state.sidebars).toEqual([
        { id: 'sidebar-1', memberIds: ['attorney', 'interpreter'] },
      ]);
      expect(room.routing.version).toBeGreaterThan(versionAtKill);
      expect(room.listenerRouting('client').tracks.map((t) => [t.speakerId, t.sent])).toEqual([
        ['attorney', false],
        ['interpreter', false],
      ]);

      // Routing works on the new worker: the sidebar ends and the client hears both again.
      const resumed = await switchRouting(CONSECUTIVE);
      await waitUntil(
        () => after(client, attorney, resumed.cut) >= 10 && after(client, interpreter, resumed.cut) >= 10,
        'the client hears both after the sidebar ends',
      );
      expect(client.peer.corrupt + attorney.peer.corrupt + interpreter.peer.corrupt).toBe(0);
    },
    60_000,
  );
});
