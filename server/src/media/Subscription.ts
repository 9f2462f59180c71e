import type { MediaKind } from '@parley/shared';
import type { EventSource } from './TypedEmitter.ts';
import type { Participant } from './Participant.ts';
import type { Publication } from './Publication.ts';

/**
 * One listener receiving one publication. Whether packets flow is decided by the room's routing
 * plan alone — there is deliberately no public resume(): privacy must not be one call away from
 * a bug in signalling.
 */
export interface Subscription {
  readonly id: string;
  readonly kind: MediaKind;
  readonly publication: Publication;
  /** The listener. */
  readonly subscriber: Participant;
  /** The SDP mid of the track carrying it on the subscriber's connection (set once negotiated). */
  readonly mid: string | null;
  /** True while the plan says "not sent": no packet of the publication reaches the subscriber. */
  readonly paused: boolean;
  /** The gain the subscriber's client should play it at (data only; the server never mixes). */
  readonly gain: number;
  readonly packetsForwarded: number;
  /** Packets withheld while paused. */
  readonly packetsWithheld: number;
  readonly closed: boolean;
  readonly events: EventSource<SubscriptionEvents>;
  close(): void;
}

export interface SubscriptionEvents {
  closed: { subscriptionId: string };
}
