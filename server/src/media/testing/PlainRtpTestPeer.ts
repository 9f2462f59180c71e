import { createSocket, type Socket } from 'node:dgram';
import {
  RtcpPacketConverter,
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpSrPacket,
  RtpHeader,
  RtpPacket,
  serializeAudioLevelIndication,
} from 'werift';
import type { MediaNegotiation } from '@parley/shared';
import type { MediaParticipant } from '../MediaParticipant.ts';
import { NTP_UNIX_OFFSET_S } from '../werift/AudioSlotSender.ts';
import { readStamp, stampPayload, type ReceivedSenderReport, type ReceivedStamp } from './WeriftTestPeer.ts';

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const OPUS_PT = 111;
const LEVEL_ID = 1;

/**
 * A headless participant on a plain RTP leg (no ICE, no DTLS) through the real engine, for the
 * backends whose browsers negotiate client-side (mediasoup): it publishes the same stamped,
 * Opus-shaped packets as WeriftTestPeer, with an RFC 6464 level, and records what it receives by
 * the mid its consumer was given. It answers the server's sender reports with receiver reports
 * (cumulative lost, fraction lost over the report's interval, extended highest sequence,
 * LSR/DLSR), as a browser does, so the server's quality figures come from a real receiver.
 */
export class PlainRtpTestPeer {
  readonly received: ReceivedStamp[] = [];
  readonly senderReports: ReceivedSenderReport[] = [];
  corrupt = 0;
  sent = 0;
  planVersion = 0;
  audioLevel = 127;
  skipEvery = 0;
  private socket: Socket | undefined;
  private server: { address: string; port: number } | undefined;
  private participant: MediaParticipant | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private readonly ssrc = (Math.floor(Math.random() * 0x7fffffff) + 1) >>> 0;
  private rtpSeq = Math.floor(Math.random() * 0xffff);
  private rtpTimestamp = Math.floor(Math.random() * 0xffffffff);
  /** Per received SSRC: what a receiver report needs. */
  private readonly streams = new Map<
    number,
    {
      baseSeq: number;
      maxSeq: number;
      cycles: number;
      received: number;
      lastSr: number;
      lastSrAt: number;
      /** Expected and received at the previous report: the fraction lost is over the interval. */
      expectedPrior: number;
      receivedPrior: number;
    }
  >();

  constructor(readonly index: number) {}

  /** Connects the leg and sets it up as the negotiation says: where to send, what to produce. */
  async connect(participant: MediaParticipant, negotiation: MediaNegotiation): Promise<void> {
    if (this.socket) throw new Error('already connected: reconnect() restarts media');
    const socket = createSocket('udp4');
    this.socket = socket;
    socket.on('message', (data) => this.onDatagram(data));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    await this.negotiate(participant, negotiation);
    // About as often as mediasoup's worker reports on what it receives (every second at most).
    this.reportTimer = setInterval(() => this.sendReceiverReport(), 1000);
  }

  /**
   * Restarts media as a client does after the server says its media was lost: the same socket,
   * SSRC and packet numbering, negotiated afresh with the participant the room gave it again.
   * Until then its packets go where the old leg was.
   */
  async reconnect(participant: MediaParticipant, negotiation: MediaNegotiation): Promise<void> {
    if (!this.socket) throw new Error('not connected');
    this.streams.clear();
    await this.negotiate(participant, negotiation);
  }

  private async negotiate(participant: MediaParticipant, negotiation: MediaNegotiation): Promise<void> {
    if (negotiation.kind !== 'plainRtp') throw new Error(`expected plainRtp, got ${negotiation.kind}`);
    const socket = this.socket;
    if (!socket) throw new Error('not connected');
    this.participant = participant;
    this.server = { address: negotiation.address, port: negotiation.port };
    await participant.negotiate({
      step: 'connectPlainRtp',
      address: '127.0.0.1',
      port: socket.address().port,
    });
    await participant.negotiate({
      step: 'receiveCapabilities',
      rtpCapabilities: {
        codecs: [
          {
            kind: 'audio',
            mimeType: 'audio/opus',
            preferredPayloadType: 100,
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
        codecs: [{ mimeType: 'audio/opus', payloadType: OPUS_PT, clockRate: 48_000, channels: 2 }],
        headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: LEVEL_ID }],
        encodings: [{ ssrc: this.ssrc }],
        rtcp: { cname: `peer-${this.index}` },
      },
    });
  }

  get publishingSsrc(): number {
    return this.ssrc;
  }

  sendOne(): number {
    const { socket, server } = this;
    if (!socket || !server) throw new Error('not connected');
    this.sent++;
    this.rtpSeq = (this.rtpSeq + 1) & 0xffff;
    if (this.skipEvery > 0 && this.sent % this.skipEvery === 0) this.rtpSeq = (this.rtpSeq + 1) & 0xffff;
    this.rtpTimestamp = (this.rtpTimestamp + 960) >>> 0;
    const header = new RtpHeader({
      payloadType: OPUS_PT,
      sequenceNumber: this.rtpSeq,
      timestamp: this.rtpTimestamp,
      ssrc: this.ssrc,
      marker: false,
      extensions: [{ id: LEVEL_ID, payload: serializeAudioLevelIndication(this.audioLevel) }],
    });
    socket.send(
      new RtpPacket(header, stampPayload(this.index, this.sent, this.planVersion)).serialize(),
      server.port,
      server.address,
    );
    return this.sent;
  }

