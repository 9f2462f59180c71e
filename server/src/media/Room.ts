import type { AudioRoutingPlan, ListenerRouting, RoutingParticipant, RoutingState } from '@parley/shared';
import type { EventSource } from './TypedEmitter.ts';
import type { MediaEvents } from './MediaEvents.ts';
import type { Participant } from './Participant.ts';

/** The routing in force: the state it came from, its audio and video plans, and its version. */
export interface AppliedRouting {
  /** Increases with every change, including joins and leaves that change the plan. */
  version: number;
  state: RoutingState;
  audio: AudioRoutingPlan;
  video: AudioRoutingPlan;
}

/** One consultation's call on this media node. */
export interface Room<TAppData = unknown> {
  readonly id: string;
  readonly participants: ReadonlyMap<string, Participant<TAppData>>;
  readonly routing: AppliedRouting;
  /** The participant whose voice dominates (sticky through silence), or null. */
  readonly activeSpeakerId: string | null;
  /**
   * The active speaker as `listenerId` may know it: null when the plan does not send that
   * speaker to them. Who is talking in a sidebar is itself not for those outside it.
   */
  activeSpeakerFor(listenerId: string): string | null;
  readonly closed: boolean;
  /** Every event of the room, its participants and their media. */
  readonly events: EventSource<MediaEvents>;
  /**
   * Adds a participant who sends and receives media. STAFF are refused: they see presence
   * through signalling and receive no media. Their subscriptions start paused and the current
   * plan is applied before the call returns, so a newcomer never hears a sidebar in progress.
   */
  addParticipant(info: RoutingParticipant, appData: TAppData): Participant<TAppData>;
  getParticipant(id: string): Participant<TAppData> | undefined;
  /**
   * Changes the routing state and applies the new plan to every subscription at once: from the
   * next packet on, nothing the plan does not send is forwarded. No renegotiation.
   */
  setRouting(state: RoutingState): AppliedRouting;
  /** What `listenerId`'s client needs to know about the current plan (tracks, sent, gains). */
  listenerRouting(listenerId: string): ListenerRouting;
  /** Closes every participant, then the room. Idempotent. */
  close(): void;
}
