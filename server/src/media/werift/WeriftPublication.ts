import { randomUUID } from 'node:crypto';
import type { MediaKind } from '@parley/shared';
import {
  RTP_EXTENSION_URI,
  type Extensions,
  type MediaStreamTrack,
  type RtpPacket,
  type RTCRtpTransceiver,
} from 'werift';
import type { Publication, PublicationEvents } from '../Publication.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import type { WeriftParticipant } from './WeriftParticipant.ts';
import type { WeriftSubscription } from './WeriftSubscription.ts';

/** Reads the RFC 6464 level werift parsed from a packet's header extensions, if any. */
function audioLevelOf(extensions: Extensions | undefined): number | undefined {
  const value: unknown = extensions?.[RTP_EXTENSION_URI.audioLevelIndication];
  if (typeof value !== 'object' || value === null || !('level' in value)) return undefined;
  const level = value.level;
  return typeof level === 'number' ? level : undefined;
}

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

  constructor(
    readonly publisher: WeriftParticipant,
    readonly kind: MediaKind,
    readonly transceiver: RTCRtpTransceiver,
  ) {
    this.events = new TypedEmitter((error, event) => publisher.reportListenerError(error, event));
    const { unSubscribe } = transceiver.onTrack.subscribe((track) => this.attach(track));
    this.unsubscribes.push(unSubscribe);
  }

  /** The extension id the publisher's packets carry the audio level under, once negotiated. */
  get audioLevelExtensionId(): number | undefined {
    return this.transceiver.headerExtensions.find((e) => e.uri === RTP_EXTENSION_URI.audioLevelIndication)
      ?.id;
  }

  private attach(track: MediaStreamTrack): void {
    const { unSubscribe } = track.onReceiveRtp.subscribe((rtp, extensions) => this.onRtp(rtp, extensions));
    this.unsubscribes.push(unSubscribe);
  }

  /** The hot path: one call per packet received, synchronous up to each subscriber's send. */
  private onRtp(rtp: RtpPacket, extensions: Extensions | undefined): void {
    if (this.closed) return;
    this.packetsReceived++;
    this.ssrc = rtp.header.ssrc;
    const now = Date.now();
    if (this.kind === 'audio') {
      const level = audioLevelOf(extensions);
      if (level !== undefined) {
        this.audioLevel = level;
        this.publisher.room.observeAudioLevel(this.publisher.id, level, now);
      }
    }
    for (const subscription of this.subscriptions) subscription.forward(rtp, now);
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