  startSending(intervalMs = 20): void {
    this.stopSending();
    this.timer = setInterval(() => this.sendOne(), intervalMs);
  }

  stopSending(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  from(from: number): ReceivedStamp[] {
    return this.received.filter((r) => r.from === from);
  }

  async close(): Promise<void> {
    this.stopSending();
    if (this.reportTimer) clearInterval(this.reportTimer);
    this.reportTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** The consumer carrying `ssrc` to this peer: its mid and its audio-level extension id. */
  private track(ssrc: number): { mid: string | null; levelId: number | undefined } {
    for (const subscription of this.participant?.subscriptions.values() ?? []) {
      const parameters = subscription.consumer?.rtpParameters;
      if (parameters?.encodings?.[0]?.ssrc !== ssrc) continue;
      return {
        mid: subscription.mid,
        levelId: parameters.headerExtensions?.find((e) => e.uri === AUDIO_LEVEL_URI)?.id,
      };
    }
    return { mid: null, levelId: undefined };
  }

  private onDatagram(data: Buffer): void {
    if (data.length < 12) return;
    const second = data[1]!;
    if (second >= 192 && second <= 223) return this.onRtcp(data);
    const rtp = RtpPacket.deSerialize(data);
    this.count(rtp.header.ssrc, rtp.header.sequenceNumber);
    const stamp = readStamp(rtp.payload);
    if (stamp === 'corrupt') {
      this.corrupt++;
      return;
    }
    if (!stamp) return;
    const { mid, levelId } = this.track(rtp.header.ssrc);
    const level = rtp.header.extensions.find((e) => e.id === levelId)?.payload[0];
    this.received.push({
      ...stamp,
      mid,
      rtpSeq: rtp.header.sequenceNumber,
      audioLevel: level === undefined ? undefined : level & 0x7f,
    });
  }

  private count(ssrc: number, seq: number): void {
    const stream = this.streams.get(ssrc);
    if (!stream) {
      this.streams.set(ssrc, {
        baseSeq: seq,
        maxSeq: seq,
        cycles: 0,
        received: 1,
        lastSr: 0,
        lastSrAt: 0,
        expectedPrior: 0,
        receivedPrior: 0,
      });
      return;
    }
    stream.received++;
    const delta = (seq - stream.maxSeq) & 0xffff;
    if (delta > 0 && delta < 0x8000) {
      if (seq < stream.maxSeq) stream.cycles += 0x10000;
      stream.maxSeq = seq;
    }
  }

  private onRtcp(data: Buffer): void {
    for (const packet of RtcpPacketConverter.deSerialize(data)) {
      if (packet.type !== RtcpSrPacket.type) continue;
      const { senderInfo } = packet;
      const ntp = senderInfo.ntpTimestamp;
      const seconds = Number(ntp >> 32n) - NTP_UNIX_OFFSET_S;
      const fraction = Number(ntp & 0xffffffffn) / 2 ** 32;
      this.senderReports.push({
        mid: this.track(packet.ssrc).mid,
        packetCount: senderInfo.packetCount,
        octetCount: senderInfo.octetCount,
        ntpUnixMs: (seconds + fraction) * 1000,
      });
      const stream = this.streams.get(packet.ssrc);
      if (stream) {
        stream.lastSr = Number((ntp >> 16n) & 0xffffffffn);
        stream.lastSrAt = Date.now();
      }
    }
  }

  /** RFC 3550 §6.4.2 receiver reports about every stream received so far. */
  private sendReceiverReport(): void {
    const { socket, server } = this;
    if (!socket || !server || this.streams.size === 0) return;
    const reports = [...this.streams].map(([ssrc, s]) => {
      const highest = s.cycles + s.maxSeq;
      const expected = highest - s.baseSeq + 1;
      const expectedInterval = expected - s.expectedPrior;
      const lostInterval = expectedInterval - (s.received - s.receivedPrior);
      s.expectedPrior = expected;
      s.receivedPrior = s.received;
      return new RtcpReceiverInfo({
        ssrc,
        fractionLost:
          expectedInterval > 0 && lostInterval > 0
            ? Math.min(255, Math.floor((lostInterval * 256) / expectedInterval))
            : 0,
        packetsLost: Math.max(0, expected - s.received),
        highestSequence: highest >>> 0,
        jitter: 0,
        lsr: s.lastSr,
        dlsr: s.lastSrAt ? Math.round(((Date.now() - s.lastSrAt) / 1000) * 65536) : 0,
      });
    });
    socket.send(new RtcpRrPacket({ ssrc: this.ssrc, reports }).serialize(), server.port, server.address);
  }
}
