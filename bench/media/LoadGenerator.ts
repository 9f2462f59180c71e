/**
 * A lean load generator for the media benchmarks. werift sets up each connection (ICE, DTLS,
 * SRTP keys); once it is connected the generator takes the transport over: pre-built RTP
 * headers and payloads, one timer for every stream with sends spread evenly over the 20 ms
 * frame, SRTP done by `LeanSrtp`, datagrams written to the nominated pair's socket. Received
 * packets are read for their stamp (sender stream, sequence, epoch, send time on this process's
 * clock) and counted into the epoch they were sent in, so latency and loss are per measuring
 * window. Stock werift costs about as much CPU per packet as the server it loads (TESTING.md).
 */
import type { Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { RTCPeerConnection } from 'werift';
import { SrtpProtector } from '../../server/src/media/srtp.ts';
import { contextKeys } from '../../server/src/media/werift/weriftInternals.ts';
import { LeanSrtp, rtpPayloadOffset, type SrtpContextKeys } from './leanSrtp.ts';

/** The generator sends with the engine's own SRTP (verified against werift's byte for byte). */
function protectorFor(keys: SrtpContextKeys): SrtpProtector {
  return new SrtpProtector(contextKeys(keys));
}

export const FRAME_MS = 20;
export const PAYLOAD_BYTES = 100;
const MAGIC = 0x50524c59; // "PRLY"
const STAMP_BYTES = 24;
const SAMPLES_PER_FRAME = 960; // Opus at 48 kHz

/** Latency histogram in 5 µs buckets up to 2 s; quantiles without storing samples. */
export class LatencyHistogram {
  static readonly BUCKET_MS = 0.005;
  private readonly buckets = new Uint32Array(400_000);
  count = 0;

  add(ms: number): void {
    let i = Math.floor(ms / LatencyHistogram.BUCKET_MS);
    if (i < 0) i = 0;
    else if (i >= this.buckets.length) i = this.buckets.length - 1;
    this.buckets[i]!++;
    this.count++;
  }

  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const target = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= target) return (i + 0.5) * LatencyHistogram.BUCKET_MS;
    }
    return NaN;
  }
}

/** One measuring window: what was sent in it, what should arrive, what did and how fast. */
export class Epoch {
  sent = 0;
  expected = 0;
  received = 0;
  readonly latency = new LatencyHistogram();
  /** How late the generator sent each packet against its schedule (its own share of the tail). */
  readonly lateness = new LatencyHistogram();
  get lost(): number {
    return Math.max(0, this.expected - this.received);
  }
}

/** The sending and receiving side of one connected peer connection, taken over from werift. */
export class LeanEndpoint {
  /** performance.now() of the first media packet received, taken over or not. */
  firstPacketAt: number | undefined;
  /** Called with (streamId, sentAt, now) for every stamped packet while set. */
  onStamp: ((streamId: number, sentAt: number, now: number) => void) | undefined;
  private local: SrtpProtector | undefined;
  private remote: LeanSrtp | undefined;
  private socket: Socket | undefined;
  private port = 0;
  private host = '';
  private readonly rocBySsrc = new Map<number, { last: number; roc: number }>();

  constructor(
    readonly id: number,
    readonly pc: RTCPeerConnection | undefined,
    private readonly generator: LoadGenerator,
  ) {}

  /** Until the take-over werift delivers: note its first packet for join-time figures. */
  watchFirstPacket(): void {
    const mark = () => (this.firstPacketAt ??= performance.now());
    for (const transceiver of this.pc?.getTransceivers() ?? []) {
      for (const track of transceiver.receiver.tracks) track.onReceiveRtp.once(mark);
      transceiver.onTrack.subscribe((track) => track.onReceiveRtp.once(mark));
    }
  }

  /**
   * Sends and receives on a plain socket, with the same SRTP work: the loopback baseline (one key
   * both ways) and SRTP over plain UDP (`receiveKeys`: what the far end sends with).
   */
  attachSocket(
    socket: Socket,
    host: string,
    port: number,
    keys: SrtpContextKeys,
    receiveKeys: SrtpContextKeys = keys,
  ): void {
    this.local = protectorFor(keys);
    this.remote = new LeanSrtp(receiveKeys);
    this.socket = socket;
    this.host = host;
    this.port = port;
    socket.on('message', (data: Buffer) => this.receive(data));
  }

  /** Replaces werift's per-packet receive and send paths with the lean ones. */
  takeOver(): void {
    const dtls = this.pc?.dtlsTransports[0];
    if (!dtls?.srtp) throw new Error('not connected: no SRTP session');
    const session = dtls.srtp as unknown as { localContext: SrtpContextKeys; remoteContext: SrtpContextKeys };
    this.local = protectorFor(session.localContext);
    this.remote = new LeanSrtp(session.remoteContext);
    const ice = dtls.iceTransport.connection;
    const pair = ice.nominated;
    if (!pair) throw new Error('no nominated ICE pair');
    this.socket = (pair.protocol as unknown as { transport: { socket: Socket } }).transport.socket;
    [this.host, this.port] = pair.remoteAddr;
    ice.onData.allUnsubscribe();
    ice.onData.subscribe((data: Buffer) => this.receive(data));
  }

  get ready(): boolean {
    return this.socket !== undefined;
  }

  send(header: Buffer, payload: Buffer): void {
    this.socket!.send(this.local!.protect(header, payload), this.port, this.host);
  }

