import { randomUUID } from 'node:crypto';
import type { MediaKind } from '@parley/shared';
import { RTP_EXTENSION_URI, type MediaStreamTrack, type RtpPacket, type RTCRtpTransceiver } from 'werift';
import type { Publication, PublicationEvents } from '../Publication.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import type { WeriftParticipant } from './WeriftParticipant.ts';
import type { WeriftSubscription } from './WeriftSubscription.ts';

/** Minimum time between keyframe requests sent to one publisher. */
const KEYFRAME_REQUEST_INTERVAL_MS = 500;

/**
 * A participant's audio or video arriving on their receive-only transceiver. Every packet is
 * handed, undecoded, to each subscription, which forwards it or not according to the plan.
 */
export class WeriftPublication implements Publication {
  readonly id = randomUUID();
  readonly subscriptions = new Set<WeriftSubscription>();
  readonly events: TypedEmitter<PublicationEvents>;
  ssrc: number | undefined;
  packetsReceived = 0;
  audioLevel: number | undefined;
  closed = false;
  private readonly unsubscribes: (() => void)[] = [];
  private lastKeyFrameRequestAt = 0;
  /** The negotiated audio-level extension id, looked up once it is known (0: not negotiated). */
  private audioLevelId: number | undefined;

  constructor(
    readonly publisher: WeriftParticipant,
    readonly kind: MediaKind,
    readonly transceiver: RTCRtpTransceiver,
  ) {
    this.events = new TypedEmitter((error, event) => publisher.reportListenerError(error, event));
    const { unSubscribe } = transceiver.onTrack.subscribe((track) => this.attach(track));
    this.unsubscribes.push(unSubscribe);
  }

  private attach(track: MediaStreamTrack): void {
    const { unSubscribe } = track.onReceiveRtp.subscribe((rtp) => this.onRtp(rtp));
    this.unsubscribes.push(unSubscribe);
  }

  /**
   * The hot path: one call per packet received, synchronous through each subscriber's send.
   * Nothing here allocates; the audio level is read once and handed to every subscription.
   */
  private onRtp(rtp: RtpPacket): void {
    if (this.closed) return;
    this.packetsReceived++;
    this.ssrc = rtp.header.ssrc;
    const now = Date.now();
    const levelByte = this.kind === 'audio' ? this.audioLevelByte(rtp) : -1;
    if (levelByte >= 0) {
      const level = levelByte & 0x7f;
      this.audioLevel = level;
      this.publisher.room.observeAudioLevel(this.publisher.id, level, now);
    }
    for (const subscription of this.subscriptions) subscription.forward(rtp, now, levelByte);
  }

  /** The packet's RFC 6464 byte (voice flag and -dBov level), or -1 when it carries none. */
  private audioLevelByte(rtp: RtpPacket): number {
    if (this.audioLevelId === undefined) {
      // Known once negotiated (no packet arrives before); until then, look again next time.
      if (this.transceiver.mid === null) return -1;
      this.audioLevelId =
        this.transceiver.headerExtensions.find((e) => e.uri === RTP_EXTENSION_URI.audioLevelIndication)?.id ??
        0;
    }
    if (this.audioLevelId === 0) return -1;
    for (const extension of rtp.header.extensions) {
      if (extension.id === this.audioLevelId)
        return extension.payload.length > 0 ? extension.payload[0]! : -1;
    }
    return -1;
  }

  /** Asks the publisher's browser for a keyframe (a subscriber started, resumed or lost one). */
  requestKeyFrame(): void {
    const now = Date.now();
    if (this.kind !== 'video' || this.ssrc === undefined || this.closed) return;
    if (now - this.lastKeyFrameRequestAt < KEYFRAME_REQUEST_INTERVAL_MS) return;
    this.lastKeyFrameRequestAt = now;
    this.transceiver.receiver.sendRtcpPLI(this.ssrc).catch((error: unknown) => {
      this.publisher.logger.debug({ err: error }, 'keyframe request failed');
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const subscription of [...this.subscriptions]) subscription.close();
    this.events.emit('closed', { publicationId: this.id });
    this.events.removeAllListeners();
  }
}
