/**
 * Real phone legs for the benchmark, without baresip: each leg is a SIP UDP peer on 127.0.0.1
 * (the repo's RawPeer: INVITE with a G.711 µ-law offer, ACK, the seat's PIN as SIP INFO keys) and
 * its own RTP socket, sending 20 ms PCMU packets at 50 per second from one shared timer and
 * pre-built payloads (a lean generator: TESTING.md's warning about generators as costly as the
 * server they load).
 *
 * What each leg says: silence, and a 100 ms tone burst once a second at its seat's phase (the
 * three seats of a call 320 ms apart), so each listener hears the others one at a time. A burst's
 * first packet is timestamped when sent; a listener's first loud packet after silence is
 * timestamped when received, and the difference is the mix path's added delay (UDP in → mixed
 * frame out, see phoneBench.ts). Each leg also counts what it received: sequence gaps (loss) and
 * how unevenly consecutive packets came (arrival jitter).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { decodeG711, encodeG711 } from '../../server/src/phone/g711.ts';
import { RawPeer } from '../../server/src/phone/testing/RawPeer.ts';

const FRAME_SAMPLES = 160;
const FRAME_MS = 20;
/** A cycle of 50 frames (1 s): each seat bursts for BURST_FRAMES at its phase. */
const CYCLE_FRAMES = 50;
const BURST_FRAMES = 5;
const SEAT_PHASE_FRAMES = 16;
/** Mean absolute sample above which a received frame counts as someone speaking. */
const LOUD = 400;
/** A received burst is matched to a speaker's burst sent at most this long before. */
const MATCH_WINDOW_MS = 250;

const SILENCE = Buffer.alloc(FRAME_SAMPLES, 0xff);
const TONE_FRAMES = Array.from({ length: BURST_FRAMES }, (_, f) => {
  const samples = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < FRAME_SAMPLES; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (f * FRAME_SAMPLES + i)) / 8000));
  const out = Buffer.alloc(FRAME_SAMPLES);
  encodeG711('PCMU', samples, out);
  return out;
});
/** |linear| of each µ-law byte. */
const MAGNITUDE = (() => {
  const all = new Uint8Array(256).map((_, i) => i);
  const linear = new Int16Array(256);
  decodeG711('PCMU', all, linear);
  return linear.map((v) => Math.abs(v));
})();

function loudness(payload: Buffer): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) sum += MAGNITUDE[payload[i]!]!;
  return sum / Math.max(1, payload.length);
}

export interface LegStats {
  received: number;
  /** Packets missing from the sequence numbers seen. */
  lost: number;
}

class Leg {
  readonly ssrc = randomInt(1, 0xffffffff);
  sequence = randomInt(0, 0xffff);
  timestamp = randomInt(0, 0xffffffff);
  parley: { address: string; port: number } | null = null;
  toTag: string | undefined;
  /** performance.now() of each burst's first packet sent, latest first kept for matching. */
  lastBurstAt = -Infinity;
  sent = 0;
  // What this leg receives in the current window.
  received = 0;
  firstSeq = -1;
  lastSeq = -1;
  cycles = 0;
  quietRun = 0;
  /** The previous packet's arrival and its sequence offset. */
  previous: { at: number; n: number } | null = null;
  jitter: number[] = [];
  onsets: number[] = [];

  constructor(
    readonly room: number,
    readonly seat: number,
    readonly sip: RawPeer,
    readonly rtp: Socket,
    readonly callId: string,
  ) {}

  resetWindow(): void {
    this.received = 0;
    this.firstSeq = -1;
    this.lastSeq = -1;
    this.cycles = 0;
    this.previous = null;
    this.jitter = [];
    this.onsets = [];
  }
}

export interface WindowResult {
  legs: number;
  /** Packets the legs sent and received in the window. */
  sent: number;
  received: number;
  /** Sequence gaps seen by the legs (Parley → phone loss). */
  lost: number;
  /** Each matched burst's delay (ms), all listeners. */
  delays: number[];
  /** Bursts a listener should have heard (two others, each once a second) and those it did. */
  burstsExpected: number;
  burstsHeard: number;
  /** |Δarrival − Δsequence × 20 ms| of consecutive packets (ms), all legs: how unevenly frames came. */
  arrivalJitter: number[];
  windowMs: number;
  /** The generator's own event loop delay p99 (ms): its timestamps are this late at worst. */
  generatorLoopDelayP99Ms: number;
}