  private receive(data: Buffer): void {
    const pt = data[1]!;
    if (data.length < 12 || (pt >= 192 && pt <= 223) || data[0]! >> 6 !== 2) return; // RTCP or not RTP
    const now = performance.now();
    this.firstPacketAt ??= now;
    const ssrc = data.readUInt32BE(8);
    const seq = data.readUInt16BE(2);
    let roc = this.rocBySsrc.get(ssrc);
    if (!roc) {
      roc = { last: seq, roc: 0 };
      this.rocBySsrc.set(ssrc, roc);
    } else {
      if (seq < 0x1000 && roc.last > 0xf000) roc.roc++;
      roc.last = seq;
    }
    const offset = rtpPayloadOffset(data);
    const stamp = this.remote!.readPrefix(data, offset, STAMP_BYTES, roc.roc);
    if (stamp.length < STAMP_BYTES || stamp.readUInt32BE(0) !== MAGIC) {
      this.generator.unreadable++;
      return;
    }
    const streamId = stamp.readUInt32BE(4);
    const epoch = stamp.readUInt32BE(12);
    const sentAt = stamp.readDoubleBE(16);
    this.generator.record(epoch, now - sentAt);
    this.onStamp?.(streamId, sentAt, now);
  }
}

/** One published audio stream: a pre-built header and payload rewritten in place per packet. */
export class Stream {
  seq = 0;
  due = 0;
  /** Receivers each packet should reach under the routing in force. */
  fanout: number;
  paused = false;
  readonly header: Buffer;
  readonly payload = Buffer.alloc(PAYLOAD_BYTES);

  constructor(
    readonly id: number,
    readonly endpoint: LeanEndpoint,
    ssrc: number,
    audioLevelExtensionId: number | undefined,
    fanout: number,
    payloadType = 111,
  ) {
    this.fanout = fanout;
    // 12-byte header, plus a one-byte-header extension carrying the RFC 6464 level when negotiated.
    this.header = Buffer.alloc(audioLevelExtensionId === undefined ? 12 : 20);
    this.header[0] = audioLevelExtensionId === undefined ? 0x80 : 0x90;
    this.header[1] = payloadType;
    this.header.writeUInt32BE(ssrc >>> 0, 8);
    if (audioLevelExtensionId !== undefined) {
      this.header.writeUInt16BE(0xbede, 12);
      this.header.writeUInt16BE(1, 14);
      this.header[16] = (audioLevelExtensionId << 4) | 0; // one byte of data
      this.header[17] = 0x80 | 30; // voice activity, -30 dBov
    }
    this.payload.writeUInt32BE(MAGIC, 0);
    this.payload.writeUInt32BE(id, 4);
    for (let i = STAMP_BYTES; i < PAYLOAD_BYTES; i++) this.payload[i] = (id + i) & 0xff;
  }
}

export class LoadGenerator {
  readonly streams: Stream[] = [];
  readonly epochs: Epoch[] = [new Epoch()];
  epoch = 0;
  unreadable = 0;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private nextEndpointId = 0;

  endpoint(pc?: RTCPeerConnection): LeanEndpoint {
    return new LeanEndpoint(this.nextEndpointId++, pc, this);
  }

  addStream(
    endpoint: LeanEndpoint,
    ssrc: number,
    audioLevelExtensionId: number | undefined,
    fanout: number,
    payloadType?: number,
  ): Stream {
    const stream = new Stream(
      this.streams.length,
      endpoint,
      ssrc,
      audioLevelExtensionId,
      fanout,
      payloadType,
    );
    this.streams.push(stream);
    this.stagger();
    return stream;
  }

  /** Starts a new measuring window; returns the one that ended. */
  newEpoch(): Epoch {
    const ended = this.epochs[this.epoch]!;
    this.epochs.push(new Epoch());
    this.epoch = this.epochs.length - 1;
    return ended;
  }

  record(epoch: number, latencyMs: number): void {
    const e = this.epochs[epoch];
    if (!e) return;
    e.received++;
    e.latency.add(latencyMs);
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), 1);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Spreads the streams' send times evenly over one frame, keeping each stream's period. */
  private stagger(): void {
    const now = performance.now();
    const n = this.streams.length;
    this.streams.forEach((s, i) => (s.due = now + (i * FRAME_MS) / n));
    this.next = 0;
  }

  private tick(): void {
    const now = performance.now();
    const streams = this.streams;
    const n = streams.length;
    // Streams are due in circular order; each send moves that stream one frame on.
    for (let sentThisTick = 0; n > 0 && sentThisTick < n; sentThisTick++) {
      const stream = streams[this.next]!;
      if (stream.due > now) break;
      const late = now - stream.due;
      stream.due += FRAME_MS;
      // A generator that fell behind skips frames rather than bursting them.
      if (stream.due < now - FRAME_MS) stream.due = now;
      this.next = (this.next + 1) % n;
      if (!stream.paused && stream.endpoint.ready) {
        this.epochs[this.epoch]!.lateness.add(late);
        this.sendOne(stream);
      }
    }
  }

  private sendOne(stream: Stream): void {
    stream.seq++;
    stream.header.writeUInt16BE(stream.seq & 0xffff, 2);
    stream.header.writeUInt32BE((stream.seq * SAMPLES_PER_FRAME) >>> 0, 4);
    const payload = stream.payload;
    payload.writeUInt32BE(stream.seq >>> 0, 8);
    payload.writeUInt32BE(this.epoch, 12);
    payload.writeDoubleBE(performance.now(), 16);
    const epoch = this.epochs[this.epoch]!;
    epoch.sent++;
    epoch.expected += stream.fanout;
    stream.endpoint.send(stream.header, payload);
  }
}
