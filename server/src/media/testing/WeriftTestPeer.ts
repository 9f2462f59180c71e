import {
  RTCPeerConnection,
  RTP_EXTENSION_URI,
  RtpHeader,
  RtcpSrPacket,
  RtpPacket,
  serializeAudioLevelIndication,
  type MediaStreamTrack,
  type RTCRtpTransceiver,
} from 'werift';
import type { MediaNegotiation } from '@parley/shared';
import { NTP_UNIX_OFFSET_S } from '../werift/AudioSlotSender.ts';
import { peerConnectionConfig } from '../werift/peerConfig.ts';

/**
 * A headless participant for integration tests: a werift peer connection on 127.0.0.1 that
 * answers the engine's offer, publishes tagged Opus-shaped packets, and records every packet
 * it receives by the tag it carries. The payload is not Opus — the SFU never decodes — but a
 * stamp: sender, sequence number, plan version, and a filler derived from them, so a packet
 * corrupted on the way (a shared buffer rewritten, say) is detected.
 */

const MAGIC = 0x50524c59; // "PRLY"
const PAYLOAD_BYTES = 100;

export interface ReceivedStamp {
  /** Which test peer sent it. */
  from: number;
  seq: number;
  /** The plan version the sender believed in force when it sent the packet. */
  planVersion: number;
  /** The mid of the track it arrived on. */
  mid: string | null;
  /** The RTP sequence number as the server rewrote it. */
  rtpSeq: number;
  audioLevel: number | undefined;
}

export function stampPayload(from: number, seq: number, planVersion: number): Buffer {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt32BE(MAGIC, 0);
  payload.writeUInt8(from, 4);
  payload.writeUInt32BE(seq, 5);
  payload.writeUInt32BE(planVersion, 9);
  for (let i = 13; i < PAYLOAD_BYTES; i++) payload[i] = (from + seq + i) & 0xff;
  return payload;
}

export function readStamp(
  payload: Buffer,
): Omit<ReceivedStamp, 'mid' | 'rtpSeq' | 'audioLevel'> | 'corrupt' | undefined {
  if (payload.length < 13 || payload.readUInt32BE(0) !== MAGIC) return undefined;
  const from = payload.readUInt8(4);
  const seq = payload.readUInt32BE(5);
  if (payload.length !== PAYLOAD_BYTES) return 'corrupt';
  for (let i = 13; i < PAYLOAD_BYTES; i++) if (payload[i] !== ((from + seq + i) & 0xff)) return 'corrupt';
  return { from, seq, planVersion: payload.readUInt32BE(9) };
}

/** An RTCP sender report the server sent about one of this peer's receive tracks. */
export interface ReceivedSenderReport {
  mid: string | null;
  packetCount: number;
  octetCount: number;
  /** The report's NTP time as Unix milliseconds. */
  ntpUnixMs: number;
}

export class WeriftTestPeer {
  readonly pc = new RTCPeerConnection(peerConnectionConfig({ listenAddresses: ['127.0.0.1'] }));
  readonly received: ReceivedStamp[] = [];
  readonly senderReports: ReceivedSenderReport[] = [];
  corrupt = 0;
  /** Sequence number of the last packet sent. */
  sent = 0;
  /** Stamped into every packet sent from now on. */
  planVersion = 0;
  /** The RFC 6464 level sent with each packet (127: silence). */
  audioLevel = 127;
  /** Every n-th RTP sequence number is skipped, as if lost on the way (0: none). */
  skipEvery = 0;
  private publishing: RTCRtpTransceiver | undefined;
  private timer: NodeJS.Timeout | undefined;
  private rtpSeq = Math.floor(Math.random() * 0xffff);
  private rtpTimestamp = Math.floor(Math.random() * 0xffffffff);

  constructor(readonly index: number) {}

