import { randomUUID } from 'node:crypto';
import type { MediaKind, RouteDecision } from '@parley/shared';
import type { Subscription, SubscriptionEvents } from '../Subscription.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import type { WeriftParticipant } from './WeriftParticipant.ts';
import type { WeriftPublication } from './WeriftPublication.ts';
import type { ForwardedPacket } from './forwardedPacket.ts';
import type { TrackSlot } from './TrackSlot.ts';

/** A listener's subscription to one publication, carried on one of the listener's track slots. */
export class WeriftSubscription implements Subscription {
  readonly id = randomUUID();
  readonly kind: MediaKind;
  readonly events: TypedEmitter<SubscriptionEvents>;
  /** Starts paused: nothing flows until a plan says it may. */
  paused = true;
  gain = 0;
  packetsForwarded = 0;
  packetsWithheld = 0;
  closed = false;

  constructor(
    readonly publication: WeriftPublication,
    readonly subscriber: WeriftParticipant,
    private readonly slot: TrackSlot,
  ) {
    this.kind = publication.kind;
    this.events = new TypedEmitter((error, event) => subscriber.reportListenerError(error, event));
    slot.assign(this);
    publication.subscriptions.add(this);
  }

  get mid(): string | null {
    return this.slot.mid;
  }

  /** The plan's word on this pair; takes effect for the next packet the publication receives. */
  applyDecision(decision: RouteDecision): void {
    if (this.closed) return;
    const paused = !decision.sent;
    this.gain = decision.sent ? decision.gain : 0;
    if (paused === this.paused) return;
    this.paused = paused;
    if (!paused) {
      this.slot.markDiscontinuity();
      if (this.kind === 'video') this.publication.requestKeyFrame();
    }
  }

  /** Per packet: the routing check, then the packet onto the slot. */
  forward(packet: ForwardedPacket, nowMs: number): void {
    if (this.paused || this.closed) {
      this.packetsWithheld++;
      return;
    }
    this.packetsForwarded++;
    this.slot.send(packet, nowMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.paused = true;
    this.publication.subscriptions.delete(this);
    this.slot.release(this);
    this.subscriber.forgetSubscription(this);
    this.events.emit('closed', { subscriptionId: this.id });
    this.events.removeAllListeners();
  }
}
