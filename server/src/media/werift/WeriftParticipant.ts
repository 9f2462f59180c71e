import type { MediaKind, RoutingParticipant } from '@parley/shared';
import { RTCPeerConnection, type RTCInboundRtpStreamStats } from 'werift';
import type { Logger } from '../../logger.ts';
import {
  sampleQuality,
  type DownstreamReport,
  type QualityThresholds,
  type UpstreamCounters,
} from '../linkQuality.ts';
import { MediaError } from '../MediaError.ts';
import type {
  IceCandidateInit,
  Participant,
  ParticipantConnectionState,
  ParticipantEvents,
  QualitySample,
  SessionDescription,
} from '../Participant.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import { OPUS, VP8, peerConnectionConfig, rewriteLocalSdp, type IceOptions } from './peerConfig.ts';
import { SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80 } from '../srtp.ts';
import { TrackSlot } from './TrackSlot.ts';
import { preferSrtpProfiles } from './weriftInternals.ts';
import { WeriftPublication } from './WeriftPublication.ts';
import { WeriftSubscription } from './WeriftSubscription.ts';
import type { WeriftRoom } from './WeriftRoom.ts';

export interface ParticipantSettings {
  ice: IceOptions;
  /** Receive tracks per kind: one per other participant the room can hold. */
  slotCount: number;
  video: boolean;
  /** Audio through the engine's lean path rather than werift's (see WeriftEngineOptions.audioPath). */
  leanAudio: boolean;
  qualityThresholds: QualityThresholds;
}

/**
 * One participant on one server-side werift peer connection. Its tracks are fixed when it joins:
 * one receive-only track per kind for what they publish, and `slotCount` send-only tracks per
 * kind for what they hear and see. The server offers once; nothing later renegotiates.
 */
export class WeriftParticipant<TAppData = unknown> implements Participant<TAppData> {
  readonly id: string;
  readonly events: TypedEmitter<ParticipantEvents>;
  readonly publications = new Map<MediaKind, WeriftPublication>();
  readonly subscriptions = new Map<string, WeriftSubscription>();
  readonly logger: Logger;
  connectionState: ParticipantConnectionState = 'new';
  quality: QualitySample | undefined;
  closed = false;
  private readonly pc: RTCPeerConnection;
  private readonly slots: Record<MediaKind, TrackSlot[]> = { audio: [], video: [] };
  private readonly joinedAt = Date.now();
  private everConnected = false;
  private previousUpstream: UpstreamCounters | undefined;
  private latestUpstream: UpstreamCounters | undefined;
  /** Loss between this participant and the server over the last interval, 0..1. */
  upstreamLossFraction = 0;
  private readonly unsubscribes: (() => void)[] = [];

