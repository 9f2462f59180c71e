import type {
  ConsumerParameters,
  MediaKind,
  MediaNegotiation,
  ProduceResult,
  PublishSlot,
  RoutingParticipant,
} from '@parley/shared';
import type { NegotiationStep, ParticipantLinkStats } from './MediaBackend.ts';
import { MediaError } from './MediaError.ts';
import {
  upstreamLossFraction,
  type QualitySample,
  type ReceiverReportCounters,
  type UpstreamCounters,
} from './linkQuality.ts';
import type { MediaRoom } from './MediaRoom.ts';
import { TypedEmitter } from './TypedEmitter.ts';

export type ParticipantConnectionState =
  'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/**
 * One listener receiving one speaker's audio or video. Whether packets flow is decided by the
 * room's routing plan alone — there is deliberately no public resume(): privacy must not be one
 * call away from a bug in signalling.
 */
export class MediaSubscription {
  /** True while the plan says "not sent" (as acknowledged by the backend): no packet reaches them. */
  paused = true;
  /** The gain the listener's client should play it at (data only; the server never mixes). */
  gain = 0;
  /** The track carrying it on the listener's connection, once known. */
  mid: string | null = null;
  /** Client-driven engines: what the listener's client consumes. */
  consumer: ConsumerParameters | undefined;
  closed = false;

  constructor(
    readonly id: string,
    readonly kind: MediaKind,
    readonly listenerId: string,
    readonly speakerId: string,
    /** The listener's receive track of this kind, from the room's slot pool. */
    readonly slot: number,
  ) {}
}

export interface ParticipantEvents {
  connectionStateChanged: { participantId: string; state: ParticipantConnectionState };
  closed: { participantId: string };
}

/** One person's media in a room: what they publish, what they receive, how their link is. */
export class MediaParticipant<TAppData = unknown> {
  readonly id: string;
  readonly events: TypedEmitter<ParticipantEvents>;
  /** What they receive, keyed by subscription id. */
  readonly subscriptions = new Map<string, MediaSubscription>();
  connectionState: ParticipantConnectionState = 'new';
  quality: QualitySample | undefined;
  closed = false;
  /**
   * The server's half of their media negotiation, once the engine made their transport and the
   * plan in force covers them (see MediaRoom.addParticipant). Rejects when that failed or they left.
   */
  negotiated!: Promise<MediaNegotiation>;
  readonly joinedAt = Date.now();
  everConnected = false;
  /** Receive counters at the previous two samples (see MediaRoom's quality tick). */
  previousUpstream: UpstreamCounters | undefined;
  latestUpstream: UpstreamCounters | undefined;
  readonly previousDownstream = new Map<string, ReceiverReportCounters>();
  /** Loss between them and the server over the last interval, 0..1. */
  upstreamLossFraction = 0;
  /**
   * When the engine's report on what it receives from them last changed (engines that count loss
   * at reports only; linkQuality.awaitingSourceReport), and when each listener report was first seen.
   */
  upstreamReportAt: number | undefined;
  readonly downstreamReportAt = new Map<string, number>();

  constructor(
    readonly room: MediaRoom<TAppData>,
    /** Who they are for routing: id, role, language. */
    readonly info: RoutingParticipant,
    readonly appData: TAppData,
    /** What they publish, by named slot. */
    readonly publish: readonly PublishSlot[],
  ) {
    this.id = info.id;
    this.events = new TypedEmitter((error, event) =>
      room.logger.error({ err: error, event, participantId: info.id }, 'media event listener failed'),
    );
  }

  /** One client step of the negotiation (answer and candidates, or connect/produce/capabilities). */
  async negotiate(step: NegotiationStep): Promise<ProduceResult | null> {
    if (this.closed) throw new MediaError('PARTICIPANT_CLOSED', `Participant ${this.id} has left`);
    return this.room.negotiate(this, step);
  }

  /** Leaves the room: their subscriptions, everyone's subscriptions to them, their transport. */
  close(): void {
    this.room.closeParticipant(this, 'LEFT');
  }

  /** Called by the room. */
  setConnectionState(state: ParticipantConnectionState): void {
    this.connectionState = state;
    this.events.emit('connectionStateChanged', { participantId: this.id, state });
  }

  /** Called by the room: upstream first for everyone, then each one's sample. */
  measureUpstream(stats: ParticipantLinkStats, now: number): void {
    const before = this.latestUpstream;
    if (
      stats.upstream.reportedLossFraction !== undefined &&
      (before === undefined ||
        before.packetsLost !== stats.upstream.packetsLost ||
        before.reportedLossFraction !== stats.upstream.reportedLossFraction)
    )
      this.upstreamReportAt = now;
    this.previousUpstream = this.latestUpstream;
    this.latestUpstream = stats.upstream;
    this.upstreamLossFraction = upstreamLossFraction(this.previousUpstream, stats.upstream);
  }
}
