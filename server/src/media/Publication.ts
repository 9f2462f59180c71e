import type { MediaKind } from '@parley/shared';
import type { EventSource } from './TypedEmitter.ts';
import type { Participant } from './Participant.ts';
import type { Subscription } from './Subscription.ts';

/** One participant's outgoing audio or video, as received by the server. */
export interface Publication {
  readonly id: string;
  readonly kind: MediaKind;
  readonly publisher: Participant;
  /** Everyone receiving it, paused or not. */
  readonly subscriptions: ReadonlySet<Subscription>;
  /** The publisher's SSRC, once its first packet arrived. */
  readonly ssrc: number | undefined;
  readonly packetsReceived: number;
  /** Latest RFC 6464 level in -dBov (0 loudest, 127 silence); audio only. */
  readonly audioLevel: number | undefined;
  readonly closed: boolean;
  readonly events: EventSource<PublicationEvents>;
  close(): void;
}

export interface PublicationEvents {
  closed: { publicationId: string };
}
