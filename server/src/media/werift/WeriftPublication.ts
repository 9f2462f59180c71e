import type { MediaKind } from '@parley/shared';
import { RTP_EXTENSION_URI, type MediaStreamTrack, type RtpPacket, type RTCRtpTransceiver } from 'werift';
import { AudioReceivePath } from './AudioReceivePath.ts';
import { emptyForwardedPacket, fromWeriftPacket, type ForwardedPacket } from './forwardedPacket.ts';
import { negotiatedExtensionId } from './peerConfig.ts';
import type { WeriftParticipant } from './WeriftParticipant.ts';
import type { WeriftSubscription } from './WeriftSubscription.ts';

/** Minimum time between keyframe requests sent to one publisher. */
const KEYFRAME_REQUEST_INTERVAL_MS = 500;

/**
 * A participant's audio or video arriving on their receive-only transceiver. Every packet is
 * handed, undecoded, to each subscription, which forwards it or not according to the plan.
 */
export class WeriftPublication {
  readonly subscriptions = new Set<WeriftSubscription>();
  ssrc: number | undefined;
  packetsReceived = 0;
  /** RFC 6464 levels since the backend last reported them: their sum and count. */
  levelSum = 0;
  levelCount = 0;
  closed = false;
  private readonly unsubscribes: (() => void)[] = [];
  private lastKeyFrameRequestAt = 0;
  /** The negotiated audio-level extension id, looked up once it is known (0: not negotiated). */
  private audioLevelId: number | undefined;
  /** Rewritten for every packet werift delivers. */
  private readonly packet = emptyForwardedPacket();
  private receivePath: AudioReceivePath | undefined;

  constructor(
    readonly publisher: WeriftParticipant,
    readonly kind: MediaKind,
    readonly transceiver: RTCRtpTransceiver,
    /** Whether audio may leave werift's receive path for the lean one once it flows. */
    private readonly leanAudio: boolean,
  ) {
    const { unSubscribe } = transceiver.onTrack.subscribe((track) => this.attach(track));
    this.unsubscribes.push(unSubscribe);
  }

  private attach(track: MediaStreamTrack): void {
    const { unSubscribe } = track.onReceiveRtp.subscribe((rtp) => this.onRtp(rtp));
    this.unsubscribes.push(unSubscribe);
  }

  /** A packet through werift's receive path: the first audio packets, all video. */
  private onRtp(rtp: RtpPacket): void {
    if (this.closed) return;
    const levelId = this.kind === 'audio' ? this.audioLevelExtensionId() : 0;
    this.distribute(fromWeriftPacket(rtp, levelId ? levelByteOf(rtp, levelId) : -1, this.packet));
    // werift has now registered this SSRC (statistics, receiver reports): the lean path may take it.
    if (this.kind === 'audio' && this.leanAudio && levelId !== undefined && !this.receivePath?.installed) {
      this.receivePath ??= new AudioReceivePath(this.transceiver, levelId, (packet) =>
        this.distribute(packet),
      );
      this.receivePath.install(rtp.header.ssrc);
    }
  }

  /**
   * The hot path: one call per packet received, synchronous through each subscriber's send.
   * Nothing here allocates; the audio level was read once and goes to every subscription.
   */
  private distribute(packet: ForwardedPacket): void {
    if (this.closed) return;
    this.packetsReceived++;
    this.ssrc = packet.ssrc;
    const now = Date.now();
    if (packet.audioLevel >= 0) {
      this.levelSum += packet.audioLevel & 0x7f;
      this.levelCount++;
    }
    for (const subscription of this.subscriptions) subscription.forward(packet, now);
  }

  /** The negotiated audio-level extension id (0: none), or undefined before negotiation. */
  private audioLevelExtensionId(): number | undefined {
    if (this.audioLevelId === undefined && this.transceiver.mid !== null) {
      this.audioLevelId = negotiatedExtensionId(this.transceiver, RTP_EXTENSION_URI.audioLevelIndication);
    }
    return this.audioLevelId;
  }

  /** Packets the lean receive path took over from werift, and refused as not authentic. */
  get leanReceiveCounts(): { received: number; refused: number } {
    return {
      received: this.receivePath?.packetsReceived ?? 0,
      refused: this.receivePath?.packetsRefused ?? 0,
    };
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
    this.receivePath?.uninstall();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const subscription of [...this.subscriptions]) subscription.close();
  }
}

/** The packet's RFC 6464 byte (voice flag and -dBov level) under extension `id`, or -1. */
function levelByteOf(rtp: RtpPacket, id: number): number {
  for (const extension of rtp.header.extensions) {
    if (extension.id === id) return extension.payload.length > 0 ? extension.payload[0]! : -1;
  }
  return -1;
}
