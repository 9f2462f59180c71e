import type { MediaKind, RoutingParticipant } from '@parley/shared';
import type { EventSource } from './TypedEmitter.ts';
import type { Publication } from './Publication.ts';
import type { Room } from './Room.ts';
import type { Subscription } from './Subscription.ts';

export type ParticipantConnectionState =
  'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** An SDP offer or answer as the browser's RTCSessionDescriptionInit carries it. */
export interface SessionDescription {
  type: 'offer' | 'answer';
  sdp: string;
}

/** A trickled ICE candidate as the browser's RTCIceCandidateInit carries it. */
export interface IceCandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/**
 * Link quality of one participant, sampled from RTCP and the server's receive statistics.
 * Upstream is what the server receives from them, downstream what they report receiving from it;
 * the headline figures are the worse of the two directions.
 */
export interface QualitySample {
  at: number;
  lossPct: number;
  jitterMs: number;
  /** Round-trip time from RTCP sender/receiver reports; null until media has flowed to them. */
  rttMs: number | null;
  upstream: { packetsReceived: number; lossPct: number; jitterMs: number };
  downstream: { lossPct: number; jitterMs: number };
  /** True when a figure crosses the engine's warning thresholds. */
  poor: boolean;
}

/** One person in a call: one peer connection, their publications and their subscriptions. */
export interface Participant<TAppData = unknown> {
  readonly id: string;
  /** Who they are for routing: id, role, language. */
  readonly info: RoutingParticipant;
  readonly appData: TAppData;
  readonly room: Room<TAppData>;
  readonly connectionState: ParticipantConnectionState;
  readonly publications: ReadonlyMap<MediaKind, Publication>;
  /** What they receive, keyed by subscription id. */
  readonly subscriptions: ReadonlyMap<string, Subscription>;
  readonly quality: QualitySample | undefined;
  readonly closed: boolean;
  readonly events: EventSource<ParticipantEvents>;
  /**
   * The server's SDP offer, with its ICE candidates gathered in. The server always offers; the
   * connection's tracks are fixed when the participant joins, so routing changes and other
   * participants joining or leaving never need a new offer.
   */
  createOffer(): Promise<SessionDescription>;
  acceptAnswer(answer: SessionDescription): Promise<void>;
  /** A candidate trickled by the browser; null or an empty candidate means end-of-candidates. */
  addRemoteCandidate(candidate: IceCandidateInit | null): Promise<void>;
  /** Leaves the room: closes their subscriptions, everyone's subscriptions to them, the connection. */
  close(): void;
}

export interface ParticipantEvents {
  connectionStateChanged: { participantId: string; state: ParticipantConnectionState };
  closed: { participantId: string };
}
