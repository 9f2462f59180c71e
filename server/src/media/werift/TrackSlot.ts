import type { MediaKind } from '@parley/shared';
import {
  RTP_EXTENSION_URI,
  RtpHeader,
  RtpPacket,
  type Extension,
  type RtcpPacket,
  type RTCRtpTransceiver,
} from 'werift';
import type { Logger } from '../../logger.ts';
import type { ReceiverReportCounters } from '../linkQuality.ts';
import { RtpStreamRewriter } from '../RtpStreamRewriter.ts';
import { AudioSlotSender } from './AudioSlotSender.ts';
import type { ForwardedPacket } from './forwardedPacket.ts';
import { negotiatedExtensionId } from './peerConfig.ts';
import type { WeriftSubscription } from './WeriftSubscription.ts';

/**
 * One send-only track on a participant's connection, negotiated once when they join. A
 * subscription borrows a slot for as long as it lives; when its publisher leaves the slot goes
 * back to the pool and carries the next newcomer, with no renegotiation. The rewriter keeps the
 * outgoing stream continuous across pauses and changes of source.
 */
export class TrackSlot {
  subscription: WeriftSubscription | null = null;
  /** The participant's latest receiver report about this track: its own cumulative counters. */
  latestReport: ReceiverReportCounters | undefined;
  private readonly rewriter: RtpStreamRewriter;
  /** Audio goes out through the lean path; video (NACK, RTX) through werift's sender. */
  private readonly audio: AudioSlotSender | undefined;
  private audioLevelId: number | undefined;
  private readonly unsubscribes: (() => void)[] = [];

  constructor(
    readonly kind: MediaKind,
    readonly transceiver: RTCRtpTransceiver,
    private readonly clockRate: number,
    private readonly logger: Logger,
    leanAudio: boolean,
  ) {
    this.rewriter = new RtpStreamRewriter(clockRate);
    this.audio = kind === 'audio' && leanAudio ? new AudioSlotSender(transceiver) : undefined;
    const sender = transceiver.sender;
    this.unsubscribes.push(
      sender.onRtcp.subscribe((packet) => this.onRtcp(packet)).unSubscribe,
      // A subscriber lost a keyframe: ask whoever this slot carries for a new one.
      sender.onPictureLossIndication.subscribe(() => this.subscription?.publication.requestKeyFrame())
        .unSubscribe,
    );
  }

  get mid(): string | null {
    return this.transceiver.mid;
  }

  assign(subscription: WeriftSubscription): void {
    this.subscription = subscription;
    this.rewriter.markDiscontinuity();
  }

  release(subscription: WeriftSubscription): void {
    if (this.subscription === subscription) this.subscription = null;
  }

  /** The next packet begins a new run (resumed after a pause). */
  markDiscontinuity(): void {
    this.rewriter.markDiscontinuity();
  }

  /** Sends a packet of the publication this slot carries, under this slot's SSRC and numbering. */
  send(packet: ForwardedPacket, nowMs: number): void {
    const { sequenceNumber, timestamp } = this.rewriter.rewrite(
      packet.ssrc,
      packet.sequenceNumber,
      packet.timestamp,
      nowMs,
    );
    if (this.audio) {
      this.audio.send(packet.marker, sequenceNumber, timestamp, packet.audioLevel, packet.payload, nowMs);
      return;
    }
    // werift's sender rewrites the header it is given and keeps the packet for retransmission,
    // so every slot gets a packet of its own; the payload is shared, read-only.
    const extensions: Extension[] = [];
    if (packet.audioLevel >= 0) {
      this.audioLevelId ??= negotiatedExtensionId(this.transceiver, RTP_EXTENSION_URI.audioLevelIndication);
      if (this.audioLevelId > 0)
        extensions.push({ id: this.audioLevelId, payload: Buffer.from([packet.audioLevel]) });
    }
    const header = new RtpHeader({
      payloadType: packet.payloadType,
      marker: packet.marker,
      sequenceNumber,
      timestamp,
      ssrc: packet.ssrc,
      extensions,
    });
    this.transceiver.sender.sendRtp(new RtpPacket(header, packet.payload)).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'forwarding a packet failed');
    });
  }

  /** Smoothed RTT werift measured from this track's sender and receiver reports, in ms. */
  rttMs(): number | undefined {
    const stats = this.transceiver.sender.collectStats(Date.now());
    for (const stat of stats) {
      if (
        stat.type === 'remote-inbound-rtp' &&
        'roundTripTime' in stat &&
        typeof stat.roundTripTime === 'number'
      ) {
        return stat.roundTripTime * 1000;
      }
    }
    return undefined;
  }

  private onRtcp(packet: RtcpPacket): void {
    if (packet.type !== 200 && packet.type !== 201) return;
    const ssrc = this.transceiver.sender.ssrc;
    for (const report of packet.reports) {
      if (report.ssrc !== ssrc) continue;
      // The cumulative counters, not the one-byte fraction of the report's own interval: the
      // room takes differences between its samples, which then agree with the listener's stats.
      this.latestReport = {
        // A signed 24-bit count (RFC 3550 §6.4.1): duplicates can make it negative.
        packetsLost: report.packetsLost & 0x800000 ? report.packetsLost - 0x1000000 : report.packetsLost,
        highestSequence: report.highestSequence,
        jitterMs: (report.jitter / this.clockRate) * 1000,
      };
    }
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.subscription = null;
  }
}