  /**
   * Answers the engine's offer: sends on the m-line the negotiation names for the microphone,
   * receives on all others.
   */
  async answer(negotiation: MediaNegotiation): Promise<{ type: 'answer'; sdp: string }> {
    if (negotiation.kind !== 'sdp')
      throw new Error(`The test peer negotiates by SDP, not ${negotiation.kind}`);
    const microphoneMid = negotiation.publish.find((p) => p.slot === 'microphone')?.mid;
    await this.pc.setRemoteDescription(negotiation.offer);
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.mid === microphoneMid) {
        transceiver.setDirection('sendonly');
        this.publishing = transceiver;
        continue;
      }
      // werift stores the direction this side may take: the reverse of the offer's.
      if (transceiver.offerDirection !== 'recvonly') {
        transceiver.setDirection('inactive');
        continue;
      }
      transceiver.setDirection('recvonly');
      // Tracks announced by the offer exist already; later ones arrive through onTrack.
      const attach = (track: MediaStreamTrack) => {
        track.onReceiveRtp.subscribe((rtp, extensions) => this.record(transceiver, rtp, extensions));
      };
      for (const track of transceiver.receiver.tracks) attach(track);
      transceiver.onTrack.subscribe(attach);
      transceiver.receiver.onRtcp.subscribe((packet) => {
        if (packet.type !== RtcpSrPacket.type) return;
        const { senderInfo } = packet;
        const ntp = senderInfo.ntpTimestamp;
        const seconds = Number(ntp >> 32n) - NTP_UNIX_OFFSET_S;
        const fraction = Number(ntp & 0xffffffffn) / 2 ** 32;
        this.senderReports.push({
          mid: transceiver.mid,
          packetCount: senderInfo.packetCount,
          octetCount: senderInfo.octetCount,
          ntpUnixMs: (seconds + fraction) * 1000,
        });
      });
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    const local = this.pc.localDescription;
    if (!local) throw new Error('no local description');
    return { type: 'answer', sdp: local.sdp };
  }

  async connected(): Promise<void> {
    if (this.pc.connectionState === 'connected') return;
    await new Promise<void>((resolve, reject) => {
      const { unSubscribe } = this.pc.connectionStateChange.subscribe((state) => {
        if (state === 'connected') {
          unSubscribe();
          resolve();
        } else if (state === 'failed' || state === 'closed') {
          unSubscribe();
          reject(new Error(`test peer ${this.index} ${state}`));
        }
      });
    });
  }

  /** The SSRC this peer publishes its audio under. */
  get publishingSsrc(): number {
    if (!this.publishing) throw new Error('not negotiated');
    return this.publishing.sender.ssrc;
  }

  /** The server's address and port on the pair ICE nominated. */
  serverAddress(): { address: string; port: number } {
    const pair = this.publishing?.sender.dtlsTransport.iceTransport.connection.nominated;
    if (!pair) throw new Error('not connected');
    return { address: pair.remoteCandidate.host, port: pair.remoteCandidate.port };
  }

  /** Sends one stamped packet now; returns its sequence number. */
  sendOne(): number {
    const transceiver = this.publishing;
    if (!transceiver) throw new Error('not negotiated');
    this.sent++;
    this.rtpSeq = (this.rtpSeq + 1) & 0xffff;
    if (this.skipEvery > 0 && this.sent % this.skipEvery === 0) this.rtpSeq = (this.rtpSeq + 1) & 0xffff;
    this.rtpTimestamp = (this.rtpTimestamp + 960) >>> 0;
    const levelId = transceiver.headerExtensions.find(
      (e) => e.uri === RTP_EXTENSION_URI.audioLevelIndication,
    )?.id;
    const header = new RtpHeader({
      payloadType: 111,
      sequenceNumber: this.rtpSeq,
      timestamp: this.rtpTimestamp,
      marker: false,
      extensions:
        levelId === undefined
          ? []
          : [{ id: levelId, payload: serializeAudioLevelIndication(this.audioLevel) }],
    });
    void transceiver.sender.sendRtp(
      new RtpPacket(header, stampPayload(this.index, this.sent, this.planVersion)),
    );
    return this.sent;
  }

  /** Sends a packet every `intervalMs` (20 ms: one Opus frame) until stopped. */
  startSending(intervalMs = 20): void {
    this.stopSending();
    this.timer = setInterval(() => this.sendOne(), intervalMs);
  }

  stopSending(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stamps received from test peer `from`, in arrival order. */
  from(from: number): ReceivedStamp[] {
    return this.received.filter((r) => r.from === from);
  }

  async close(): Promise<void> {
    this.stopSending();
    await this.pc.close();
  }

  private record(
    transceiver: RTCRtpTransceiver,
    rtp: RtpPacket,
    extensions: Record<string, unknown> | undefined,
  ): void {
    const stamp = readStamp(rtp.payload);
    if (stamp === 'corrupt') {
      this.corrupt++;
      return;
    }
    if (!stamp) return;
    const level = extensions?.[RTP_EXTENSION_URI.audioLevelIndication] as { level?: number } | undefined;
    this.received.push({
      ...stamp,
      mid: transceiver.mid,
      rtpSeq: rtp.header.sequenceNumber,
      audioLevel: level?.level,
    });
  }
}
