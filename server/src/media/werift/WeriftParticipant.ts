import type { MediaKind } from '@parley/shared';
import { RTCPeerConnection, type RTCInboundRtpStreamStats } from 'werift';
import type { Logger } from '../../logger.ts';
import type { BackendConnectionState, ParticipantLinkStats } from '../MediaBackend.ts';
import { MediaError } from '../MediaError.ts';
import { SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80 } from '../srtp.ts';
import { OPUS, VP8, peerConnectionConfig, rewriteLocalSdp, type IceOptions } from './peerConfig.ts';
import { TrackSlot } from './TrackSlot.ts';
import { preferSrtpProfiles } from './weriftInternals.ts';
import { WeriftPublication } from './WeriftPublication.ts';
import { WeriftSubscription } from './WeriftSubscription.ts';

export interface ParticipantSettings {
  ice: IceOptions;
  /** Receive tracks per kind: one per other participant the room can hold. */
  slotCount: number;
  /** What they publish, in the order of the offer's receive-only m-lines. */
  kinds: MediaKind[];
  /** Audio through the engine's lean path rather than werift's (see WeriftBackendOptions.audioPath). */
  leanAudio: boolean;
}

/** How a participant reports to the backend. */
export interface ParticipantHooks {
  connectionState(state: BackendConnectionState): void;
  /** The peer connection is closing; resolves once its sockets and timers are released. */
  transportClosing(closing: Promise<void>): void;
}

/**
 * One participant on one server-side werift peer connection. Its tracks are fixed when it joins:
 * one receive-only track per kind for what they publish, and `slotCount` send-only tracks per
 * kind for what they hear and see. The server offers once; nothing later renegotiates.
 */
export class WeriftParticipant {
  readonly publications = new Map<MediaKind, WeriftPublication>();
  readonly subscriptions = new Map<string, WeriftSubscription>();
  readonly logger: Logger;
  connectionState: BackendConnectionState = 'new';
  closed = false;
  private readonly pc: RTCPeerConnection;
  private readonly slots: Record<MediaKind, TrackSlot[]> = { audio: [], video: [] };
  private readonly unsubscribes: (() => void)[] = [];

  constructor(
    readonly id: string,
    logger: Logger,
    private readonly settings: ParticipantSettings,
    private readonly hooks: ParticipantHooks,
  ) {
    this.logger = logger.child({ participantId: id });
    this.pc = new RTCPeerConnection(peerConnectionConfig(settings.ice));
    for (const kind of settings.kinds) {
      this.publications.set(
        kind,
        new WeriftPublication(
          this,
          kind,
          this.pc.addTransceiver(kind, { direction: 'recvonly' }),
          settings.leanAudio,
        ),
      );
    }
    for (const kind of settings.kinds) {
      const clockRate = kind === 'audio' ? OPUS.clockRate : VP8.clockRate;
      for (let i = 0; i < settings.slotCount; i++) {
        this.slots[kind].push(
          new TrackSlot(
            kind,
            this.pc.addTransceiver(kind, { direction: 'sendonly' }),
            clockRate,
            this.logger,
            settings.leanAudio,
          ),
        );
      }
    }
    this.unsubscribes.push(
      this.pc.connectionStateChange.subscribe((state) => this.onConnectionState(state)).unSubscribe,
    );
  }

  /** The SRTP protection profile DTLS negotiated (RFC 5764 §4.1.2 id), once connected. */
  get srtpProfile(): number | undefined {
    const transport = this.pc.dtlsTransports[0];
    return transport?.srtpStarted ? transport.srtp.localContext.profile : undefined;
  }

  /** The mid of the receive-only m-line carrying what they publish of `kind` (set once offered). */
  publishMid(kind: MediaKind): string | null {
    return this.publications.get(kind)?.transceiver.mid ?? null;
  }