  constructor(
    readonly room: WeriftRoom<TAppData>,
    readonly info: RoutingParticipant,
    readonly appData: TAppData,
    private readonly settings: ParticipantSettings,
  ) {
    this.id = info.id;
    this.logger = room.logger.child({ participantId: info.id, role: info.role });
    this.events = new TypedEmitter((error, event) => this.reportListenerError(error, event));
    this.pc = new RTCPeerConnection(peerConnectionConfig(settings.ice));
    const kinds: MediaKind[] = settings.video ? ['audio', 'video'] : ['audio'];
    for (const kind of kinds) {
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
    for (const kind of kinds) {
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

  /** Subscribes this participant to `publication` on a free track slot. */
  subscribe(publication: WeriftPublication): WeriftSubscription {
    const slot = this.slots[publication.kind].find((s) => s.subscription === null);
    if (!slot) throw new MediaError('ROOM_FULL', `No free ${publication.kind} track for ${this.id}`);
    const subscription = new WeriftSubscription(publication, this, slot);
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  /** Called by a closing subscription. */
  forgetSubscription(subscription: WeriftSubscription): void {
    this.subscriptions.delete(subscription.id);
  }

  async createOffer(): Promise<SessionDescription> {
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

  async acceptAnswer(answer: SessionDescription): Promise<void> {
    this.assertOpen();
    if (answer.type !== 'answer') throw new MediaError('BAD_SESSION_DESCRIPTION', 'Expected an answer');
    try {
      await this.pc.setRemoteDescription(answer);
    } catch (error) {
      throw new MediaError('BAD_SESSION_DESCRIPTION', 'The answer was refused', { cause: error });
    }
  }

  async addRemoteCandidate(candidate: IceCandidateInit | null): Promise<void> {
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
   * First half of a quality sample: what the server received from this participant. The room
   * measures every participant's upstream before anyone's downstream, so the loss a listener
   * inherits from a publisher is known for the same tick.
   */
  measureUpstream(now: number): void {
    const upstream: UpstreamCounters = { packetsReceived: 0, packetsLost: 0, jitterMs: 0 };
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
    const previous = this.latestUpstream;
    this.previousUpstream = previous;
    this.latestUpstream = upstream;
    const received = upstream.packetsReceived - (previous?.packetsReceived ?? 0);
    const lost = Math.max(0, upstream.packetsLost - (previous?.packetsLost ?? 0));
    this.upstreamLossFraction = received + lost > 0 ? lost / (received + lost) : 0;
  }

  /** Second half: downstream reports and RTT, combined with the upstream measured this tick. */
  sampleQuality(now: number): QualitySample {
    const upstream = this.latestUpstream ?? { packetsReceived: 0, packetsLost: 0, jitterMs: 0 };
    const downstream: DownstreamReport[] = [];
    let rttMs: number | null = null;
    for (const slot of this.slots.audio) {
      if (slot.subscription === null) continue;
      if (slot.latestReport) {
        // Loss upstream of the server reaches this listener too; it is the publisher's link, not theirs.
        const inherited = slot.subscription.publication.publisher.upstreamLossFraction;
        downstream.push({
          fractionLost: Math.max(0, slot.latestReport.fractionLost - inherited),
          jitterMs: slot.latestReport.jitterMs,
        });
      }
      const rtt = slot.rttMs();
      if (rtt !== undefined) rttMs = Math.max(rttMs ?? 0, rtt);
    }
    const sample = sampleQuality(
      now,
      this.previousUpstream,
      upstream,
      downstream,
      rttMs,
      this.settings.qualityThresholds,
    );
    this.quality = sample;
    return sample;
  }

  /** Listener exceptions are logged here and go no further. */
  reportListenerError(error: unknown, event: string): void {
    this.logger.error({ err: error, event }, 'media event listener failed');
  }

  close(): void {
    this.closeAs('LEFT');
  }

  /** Closes subscriptions, publications (and everyone's subscriptions to them), then the connection. */
  closeAs(reason: 'LEFT' | 'ROOM_CLOSED'): void {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const subscription of [...this.subscriptions.values()]) subscription.close();
    for (const publication of this.publications.values()) publication.close();
    for (const slot of [...this.slots.audio, ...this.slots.video]) slot.close();
    const wasConnected = this.connectionState === 'connected';
    this.connectionState = 'closed';
    this.room.engine.transportClosing(
      this.pc.close().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'closing the peer connection failed');
      }),
    );
    this.room.participantClosed(this, reason, wasConnected);
    this.events.emit('connectionStateChanged', { participantId: this.id, state: 'closed' });
    this.events.emit('closed', { participantId: this.id });
    this.events.removeAllListeners();
  }

  private onConnectionState(state: ParticipantConnectionState): void {
    if (this.closed || state === this.connectionState) return;
    const previous = this.connectionState;
    this.connectionState = state;
    this.logger.debug({ from: previous, to: state }, 'connection state');
    this.events.emit('connectionStateChanged', { participantId: this.id, state });
    if (state === 'connected') {
      this.room.emitEvent('participantConnected', {
        ...this.room.ref(this),
        sinceJoinMs: Date.now() - this.joinedAt,
        reconnected: this.everConnected,
      });
      this.everConnected = true;
      // A keyframe for every video this participant receives, now that it can.
      for (const subscription of this.subscriptions.values()) {
        if (subscription.kind === 'video' && !subscription.paused) subscription.publication.requestKeyFrame();
      }
    } else if (previous === 'connected') {
      this.room.emitEvent('participantDisconnected', {
        ...this.room.ref(this),
        reason: state === 'failed' ? 'CONNECTION_FAILED' : 'CONNECTION_LOST',
        state,
      });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new MediaError('PARTICIPANT_CLOSED', `Participant ${this.id} has left`);
  }
}