export class PhoneLegLoad {
  /** INVITEs sent again because Parley had not answered at all yet (timer A). */
  inviteRetransmissions = 0;
  private readonly legs: Leg[] = [];
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private startedAt = 0;
  private windowStartedAt = 0;
  private recording = false;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 2 });

  constructor(private readonly sipPort: number) {}

  get size(): number {
    return this.legs.length;
  }

  /**
   * Dials a leg for seat `seat` (0 attorney, 1 interpreter, 2 client) of call `room` and keys its
   * PIN; resolves when Parley answered and the PIN was sent (joining is the server's to report).
   */
  async dial(room: number, seat: number, pin: string): Promise<void> {
    const sip = await RawPeer.open(this.sipPort, '127.0.0.1');
    const rtp = createSocket('udp4');
    await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', resolve));
    const leg = new Leg(room, seat, sip, rtp, `bench-${randomUUID()}`);
    rtp.on('message', (data) => this.onRtp(leg, data));
    const port = rtp.address().port;
    const sdp = [
      'v=0',
      `o=- 1 1 IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${port} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=ptime:20',
      '',
    ].join('\r\n');
    // As a phone does over UDP (RFC 3261 timer A): the same INVITE (same branch) again after 0.5, 1,
    // 2, 4 s until Parley answers at all. Under an INVITE flood a datagram can be lost in a full
    // socket buffer; a caller that never retransmits would measure that, not Parley.
    const invite = [
      `INVITE ${sip.uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${sip.address}:${sip.port};branch=z9hG4bK${randomUUID().slice(0, 12)};rport`,
      `From: <sip:+16015550123@${sip.address}>;tag=caller`,
      `To: <sip:parley@127.0.0.1>`,
      `Call-ID: ${leg.callId}`,
      'CSeq: 1 INVITE',
      `Contact: <sip:caller@${sip.address}:${sip.port}>`,
      'Max-Forwards: 70',
      'Content-Type: application/sdp',
    ];
    sip.send(invite, sdp);
    let retransmitIn = 500;
    let retransmitAt = Date.now() + retransmitIn;
    const ok = await waitFor(() => {
      const answered = sip.received.filter((m) => m.includes(`Call-ID: ${leg.callId}`));
      if (answered.length === 0 && Date.now() >= retransmitAt && retransmitIn <= 4000) {
        this.inviteRetransmissions++;
        sip.send(invite, sdp);
        retransmitIn *= 2;
        retransmitAt = Date.now() + retransmitIn;
      }
      return answered.find((m) => m.startsWith('SIP/2.0 200') && /^CSeq: 1 INVITE/m.test(m));
    });
    if (!ok) {
      const statuses = sip.statuses(leg.callId);
      sip.close();
      rtp.close();
      throw new Error(`no 200 OK to a benchmark INVITE (got ${statuses.join(', ') || 'nothing'})`);
    }
    leg.toTag = sip.toTagOf(leg.callId);
    const body = ok.slice(ok.indexOf('\r\n\r\n') + 4);
    const mediaPort = /^m=audio (\d+)/m.exec(body)?.[1];
    const address = /^c=IN IP4 (\S+)/m.exec(body)?.[1];
    if (!mediaPort || !address || !leg.toTag)
      throw new Error('Parley answered without an RTP address or tag');
    leg.parley = { address, port: Number(mediaPort) };
    sip.request('ACK', leg.callId, { toTag: leg.toTag, cseq: 1 });
    this.legs.push(leg);
    this.ensureTimer();
    await sip.keyByInfo(leg.callId, leg.toTag, pin, 2);
  }

  /** Starts counting a window now. */
  startWindow(): void {
    for (const leg of this.legs) {
      leg.resetWindow();
      leg.sent = 0;
    }
    this.windowStartedAt = performance.now();
    this.recording = true;
    this.loopDelay.reset();
    this.loopDelay.enable();
  }

  endWindow(): WindowResult {
    this.recording = false;
    const windowMs = performance.now() - this.windowStartedAt;
    const result: WindowResult = {
      legs: this.legs.length,
      sent: 0,
      received: 0,
      lost: 0,
      delays: [],
      burstsExpected: 0,
      burstsHeard: 0,
      arrivalJitter: [],
      windowMs,
      generatorLoopDelayP99Ms: this.loopDelay.percentile(99) / 1e6,
    };
    this.loopDelay.disable();
    for (const leg of this.legs) {
      result.sent += leg.sent;
      result.received += leg.received;
      if (leg.firstSeq >= 0) result.lost += Math.max(0, leg.lastSeq - leg.firstSeq + 1 - leg.received);
      result.delays.push(...leg.onsets);
      // Two other seats each burst once a cycle; the first and last cycle may be cut by the window.
      result.burstsExpected += Math.max(0, Math.floor(windowMs / (CYCLE_FRAMES * FRAME_MS)) - 1) * 2;
      result.burstsHeard += leg.onsets.length;
      result.arrivalJitter.push(...leg.jitter);
    }
    return result;
  }

  /** BYE on every leg (the phone hangs up), then closes the sockets. */
  async hangUpAll(): Promise<void> {
    for (const leg of this.legs)
      if (leg.toTag) leg.sip.request('BYE', leg.callId, { toTag: leg.toTag, cseq: 20 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    this.stop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const leg of this.legs) {
      leg.sip.close();
      leg.rtp.close();
    }
    this.legs.length = 0;
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.startedAt = performance.now();
    this.frame = 0;
    this.schedule();
  }

  private schedule(): void {
    const next = this.startedAt + (this.frame + 1) * FRAME_MS;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - performance.now()));
  }

  /** One frame for every leg; frames missed after a stall of this process are sent late, not skipped. */
  private tick(): void {
    const due = Math.max(1, Math.floor((performance.now() - this.startedAt) / FRAME_MS) - this.frame);
    for (let k = 0; k < due; k++) {
      this.frame++;
      const inCycle = this.frame % CYCLE_FRAMES;
      for (const leg of this.legs) {
        if (!leg.parley) continue;
        const burstFrame = inCycle - leg.seat * SEAT_PHASE_FRAMES;
        const loud = burstFrame >= 0 && burstFrame < BURST_FRAMES;
        const packet = Buffer.allocUnsafe(12 + FRAME_SAMPLES);
        packet[0] = 0x80;
        packet[1] = 0;
        leg.sequence = (leg.sequence + 1) & 0xffff;
        leg.timestamp = (leg.timestamp + FRAME_SAMPLES) >>> 0;
        packet.writeUInt16BE(leg.sequence, 2);
        packet.writeUInt32BE(leg.timestamp, 4);
        packet.writeUInt32BE(leg.ssrc, 8);
        (loud ? TONE_FRAMES[burstFrame]! : SILENCE).copy(packet, 12);
        if (loud && burstFrame === 0) leg.lastBurstAt = performance.now();
        leg.rtp.send(packet, leg.parley.port, leg.parley.address);
        if (this.recording) leg.sent++;
      }
    }
    if (this.timer) this.schedule();
  }

  private onRtp(leg: Leg, data: Buffer): void {
    if (!this.recording || data.length < 12) return;
    const at = performance.now();
    const sequence = data.readUInt16BE(2);
    // Extended sequence: the window is short, one wrap at most matters.
    let extended = sequence;
    if (leg.lastSeq >= 0) {
      while (extended < leg.lastSeq - 32768) extended += 65536;
    }
    if (leg.firstSeq < 0) leg.firstSeq = extended;
    if (extended > leg.lastSeq) leg.lastSeq = extended;
    leg.received++;
    const n = extended - leg.firstSeq;
    if (leg.previous) leg.jitter.push(Math.abs(at - leg.previous.at - (n - leg.previous.n) * FRAME_MS));
    leg.previous = { at, n };
    const loud = loudness(data.subarray(12)) > LOUD;
    if (!loud) {
      leg.quietRun++;
      return;
    }
    if (leg.quietRun >= 3) {
      // A burst starts: whose? The latest burst sent by another seat of this call.
      let latest = -Infinity;
      for (const other of this.legs)
        if (other !== leg && other.room === leg.room && other.lastBurstAt <= at && other.lastBurstAt > latest)
          latest = other.lastBurstAt;
      if (at - latest <= MATCH_WINDOW_MS) leg.onsets.push(at - latest);
    }
    leg.quietRun = 0;
  }
}

async function waitFor<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