  /** Subscribes this participant to `publication` on track slot `slot` of its kind. */
  subscribe(id: string, publication: WeriftPublication, slot: number): WeriftSubscription {
    const track = this.slots[publication.kind][slot];
    if (!track) throw new MediaError('ROOM_FULL', `No ${publication.kind} track ${slot} for ${this.id}`);
    if (track.subscription !== null)
      throw new MediaError('ROOM_FULL', `${publication.kind} track ${slot} of ${this.id} is taken`);
    const subscription = new WeriftSubscription(id, publication, this, track);
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  /** Called by a closing subscription. */
  forgetSubscription(subscription: WeriftSubscription): void {
    this.subscriptions.delete(subscription.id);
  }

  async createOffer(): Promise<{ type: 'offer'; sdp: string }> {
    this.assertOpen();
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    if (this.settings.leanAudio)
      preferSrtpProfiles(this.pc.dtlsTransports, [SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AEAD_AES_128_GCM]);
    const local = this.pc.localDescription;
    if (!local)
      throw new MediaError('BAD_SESSION_DESCRIPTION', 'No local description after setLocalDescription');
    return { type: 'offer', sdp: rewriteLocalSdp(local.sdp, this.settings.ice) };
  }

  async acceptAnswer(answer: { type: 'answer'; sdp: string }): Promise<void> {
    this.assertOpen();
    try {
      await this.pc.setRemoteDescription(answer);
    } catch (error) {
      throw new MediaError('BAD_SESSION_DESCRIPTION', 'The answer was refused', { cause: error });
    }
  }

  async addRemoteCandidate(
    candidate: {
      candidate: string;
      sdpMid?: string | null;
      sdpMLineIndex?: number | null;
      usernameFragment?: string | null;
    } | null,
  ): Promise<void> {
    this.assertOpen();
    try {
      if (candidate === null || candidate.candidate === '') return;
      await this.pc.addIceCandidate({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid ?? undefined,
        sdpMLineIndex: candidate.sdpMLineIndex ?? undefined,
        usernameFragment: candidate.usernameFragment ?? undefined,
      });
    } catch (error) {
      throw new MediaError('BAD_ICE_CANDIDATE', 'The ICE candidate was refused', { cause: error });
    }
  }

  /**
   * The receive counters: what the server received from them (werift's receiver statistics,
   * which the lean path keeps fed), and what their receiver reports say about each audio track
   * the server sends them.
   */
  linkStats(now: number): ParticipantLinkStats {
    const upstream = { packetsReceived: 0, packetsLost: 0, jitterMs: 0 };
    for (const publication of this.publications.values()) {
      for (const stat of publication.transceiver.receiver.collectStats(now)) {
        if (stat.type !== 'inbound-rtp') continue;
        const inbound = stat as RTCInboundRtpStreamStats;
        upstream.packetsReceived += inbound.packetsReceived ?? 0;
        upstream.packetsLost += Math.max(0, inbound.packetsLost ?? 0);
        // Video jitter is dominated by frame bursts; audio is the voice that matters.
        if (publication.kind === 'audio')
          upstream.jitterMs = Math.max(upstream.jitterMs, (inbound.jitter ?? 0) * 1000);
      }
    }
    const downstream: ParticipantLinkStats['downstream'] = [];
    let rttMs: number | null = null;
    for (const slot of this.slots.audio) {
      if (slot.subscription === null) continue;
      if (slot.latestReport) downstream.push({ subscriptionId: slot.subscription.id, ...slot.latestReport });
      const rtt = slot.rttMs();
      if (rtt !== undefined) rttMs = Math.max(rttMs ?? 0, rtt);
    }
    return { participantId: this.id, upstream, downstream, rttMs };
  }

  /** Closes subscriptions, publications (and everyone's subscriptions to them), then the connection. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const subscription of [...this.subscriptions.values()]) subscription.close();
    for (const publication of this.publications.values()) publication.close();
    for (const slot of [...this.slots.audio, ...this.slots.video]) slot.close();
    this.connectionState = 'closed';
    const closing = this.pc.close().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'closing the peer connection failed');
    });
    this.hooks.transportClosing(closing);
    return closing;
  }

  private onConnectionState(state: BackendConnectionState): void {
    if (this.closed || state === this.connectionState) return;
    this.connectionState = state;
    this.logger.debug({ to: state }, 'connection state');
    if (state === 'connected') {
      // A keyframe for every video this participant receives, now that it can.
      for (const subscription of this.subscriptions.values()) {
        if (subscription.kind === 'video' && !subscription.paused) subscription.publication.requestKeyFrame();
      }
    }
    this.hooks.connectionState(state);
  }

  private assertOpen(): void {
    if (this.closed) throw new MediaError('PARTICIPANT_CLOSED', `Participant ${this.id} has left`);
  }
}
