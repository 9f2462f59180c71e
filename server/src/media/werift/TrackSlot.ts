import type { MediaKind } from '@parley/shared';
import { RTP_EXTENSION_URI, RtpHeader, RtpPacket, type RtcpPacket, type RTCRtpTransceiver } from 'werift';
import type { DownstreamReport } from '../linkQuality.ts';
import { RtpStreamRewriter } from '../RtpStreamRewriter.ts';
import type { WeriftSubscription } from './WeriftSubscription.ts';

/**
 * One send-only track on a participant's connection, negotiated once when they join. A
 * subscription borrows a slot for as long as it lives; when its publisher leaves the slot goes
 * back to the pool and carries the next newcomer, with no renegotiation. The rewriter keeps the
 * outgoing stream continuous across pauses and changes of source.
 */
export class TrackSlot {
  subscription: WeriftSubscription | null = null;
  /** The latest receiver report the participant sent about this track. */
  latestReport: DownstreamReport | undefined;
  private readonly rewriter: RtpStreamRewriter;
  private readonly unsubscribes: (() => void)[] = [];

  constructor(
    readonly kind: MediaKind,
    readonly transceiver: RTCRtpTransceiver,
    private readonly clockRate: number,
  ) {
    this.rewriter = new RtpStreamRewriter(clockRate);
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

  /** The subscriber's negotiated id for the audio-level extension on this track. */
  get audioLevelExtensionId(): number | undefined {
    return this.transceiver.headerExtensions.find((e) => e.uri === RTP_EXTENSION_URI.audioLevelIndication)
      ?.id;
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

  /**
   * Sends a packet of the publication this slot carries. `sendRtp` rewrites the header it is
   * given and keeps the packet for retransmission, so every slot gets a packet of its own; the
   * payload is shared, read-only (SRTP encrypts into a new buffer).
   */
  send(rtp: RtpPacket, nowMs: number, sourceAudioLevelId: number | undefined): Promise<void> {
    const source = rtp.header;
    const { sequenceNumber, timestamp } = this.rewriter.rewrite(
      source.ssrc,
      source.sequenceNumber,
      source.timestamp,
      nowMs,
    );
    const extensions: { id: number; payload: Buffer }[] = [];
    if (sourceAudioLevelId !== undefined && this.audioLevelExtensionId !== undefined) {
      const level = source.extensions.find((e) => e.id === sourceAudioLevelId);
      if (level) extensions.push({ id: this.audioLevelExtensionId, payload: level.payload });
    }
    const header = new RtpHeader({
      payloadType: source.payloadType,
      marker: source.marker,
      sequenceNumber,
      timestamp,
      ssrc: source.ssrc,
      extensions,
    });
    return this.transceiver.sender.sendRtp(new RtpPacket(header, rtp.payload));
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
      this.latestReport = {
        fractionLost: report.fractionLost / 256,
        jitterMs: (report.jitter / this.clockRate) * 1000,
      };
    }
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.subscription = null;
  }
}
